// What the events after a kvm_guest_fault say about the IPA's memslot. The events are the tracefs lines of the
// project's sample bundle resources/samples/gpu-passthrough-6.1 (written from the kernel's format strings:
// include/trace/events/kvm.h kvm_mmio "mmio %s len %u gpa 0x%llx val 0x%llx", arch/arm64/kvm/trace_arm.h
// kvm_entry "PC: 0x%016lx"), as fields. The rules are Linux's: trace_kvm_mmio is only called from
// io_mem_abort / kvm_handle_mmio_return (arch/arm64/kvm/mmio.c), which kvm_handle_guest_abort reaches only for
// an IPA outside every memslot; a fault KVM resolves itself by mapping (user_mem_abort) returns to the guest
// at the same PC, while emulation skips the instruction (kvm_incr_pc / kvm_skip_instr).
import { describe, expect, it } from 'vitest';
import { memslotFromTrace, type TraceEventLike } from '../../../main/core/mmu/trace-evidence';

const FILE = 'sys/kernel/debug/tracing/trace';
const ev = (line: number, pid: number, event: string, fields: Record<string, string | number>): TraceEventLike => ({ event, pid, fields, file: FILE, line });

describe('memslotFromTrace', () => {
  it('kvm_mmio for the faulting page: the IPA is outside every memslot', () => {
    // 412.880750 kvm_guest_fault: ipa 0x9000000, hsr 0x93810047, ..., pc 0xffff8000087d4a1c
    // 412.880753 kvm_mmio: mmio write len 4 gpa 0x9000000 val 0x41
    // 412.880757 kvm_entry: PC: 0xffff8000087d4a20   (the next instruction: emulated)
    const after = [ev(21, 4325, 'kvm_mmio', { type: 'write', len: 4, gpa: '0x9000000', val: '0x41' }), ev(22, 4325, 'kvm_entry', { vcpu_pc: '0xffff8000087d4a20' })];
    const e = memslotFromTrace({ pid: 4325, ipa: 0x9000000n, pc: 0xffff8000087d4a1cn }, after);
    expect(e).toMatchObject({ inMemslot: false });
    expect(e?.source).toContain(`${FILE}:21`);
  });

  it('re-entry at the faulting PC with no emulation in between: KVM mapped it, inside a memslot', () => {
    // 412.882280 kvm_guest_fault: ipa 0x8000001000, hsr 0x92000047, ..., pc 0xffff800008a1c2f0
    // 412.882289 kvm_entry: PC: 0xffff800008a1c2f0
    const e = memslotFromTrace({ pid: 4325, ipa: 0x8000001000n, pc: 0xffff800008a1c2f0n }, [ev(29, 4325, 'kvm_entry', { vcpu_pc: '0xffff800008a1c2f0' })]);
    expect(e).toMatchObject({ inMemslot: true });
  });

  it('ignores other threads, another page, and says nothing when the PC moved on or the VMM was involved', () => {
    const fault = { pid: 4325, ipa: 0x9000000n, pc: 0xffff8000087d4a1cn };
    // Another vCPU thread's emulation, and this thread's kvm_mmio for another page, are not evidence.
    expect(memslotFromTrace(fault, [ev(5, 4326, 'kvm_mmio', { gpa: '0x9000000' }), ev(6, 4325, 'kvm_mmio', { gpa: '0xa000000' })])).toBeNull();
    // An exit to user space (KVM_EXIT_*) before the re-entry: the VMM may have done anything.
    expect(memslotFromTrace(fault, [ev(7, 4325, 'kvm_userspace_exit', { reason: 'KVM_EXIT_ARM_NISV' }), ev(8, 4325, 'kvm_entry', { vcpu_pc: '0xffff8000087d4a1c' })])).toBeNull();
    // Re-entry elsewhere (an injected abort goes to the guest's vector): no conclusion.
    expect(memslotFromTrace(fault, [ev(9, 4325, 'kvm_entry', { vcpu_pc: '0xffff800008010a00' })])).toBeNull();
    // A no-syndrome abort is io_mem_abort too.
    expect(memslotFromTrace(fault, [ev(10, 4325, 'kvm_mmio_nisv', { ipa: '0x9000000' })])).toMatchObject({ inMemslot: false });
  });
});
