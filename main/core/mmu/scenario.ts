// A replay scenario: the system-register state, the stage-1 and stage-2 mappings (as attributes, or as table
// images walked like hardware) and one access. The `faultline replay` JSON input maps onto this 1:1
// (scenario-parse.ts); the record replay builds it from a bundle (replay-record.ts).
import type { Access } from './access';
import type { Granule } from './granule';
import type { Shareability } from './types';

export interface CpuFeatures {
  /** ID_AA64MMFR0_EL1.PARange as a bit count (32..48 modelled). */
  readonly pamax: number;
  readonly lse2: boolean;
}

export interface SctlrEl1 {
  readonly M: boolean;
  readonly A: boolean;
  readonly C: boolean;
  readonly nAA: boolean;
}

export interface HcrEl2 {
  readonly VM: boolean;
  readonly FWB: boolean;
  readonly PTW: boolean;
  readonly DC: boolean;
  readonly CD: boolean;
}

/** Stage-1 leaf attributes given directly (attrs mode). */
export interface Stage1Attrs {
  readonly kind: 'attrs';
  readonly mairAttr: number;
  /** AP[2:1]. */
  readonly ap: number;
  readonly pxn: boolean;
  readonly uxn: boolean;
  readonly af: boolean;
  readonly sh: Shareability;
  /** The level of the leaf descriptor (reported in access-flag and permission faults). */
  readonly level: number;
  /**
   * False: no valid descriptor maps the VA; the walk stops at `level` with a translation fault (ASL
   * AArch64.S1Walk: the fault level is that of the invalid descriptor). Absent: a valid leaf.
   */
  readonly valid?: boolean;
  /** The IPA of the VA's 4 KB page (a recorded HPFAR_EL2 / tracepoint IPA); absent: IPA = VA. */
  readonly ipaPage?: bigint;
  /**
   * The IPA of a stage-1 table descriptor fetched on the way to the leaf: with stage 2 on, that fetch is first
   * translated by stage 2 (AccessType_TTW), and a stage-2 fault there is reported with S1PTW = 1. Absent: the
   * walk's fetches are not modelled in attrs mode.
   */
  readonly tableIpa?: bigint;
}

/** A table image: descriptor address -> 64-bit descriptor; absent addresses read as 0 (invalid). */
export type TableImage = ReadonlyMap<bigint, bigint>;

export interface Stage1Walk {
  readonly kind: 'walk';
  readonly t0sz: number;
  readonly tg0: Granule;
  /** TCR_EL1.IPS encoding (0..5: 32..48 bits). */
  readonly ips: number;
  readonly epd0: boolean;
  readonly tbi0: boolean;
  readonly ttbr0: bigint;
  readonly mair: bigint;
  /** Keyed by the IPA of each descriptor (every fetch is first translated by stage 2). */
  readonly tables: TableImage;
}

export interface Stage2Attrs {
  readonly kind: 'attrs';
  readonly memattr: number;
  /** S2AP[1:0]: bit 0 read, bit 1 write. */
  readonly s2ap: number;
  /** XN[1:0] (descriptor bits [54:53]). */
  readonly xn: number;
  readonly af: boolean;
  readonly sh: Shareability;
  readonly level: number;
  /**
   * False: no valid stage-2 descriptor maps the IPA (KVM has not mapped it yet, or it is outside every memslot);
   * the walk stops at `level` with a translation fault (ASL AArch64.S2Walk). Absent: a valid leaf.
   */
  readonly valid?: boolean;
}

export interface Stage2Walk {
  readonly kind: 'walk';
  readonly t0sz: number;
  readonly sl0: number;
  readonly tg0: Granule;
  /** VTCR_EL2.PS encoding. */
  readonly ps: number;
  readonly vttbr: bigint;
  /** Keyed by the PA of each descriptor. */
  readonly tables: TableImage;
}

export interface KvmContext {
  /** Host kernel release, e.g. `6.1.0-18-arm64`. */
  readonly kernel: string;
  /** Whether the faulting IPA lies in a memslot (RAM or a mapped BAR); null when unknown. */
  readonly inMemslot: boolean | null;
  /**
   * ESR ISV of the recorded access (the synthesized ESR has ISV = 0): outside memslots it decides between MMIO
   * emulation and the no-syndrome path (arch/arm64/kvm/mmio.c io_mem_abort). Absent: false.
   */
  readonly syndromeValid?: boolean;
}

export interface Scenario {
  readonly mode: 'attrs' | 'walk';
  readonly cpu: CpuFeatures;
  readonly sctlr: SctlrEl1;
  readonly hcr: HcrEl2;
  readonly stage1: Stage1Attrs | Stage1Walk | null;
  readonly stage2: Stage2Attrs | Stage2Walk | null;
  readonly access: Access;
  readonly kvm: KvmContext | null;
}

export const DEFAULT_CPU: CpuFeatures = { pamax: 48, lse2: false };
export const DEFAULT_SCTLR: SctlrEl1 = { M: true, A: false, C: true, nAA: false };
export const DEFAULT_HCR: HcrEl2 = { VM: true, FWB: false, PTW: false, DC: false, CD: false };
