// Fault kinds (main/core/ingest/fault-record.ts FAULT_KINDS) to colour classes (styles/theme.css --kind-*):
// aborts red, KVM orange, SError and hyp panics purple, SMMU teal, VMM grey, trace-only events blue.
const KIND_CLASS: Readonly<Record<string, string>> = {
  mem_abort: 'kind-abort',
  sync_external_abort: 'kind-abort',
  kernel_bug: 'kind-abort',
  serror: 'kind-serror',
  hyp_panic: 'kind-serror',
  hyp_bug: 'kind-serror',
  kvm_unsupported_fsc: 'kind-kvm',
  kvm_nisv: 'kind-kvm',
  kvm_sysreg_trap: 'kind-kvm',
  kvm_guest_fault: 'kind-trace',
  smmu_event: 'kind-smmu',
  smmu_context_fault: 'kind-smmu',
  vmm_error: 'kind-vmm',
};

export function kindColorClass(kind: string): string {
  return KIND_CLASS[kind] ?? 'kind-vmm';
}

export const KIND_LEGEND: readonly { readonly cls: string; readonly label: string }[] = [
  { cls: 'kind-abort', label: 'kernel abort / Oops' },
  { cls: 'kind-kvm', label: 'KVM' },
  { cls: 'kind-serror', label: 'SError / hyp panic' },
  { cls: 'kind-smmu', label: 'SMMU' },
  { cls: 'kind-trace', label: 'trace event' },
  { cls: 'kind-vmm', label: 'VMM' },
];
