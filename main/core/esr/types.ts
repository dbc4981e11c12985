// The ESR decode tree: plain data that the CLI, the UI and the reports only render (STYLE.md §7).
// Every field carries its bit range in the 64-bit ESR so that a UI can lay it over the bits as is.

/** The ESR_ELx a value was read from; null when the source does not say. */
export type EsrEl = 1 | 2;

export interface EsrContext {
  /** Which ESR_ELx holds the value (ESR_EL2 for KVM and hyp messages). */
  readonly el?: EsrEl;
  /** FAR_ELx of the same exception. */
  readonly far?: bigint;
  /** HPFAR_EL2 of the same exception (stage-2 faults taken to EL2). */
  readonly hpfar?: bigint;
  /** Kernel release (`6.1.0-18-arm64`, `5.4.37-rc1`, `6.12`): picks the kernel's names and KVM's path. */
  readonly kernel?: string;
}

export interface EsrField {
  /** The architectural name as the Arm ARM spells it (`WnR`, `DFSC`, `ISS2`), or `RES0`. */
  readonly name: string;
  /** Bit range in the 64-bit ESR, inclusive (`hi >= lo`). */
  readonly hi: number;
  readonly lo: number;
  /** Raw value of bits [hi:lo]. */
  readonly value: number;
  /** Short title of the field (`Write not Read`). */
  readonly title: string;
  /** What the value means here (for a field that is not meaningful: what the bits are instead). */
  readonly meaning: string;
  /** False when the architecture gives these bits no meaning for this value (see `reason`). */
  readonly meaningful: boolean;
  /** Why the field is not meaningful, or null. */
  readonly reason: string | null;
  /** Sub-fields in Arm ARM bit order (ISS and ISS2 only). */
  readonly children: readonly EsrField[];
}

export type FscType =
  | 'address_size'
  | 'translation'
  | 'access_flag'
  | 'permission'
  | 'sync_external'
  | 'tag_check'
  | 'sync_external_walk'
  | 'parity'
  | 'parity_walk'
  | 'alignment'
  | 'gpf_walk'
  | 'gpf'
  | 'tlb_conflict'
  | 'atomic_hw_update'
  | 'impdef_lockdown'
  | 'impdef_exclusive'
  | 'debug'
  | 'serror_uncategorized'
  | 'serror_async'
  | 'reserved';

export interface FscInfo {
  readonly code: number;
  /** The Arm ARM's wording for the code. */
  readonly meaning: string;
  readonly type: FscType;
  /** Translation level -2..3, or null when the code has none. */
  readonly level: number | null;
  /** Reserved for this kind of abort (for an IFSC: also the data-abort-only codes). */
  readonly reserved: boolean;
  /** Architecture feature that introduced the code, when it is not in the base architecture. */
  readonly feature: string | null;
}

export interface SysregInfo {
  readonly op0: number;
  readonly op1: number;
  readonly crn: number;
  readonly crm: number;
  readonly op2: number;
  /** Known name (`CNTVCT_EL0`, `DC CIVAC`), else the generic `S3_1_C15_C2_0` spelling. */
  readonly name: string;
  /** True when the name comes from the table (false: generic S-form). */
  readonly known: boolean;
  /** Encoding in the space the architecture reserves for IMPLEMENTATION DEFINED registers. */
  readonly impdef: boolean;
  /** True for a read (MRS/MRRS, Direction=1). */
  readonly read: boolean;
  /** The instruction as an assembler would print it (`MRS X1, CNTVCT_EL0`). */
  readonly instruction: string;
  /** KVM's line for an unhandled access (`{ Op0( 3), Op1( 0), ... func_read },`). */
  readonly kvmLine: string;
}

export interface BrkInfo {
  readonly immediate: number;
  /** Kernel meaning (`BUG() or WARN()`, `KASAN tag mismatch`), or null for an immediate Linux does not use. */
  readonly meaning: string | null;
  /** Linux brk-imm.h constant name. */
  readonly constant: string | null;
  /** Extra decoded detail (KASAN access size and direction, kCFI registers, UBSAN check). */
  readonly detail: string | null;
}

