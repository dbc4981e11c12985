// The tracefs format files of arm64 KVM's events, as an arm64 kernel's trace event machinery prints them
// (include/trace/trace_events.h: common fields, then each __field at its natural alignment, print fmt with
// __entry-> as REC-> and the symbol tables' macros expanded). Used to write trace.dat files with known
// content for tests and benchmarks; the reader never needs them (it reads the formats the file carries).
//
// Sources: arch/arm64/kvm/trace_arm.h (kvm_entry, kvm_exit, kvm_guest_fault), arch/arm64/kvm/trace_handle_exit.h
// (kvm_wfx_arm64, kvm_hvc_arm64, kvm_handle_sys_reg), include/trace/events/kvm.h (kvm_mmio),
// kvm_mmio_nisv (trace_arm.h, later virt/kvm/arm64/trace.h); the symbol tables are ftrace/kvm-symbols.ts'.

import { KVM_ARM_EXCEPTION_CLASS, KVM_ARM_EXCEPTION_TYPE, KVM_TRACE_MMIO, symbolicArgs } from '../ftrace/kvm-symbols';

const COMMON =
  '\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n' +
  '\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n' +
  '\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n' +
  '\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n';

const EXCEPTION_TYPE = symbolicArgs(KVM_ARM_EXCEPTION_TYPE);
const EXCEPTION_CLASS = symbolicArgs(KVM_ARM_EXCEPTION_CLASS, true);
const MMIO_TYPE = symbolicArgs(KVM_TRACE_MMIO);

function format(name: string, id: number, fields: string, print: string): string {
  return `name: ${name}\nID: ${id}\nformat:\n${COMMON}${fields}\nprint fmt: ${print}\n`;
}

const f = (decl: string, offset: number, size: number, signed: 0 | 1): string => `\tfield:${decl};\toffset:${offset};\tsize:${size};\tsigned:${signed};\n`;

/** Format ids used by these texts (any unique numbers do; these are arbitrary). */
export const KVM_FORMAT_IDS = {
  kvm_entry: 1001,
  kvm_exit: 1002,
  kvm_guest_fault: 1003,
  kvm_mmio: 1004,
  kvm_mmio_nisv: 1005,
  kvm_wfx_arm64: 1006,
  kvm_hvc_arm64: 1007,
  kvm_handle_sys_reg: 1008,
} as const;

/** The format texts of the "kvm" system for a 64-bit arm64 kernel. */
export function arm64KvmFormats(): string[] {
  const id = KVM_FORMAT_IDS;
  return [
    format('kvm_entry', id.kvm_entry, f('unsigned long vcpu_pc', 8, 8, 0), '"PC: 0x%016lx", REC->vcpu_pc'),
    format(
      'kvm_exit',
      id.kvm_exit,
      f('int ret', 8, 4, 1) + f('unsigned int esr_ec', 12, 4, 0) + f('unsigned long vcpu_pc', 16, 8, 0),
      `"%s: HSR_EC: 0x%04x (%s), PC: 0x%016lx", __print_symbolic(REC->ret, ${EXCEPTION_TYPE}), REC->esr_ec, __print_symbolic(REC->esr_ec, ${EXCEPTION_CLASS}), REC->vcpu_pc`,
    ),
    format(
      'kvm_guest_fault',
      id.kvm_guest_fault,
      f('unsigned long vcpu_pc', 8, 8, 0) + f('unsigned long hsr', 16, 8, 0) + f('unsigned long hxfar', 24, 8, 0) + f('unsigned long long ipa', 32, 8, 0),
      '"ipa %#llx, hsr %#08lx, hxfar %#08lx, pc %#016lx", REC->ipa, REC->hsr, REC->hxfar, REC->vcpu_pc',
    ),
    format(
      'kvm_mmio',
      id.kvm_mmio,
      f('u32 type', 8, 4, 0) + f('u32 len', 12, 4, 0) + f('u64 gpa', 16, 8, 0) + f('u64 val', 24, 8, 0),
      `"mmio %s len %u gpa 0x%llx val 0x%llx", __print_symbolic(REC->type, ${MMIO_TYPE}), REC->len, REC->gpa, REC->val`,
    ),
    format(
      'kvm_mmio_nisv',
      id.kvm_mmio_nisv,
      f('unsigned long vcpu_pc', 8, 8, 0) + f('unsigned long esr', 16, 8, 0) + f('unsigned long far', 24, 8, 0) + f('unsigned long ipa', 32, 8, 0),
      '"ipa %#016lx, esr %#016lx, far %#016lx, pc %#016lx", REC->ipa, REC->esr, REC->far, REC->vcpu_pc',
    ),
    format('kvm_wfx_arm64', id.kvm_wfx_arm64, f('unsigned long vcpu_pc', 8, 8, 0) + f('bool is_wfe', 16, 1, 0), `"guest executed wf%c at: 0x%016lx", REC->is_wfe ? 'e' : 'i', REC->vcpu_pc`),
    format(
      'kvm_hvc_arm64',
      id.kvm_hvc_arm64,
      f('unsigned long vcpu_pc', 8, 8, 0) + f('unsigned long r0', 16, 8, 0) + f('unsigned long imm', 24, 8, 0),
      '"HVC at 0x%016lx (r0: 0x%016lx, imm: 0x%lx)", REC->vcpu_pc, REC->r0, REC->imm',
    ),
    format('kvm_handle_sys_reg', id.kvm_handle_sys_reg, f('unsigned long hsr', 8, 8, 0), '"HSR 0x%08lx", REC->hsr'),
  ];
}
