// How a report ranks and names faults that no diagnosis explains: one row per fault kind, as data.
//
// Severity says what happened to the system, from the kernel paths that print each message:
//  critical  the host (or its hypervisor) died: HYP panic / nVHE hyp BUG (arch/arm64/kvm/handle_exit.c
//            kvm_nvhe_report_bug / hyp_panic), an SError Linux panics on (arch/arm64/kernel/traps.c do_serror,
//            arm64_serror_panic), a kernel BUG or synchronous external abort Oops (die()).
//  error     a kernel Oops on a memory abort (arch/arm64/mm/fault.c die_kernel_fault), or a VM that stopped:
//            KVM_RUN returned an error (arch/arm64/kvm/mmu.c kvm_handle_guest_abort "Unsupported FSC" ->
//            -EFAULT; io_mem_abort without syndrome -> -ENOSYS) and QEMU exited ("kvm run failed").
//  warning   something was refused or injected but the system went on: an unhandled sysreg access
//            (sys_regs.c: UNDEF injected), SMMU faults (the DMA is aborted, the device driver decides), a
//            user-space abort that became a signal (fault.c do_bad_area -> __do_user_fault).
//  info      records of normal operation: kvm_guest_fault trace events (stage-2 faults KVM handled).
import type { FaultKind } from '../ingest/fault-record';
import { SEVERITIES, type Severity } from './input';

export interface KindInfo {
  readonly severity: Severity;
  /** A noun phrase for a finding title: `KVM could not handle a guest abort`. */
  readonly title: string;
  /** Short label for counts: `kvm_unsupported_fsc` is shown as `KVM Unsupported FSC`. */
  readonly label: string;
}

export const KIND_INFO: Readonly<Record<FaultKind, KindInfo>> = {
  hyp_panic: { severity: 'critical', title: 'HYP panic: the hypervisor stopped the host', label: 'HYP panic' },
  hyp_bug: { severity: 'critical', title: 'nVHE hypervisor BUG', label: 'hyp BUG' },
  serror: { severity: 'critical', title: 'SError interrupt', label: 'SError' },
  kernel_bug: { severity: 'critical', title: 'Kernel BUG (BRK exception)', label: 'kernel BUG' },
  sync_external_abort: { severity: 'critical', title: 'Synchronous external abort', label: 'external abort' },
  mem_abort: { severity: 'error', title: 'Kernel memory abort', label: 'memory abort' },
  kvm_unsupported_fsc: { severity: 'error', title: 'KVM could not handle a guest abort (Unsupported FSC)', label: 'KVM Unsupported FSC' },
  kvm_nisv: { severity: 'error', title: 'Guest MMIO access without a valid syndrome', label: 'KVM no-syndrome abort' },
  vmm_error: { severity: 'error', title: 'The VMM stopped the VM (KVM_RUN failed)', label: 'VMM error' },
  kvm_sysreg_trap: { severity: 'warning', title: 'Guest access to an unhandled system register', label: 'KVM sysreg trap' },
  smmu_event: { severity: 'warning', title: 'SMMUv3 event', label: 'SMMUv3 event' },
  smmu_context_fault: { severity: 'warning', title: 'SMMU context fault', label: 'SMMU context fault' },
  kvm_guest_fault: { severity: 'info', title: 'Stage-2 faults handled by KVM (trace)', label: 'kvm_guest_fault event' },
};

/** Rank of a severity: 0 for the most severe. */
export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

// A data or instruction abort from a lower EL reported in ESR_EL1 is a user-space fault that Linux turned
// into a signal (EC 0x20 IABT_LOW / 0x24 DABT_LOW, fault.c do_mem_abort -> __do_user_fault): a warning, not an
// Oops. The same ECs in ESR_EL2 are guest aborts, which the KVM kinds cover.
export function memAbortSeverity(ec: number | null, el: 1 | 2 | null): Severity {
  const lowerEl = ec === 0x20 || ec === 0x24;
  return lowerEl && el !== 2 ? 'warning' : 'error';
}
