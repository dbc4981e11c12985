// The fault record: what ingest assembles from log lines and trace events, what replay and diagnosis
// consume, what the UI and reports show. Kinds follow issue 4's vocabulary.

export const FAULT_KINDS = [
  'mem_abort', // "Unable to handle kernel …" / "Mem abort info:" blocks; user-space unhandled faults with an ESR
  'sync_external_abort', // old-style "Internal error: synchronous external abort" / "Unhandled fault"
  'serror', // "SError Interrupt on CPU"
  'hyp_panic', // the multi-line "HYP panic:" block
  'hyp_bug', // "nVHE hyp BUG at"
  'kernel_bug', // "Internal error: Oops - BUG:" and other BRK-class Oops headers with an ESR
  'kvm_unsupported_fsc', // "kvm [pid]: Unsupported FSC: EC=… xFSC=… ESR_EL2=…"
  'kvm_nisv', // no valid syndrome: old messages and the kvm_mmio_nisv event
  'kvm_sysreg_trap', // "Unsupported guest sys_reg access" and CP access messages
  'kvm_guest_fault', // ftrace kvm_guest_fault events
  'smmu_event', // arm-smmu-v3 event dumps
  'smmu_context_fault', // arm-smmu "Unhandled context fault"
  'vmm_error', // QEMU "kvm run failed"
] as const;

export type FaultKind = (typeof FAULT_KINDS)[number];

export interface SourceRange {
  /** Path of the file inside the bundle, `/`-separated, relative to the bundle root. */
  readonly file: string;
  /** 1-based first and last line (for binary traces: the event index). */
  readonly line: number;
  readonly endLine: number;
}

export interface FaultRecord {
  readonly kind: FaultKind;
  readonly esr: bigint | null;
  /** Which ESR_ELx the value was read from, when the message says (ESR_EL2 for KVM and hyp). */
  readonly el: 1 | 2 | null;
  readonly far: bigint | null;
  readonly ipa: bigint | null;
  readonly pc: bigint | null;
  readonly cpu: number | null;
  readonly pid: number | null;
  readonly comm: string | null;
  readonly timeNs: bigint | null;
  /** Kernel release in effect (`6.1.0-18-arm64`), from the bundle context or the record's own text. */
  readonly kernel: string | null;
  readonly source: SourceRange;
  /** The raw text of the record, as it appeared (multi-line blocks joined with \n). */
  readonly text: string;
  /** Kind-specific facts (SMMU stream id, sysreg encoding, BRK immediate, VMM error string, …). */
  readonly extra: Readonly<Record<string, string | number | boolean | null>>;
}

/** A passed-through or host PCI device with its BARs, from lspci -nnvv. */
export interface PciBar {
  readonly index: number;
  readonly address: bigint;
  readonly size: bigint;
  readonly prefetchable: boolean;
  readonly is64: boolean;
}

export interface PciDevice {
  readonly bdf: string;
  readonly description: string;
  readonly vendorDevice: string | null;
  readonly driver: string | null;
  readonly bars: readonly PciBar[];
}

export interface VcpuThread {
  readonly tid: number;
  readonly index: number | null;
}

export interface VmProcess {
  readonly pid: number;
  readonly name: string | null;
  readonly vcpus: readonly VcpuThread[];
}

/** What the bundle says about the host: filled by ingest, read by replay, UI and reports. */
export interface BundleContext {
  readonly hostname: string | null;
  readonly kernels: readonly string[];
  readonly midr: string | null;
  readonly cpuDescription: string | null;
  readonly pageSizeKiB: number | null;
  readonly vaBits: number | null;
  readonly cmdline: string | null;
  readonly pciDevices: readonly PciDevice[];
  readonly vms: readonly VmProcess[];
}

export const EMPTY_CONTEXT: BundleContext = {
  hostname: null,
  kernels: [],
  midr: null,
  cpuDescription: null,
  pageSizeKiB: null,
  vaBits: null,
  cmdline: null,
  pciDevices: [],
  vms: [],
};
