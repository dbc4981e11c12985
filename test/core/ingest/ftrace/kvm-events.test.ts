// KVM payload parsers. Each input is the kernel's TP_printk format applied by hand to chosen values (the
// format string is quoted above each case; sources in main/core/ingest/ftrace/kvm-events.ts); the expected
// fields are those values.
import { describe, expect, it } from 'vitest';
import { KVM_EVENT_PARSERS, canonHex, parseKvmEvent } from '../../../../main/core/ingest/ftrace/kvm-events';
import { parseEventFields } from '../../../../main/core/ingest/ftrace/generic-fields';

describe('KVM event payloads', () => {
  const cases: [string, string, Record<string, unknown>][] = [
    // "%s: HSR_EC: 0x%04x (%s), PC: 0x%016lx"
    ['kvm_exit', 'TRAP: HSR_EC: 0x0024 (DABT_LOW), PC: 0x0000ffff8a3b1c44', { ret: 'TRAP', esr_ec: 0x24, esr_ec_name: 'DABT_LOW', vcpu_pc: '0xffff8a3b1c44' }],
    // an EC without a symbol prints its value (DOMAIN.md §2: "(0x2d)")
    ['kvm_exit', 'TRAP: HSR_EC: 0x002d (0x2d), PC: 0x0000000080000000', { ret: 'TRAP', esr_ec: 0x2d, esr_ec_name: '0x2d', vcpu_pc: '0x80000000' }],
    ['kvm_exit', 'IRQ: HSR_EC: 0x0000 (UNKNOWN), PC: 0xffff800010000000', { ret: 'IRQ', esr_ec: 0, esr_ec_name: 'UNKNOWN', vcpu_pc: '0xffff800010000000' }],
    // "PC: 0x%016lx"
    ['kvm_entry', 'PC: 0x0000000080528a6c', { vcpu_pc: '0x80528a6c' }],
    // "ipa %#llx, hsr %#08lx, hxfar %#08lx, pc %#016lx"
    ['kvm_guest_fault', 'ipa 0x10001000, hsr 0x92000061, hxfar 0xffff800012e01001, pc 0xffff80001073cd5c', { ipa: '0x10001000', hsr: '0x92000061', hxfar: '0xffff800012e01001', vcpu_pc: '0xffff80001073cd5c' }],
    // "ipa %#016lx, esr %#016lx, far %#016lx, pc %#016lx"
    ['kvm_mmio_nisv', 'ipa 0x00000010001000, esr 0x00000092000061, far 0x00000012e01001, pc 0x00000080528a6c', { ipa: '0x10001000', esr: '0x92000061', far: '0x12e01001', vcpu_pc: '0x80528a6c' }],
    // "mmio %s len %u gpa 0x%llx val 0x%llx"
    ['kvm_mmio', 'mmio write len 4 gpa 0x9000000 val 0x41', { type: 'write', len: 4, gpa: '0x9000000', val: '0x41' }],
    ['kvm_mmio', 'mmio unsatisfied-read len 8 gpa 0x9000010 val 0x0', { type: 'unsatisfied-read', len: 8, gpa: '0x9000010', val: '0x0' }],
    // "IPA: %lx"
    ['kvm_access_fault', 'IPA: 4009f000', { ipa: '0x4009f000' }],
    // "HSR 0x%08lx"
    ['kvm_handle_sys_reg', 'HSR 0x62300000', { hsr: '0x62300000' }],
    // "PC: %lx %s (%d,%d,%d,%d,%d) %s"
    ['kvm_sys_access', 'PC: ffff80000810c4d0 PMUSERENR_EL0 (3,3,9,14,0) read', { vcpu_pc: '0xffff80000810c4d0', name: 'PMUSERENR_EL0', Op0: 3, Op1: 3, CRn: 9, CRm: 14, Op2: 0, is_write: false }],
    // "guest executed wf%c at: 0x%016lx"
    ['kvm_wfx_arm64', 'guest executed wfi at: 0xffff8000100a2f34', { is_wfe: false, vcpu_pc: '0xffff8000100a2f34' }],
    // "HVC at 0x%016lx (r0: 0x%016lx, imm: 0x%lx)"
    ['kvm_hvc_arm64', 'HVC at 0xffff8000100a2f34 (r0: 0x0000000084000003, imm: 0x0)', { vcpu_pc: '0xffff8000100a2f34', r0: '0x84000003', imm: '0x0' }],
    // "Inject %s interrupt (%d), vcpu->idx: %d, num: %d, level: %d"
    ['kvm_irq_line', 'Inject VGIC SPI interrupt (2), vcpu->idx: 0, num: 40, level: 1', { type_name: 'VGIC SPI', type: 2, vcpu_idx: 0, irq_num: 40, level: 1 }],
    // "VCPU: %ld, IRQ %d, level %d"
    ['kvm_timer_update_irq', 'VCPU: 3, IRQ 27, level 1', { vcpu_id: 3, irq: 27, level: 1 }],
    // "   CTL: %#08lx CVAL: %#16llx arch_timer_ctx_index: %d"
    ['kvm_timer_save_state', '   CTL: 0x000005 CVAL:      0x1d9b0f2ff0 arch_timer_ctx_index: 0', { ctl: '0x5', cval: '0x1d9b0f2ff0', timer_idx: 0 }],
    // "arch_timer_ctx_index: %d (should_fire: %d)"
    ['kvm_timer_emulate', 'arch_timer_ctx_index: 1 (should_fire: 1)', { timer_idx: 1, should_fire: true }],
    // "reason %s (%d)"
    ['kvm_userspace_exit', 'reason KVM_EXIT_MMIO (6)', { reason: 'KVM_EXIT_MMIO', errno: 6 }],
    // pKVM "esr=0x%llx addr=0x%llx"
    ['host_mem_abort', 'esr=0x92000046 addr=0x8a0000000', { esr: '0x92000046', addr: '0x8a0000000' }],
  ];

  for (const [name, args, fields] of cases) {
    it(`${name}: ${args}`, () => {
      expect(parseKvmEvent(name, args)).toEqual(fields);
    });
  }

  it('every parser names the format it reads', () => {
    for (const [name, p] of Object.entries(KVM_EVENT_PARSERS)) expect(p.format, name).toMatch(/^".*"$/);
  });

  it('a payload that does not match is null; an unknown event is not in the table', () => {
    expect(parseKvmEvent('kvm_exit', 'garbage')).toBeNull();
    expect(parseKvmEvent('sched_switch', 'prev_comm=a')).toBeUndefined();
  });

  it('other events: name=value pairs, kept as printed', () => {
    expect(parseEventFields('sched_waking', 'comm=node pid=11074 prio=120 target_cpu=000')).toEqual({ comm: 'node', pid: '11074', prio: '120', target_cpu: '000' });
    expect(parseEventFields('funcgraph_entry', '7.076 us   |  __math_state_restore();')).toEqual({});
  });

  it('reads the raw form trace-cmd report -R prints (name=value in the format file\'s order) to the same fields', () => {
    // trace-cmd 3.1.6 `report -R` and `report` of the same kvm_guest_fault / kvm_mmio_nisv records.
    expect(parseKvmEvent('kvm_guest_fault', 'vcpu_pc=0xffff800010a1b2c4 hsr=0x92000061 hxfar=0xffff80000a002004 ipa=0x9002000')).toEqual(
      parseKvmEvent('kvm_guest_fault', 'ipa 0x9002000, hsr 0x92000061, hxfar 0xffff80000a002004, pc 0xffff800010a1b2c4'),
    );
    expect(parseKvmEvent('kvm_mmio_nisv', 'vcpu_pc=0xffff800010a1b2c4 esr=0x92000061 far=0xffff80000a002004 ipa=0x9002000')).toEqual(
      parseKvmEvent('kvm_mmio_nisv', 'ipa 0x00000009002000, esr 0x00000092000061, far 0xffff80000a002004, pc 0xffff800010a1b2c4'),
    );
    // A narrow field printed in decimal is the same number; a field missing is no parse.
    expect(parseKvmEvent('kvm_handle_sys_reg', 'hsr=1644167168')).toEqual({ hsr: '0x62000000' });
    expect(parseKvmEvent('kvm_guest_fault', 'vcpu_pc=0xffff800010a1b2c4 hsr=0x92000061 ipa=0x9002000')).toBeNull();
  });

  it('canonical hex: lower case, 0x, no leading zeros', () => {
    expect(canonHex('0000000080528A6C')).toBe('0x80528a6c');
    expect(canonHex('0x0')).toBe('0x0');
  });
});