export type SerrorSeverity = 'UC' | 'UEU' | 'UEO' | 'UER' | 'CE' | 'uncategorized' | 'impdef' | 'reserved';

export interface SerrorInfo {
  readonly ids: number;
  readonly severity: SerrorSeverity;
  readonly description: string;
  /** Whether Linux's do_serror() panics (true), carries on (false). */
  readonly linuxPanics: boolean;
  readonly linuxReason: string;
}

export interface KernelNames {
  /** The version the names were chosen for (`6.12`), or null for the newest modelled. */
  readonly version: string | null;
  /** esr_get_class_string() for this EC, as that kernel prints it. */
  readonly className: string;
  /** fault_info[].name for the FSC (aborts only), as that kernel prints it. */
  readonly faultName: string | null;
}

export interface KvmOutcome {
  /** The condition under which this outcome applies (`IPA outside every memslot (MMIO)`). */
  readonly when: string;
  readonly outcome: string;
  /** Exact message printed, with `PID` standing for the pid, or null when KVM prints nothing. */
  readonly message: string | null;
  /** errno KVM_RUN returns, or null when the guest simply resumes. */
  readonly errno: string | null;
}

export interface KvmView {
  /** The exit handler in arch/arm64/kvm/handle_exit.c (`kvm_handle_guest_abort`). */
  readonly handler: string;
  /** Which code path: `stage2_fault`, `sea`, `unsupported_fsc`, `trap`, `hyp_abort`, `unknown_ec`, ... */
  readonly path: string;
  /** Which KVM generation the path was taken from (`6.9+`, `<6.9`). */
  readonly generation: string;
  readonly summary: string;
  /** The outcome when it does not depend on the IPA; otherwise null and see `outcomes`. */
  readonly message: string | null;
  readonly errno: string | null;
  /** What the VMM prints when KVM_RUN fails (QEMU). */
  readonly vmm: string | null;
  /** The outcomes that depend on what the IPA is (RAM in a memslot or not). */
  readonly outcomes: readonly KvmOutcome[];
}

export interface EsrAddresses {
  readonly far: bigint | null;
  /** False when FnV=1 (FAR holds an UNKNOWN value); null when no FAR was given. */
  readonly farValid: boolean | null;
  readonly hpfar: bigint | null;
  /** Faulting IPA from HPFAR_EL2.FIPA (plus FAR[11:0] when FAR is valid). */
  readonly ipa: bigint | null;
  /** False when the architecture leaves HPFAR_EL2 UNKNOWN for this fault. */
  readonly ipaValid: boolean | null;
}

export interface EcInfo {
  readonly code: number;
  /** Linux ESR_ELx_EC_* suffix (`DABT_LOW`), or null for an unallocated EC. */
  readonly name: string | null;
  /** Arm ARM description of the class. */
  readonly description: string;
  readonly allocated: boolean;
}

export interface EsrDecode {
  readonly esr: bigint;
  readonly el: EsrEl | null;
  readonly ec: number;
  readonly il: number;
  /** ISS, bits [24:0]. */
  readonly iss: number;
  /** ISS2, bits [55:32]. */
  readonly iss2: number;
  readonly ecInfo: EcInfo;
  /** The tree: RES0 [63:56], ISS2 [55:32], EC [31:26], IL [25], ISS [24:0]. */
  readonly fields: readonly EsrField[];
  readonly fsc: FscInfo | null;
  readonly sysreg: SysregInfo | null;
  readonly brk: BrkInfo | null;
  readonly serror: SerrorInfo | null;
  readonly kernel: KernelNames;
  readonly addresses: EsrAddresses;
  readonly kvm: KvmView | null;
  /** What is odd about the value; the decode goes on regardless. */
  readonly warnings: readonly string[];
}
