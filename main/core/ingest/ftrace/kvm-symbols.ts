// The __print_symbolic tables KVM's arm64 events print names with, from the kernel sources:
//   arch/arm64/include/asm/kvm_asm.h  kvm_arm_exception_type (kvm_exit's `ret`; HYP_GONE is HVC_STUB_ERR)
//   arch/arm64/include/asm/kvm_arm.h  kvm_arm_exception_class (kvm_exit's `esr_ec`: ECN(x) = { ESR_ELx_EC_x,
//                                     "x" }, the values from arch/arm64/include/asm/esr.h)
//   include/trace/events/kvm.h        kvm_trace_symbol_mmio (kvm_mmio's `type`)
// A trace.dat carries its kernel's own tables in its formats (tracedat/kvm-binary.ts reads those); a trace
// printed raw (`trace-cmd report -R`: numbers, no names) is named with these.

/** kvm_arm_exception_type: kvm_exit's ret -> name. */
export const KVM_ARM_EXCEPTION_TYPE: readonly (readonly [number, string])[] = [
  [0, 'IRQ'], [1, 'SERROR'], [2, 'TRAP'], [3, 'ILLEGAL'], [0xbadca11, 'HYP_GONE'],
];

/** kvm_arm_exception_class: EC value -> name. */
export const KVM_ARM_EXCEPTION_CLASS: readonly (readonly [number, string])[] = [
  [0x00, 'UNKNOWN'], [0x01, 'WFx'], [0x03, 'CP15_32'], [0x04, 'CP15_64'], [0x05, 'CP14_MR'], [0x06, 'CP14_LS'],
  [0x07, 'FP_ASIMD'], [0x08, 'CP10_ID'], [0x09, 'PAC'], [0x0c, 'CP14_64'], [0x15, 'SVC64'], [0x16, 'HVC64'],
  [0x17, 'SMC64'], [0x18, 'SYS64'], [0x19, 'SVE'], [0x1f, 'IMP_DEF'], [0x20, 'IABT_LOW'], [0x21, 'IABT_CUR'],
  [0x22, 'PC_ALIGN'], [0x24, 'DABT_LOW'], [0x25, 'DABT_CUR'], [0x26, 'SP_ALIGN'], [0x28, 'FP_EXC32'],
  [0x2c, 'FP_EXC64'], [0x2f, 'SERROR'], [0x30, 'BREAKPT_LOW'], [0x31, 'BREAKPT_CUR'], [0x32, 'SOFTSTP_LOW'],
  [0x33, 'SOFTSTP_CUR'], [0x34, 'WATCHPT_LOW'], [0x35, 'WATCHPT_CUR'], [0x38, 'BKPT32'], [0x3a, 'VECTOR32'],
  [0x3c, 'BRK64'], [0x1a, 'ERET'],
];

/** kvm_trace_symbol_mmio: kvm_mmio's type -> name (KVM_TRACE_MMIO_READ_UNSATISFIED, _READ, _WRITE). */
export const KVM_TRACE_MMIO: readonly (readonly [number, string])[] = [
  [0, 'unsatisfied-read'], [1, 'read'], [2, 'write'],
];

/** A table as the __print_symbolic arguments of a print fmt: `{ 0, "IRQ" }, { 1, "SERROR" }, …`. */
export function symbolicArgs(table: readonly (readonly [number, string])[], hex = false): string {
  return table.map(([v, n]) => `{ ${hex ? `(0x${v.toString(16).padStart(2, '0')})` : v < 10 ? String(v) : `0x${v.toString(16)}`}, "${n}" }`).join(', ');
}
