// Contract operations of the UI work (issue 7) and the decode page (issue 3's UI part): ESR decode, the MMU
// combine / what-if views the attribute lattice draws, and the Electron file dialog. Spread into the one map in
// contract.ts; kept in their own file so that parallel work on the contract does not collide.
import { z } from 'zod';
import type { EsrField } from '../main/core/esr/types';
import type { FaultJson } from '../main/core/mmu/json';

const hexText = z.string().trim().min(1).max(40);

/** main/core/mmu/access.ts ACCESS_KINDS (a test checks the two lists agree). */
export const WHAT_IF_ACCESS_KINDS = [
  'load',
  'store',
  'load_pair',
  'store_pair',
  'simd_load',
  'simd_store',
  'exclusive_load',
  'exclusive_store',
  'atomic_rmw',
  'load_acquire',
  'store_release',
  'dc_zva',
  'dc_civac',
  'ifetch',
] as const;
/** main/core/mmu/kvm-policy.ts S2Region: how KVM classifies the memory behind the IPA. */
export const S2_REGIONS = ['ram', 'vfio-pci-bar', 'pfnmap-device', 'cacheable-pfnmap'] as const;

/** The inputs of a what-if replay: one access through stage 1 and stage 2 given as attributes. */
export const whatIfInputs = z
  .object({
    /** Host kernel release: picks KVM's stage-2 mapping (when `stage2.region`) and its fault handling. */
    kernel: z.string().trim().min(1).max(80),
    /** HCR_EL2.FWB (FEAT_S2FWB). */
    fwb: z.boolean(),
    /** The stage-2 type: KVM's choice for a kind of memory under `kernel`, or a MemAttr nibble given as is. */
    stage2: z.union([z.object({ region: z.enum(S2_REGIONS) }).strict(), z.object({ memattr: z.number().int().min(0).max(0xf) }).strict()]),
    /** The guest's mapping: its MAIR_EL1 attribute byte (0x44 = ioremap_wc Normal-NC, 0x04 = ioremap Device-nGnRE). */
    s1Attr: z.number().int().min(0).max(0xff),
    access: z
      .object({
        kind: z.enum(WHAT_IF_ACCESS_KINDS),
        size: z.number().int().min(1).max(2048),
        /** The address's offset in its page: decides alignment. */
        offset: z.number().int().min(0).max(0xfff),
        /** The page the access goes to (an IPA, e.g. the recorded one); default a QEMU virt high PCIe MMIO page. */
        page: hexText.optional(),
      })
      .strict(),
    /** Whether the IPA lies in a memslot (a mapped BAR does); null when unknown. */
    inMemslot: z.boolean().nullable().default(true),
  })
  .strict();

export const uiRequestSchemas = {
  /** Decodes one or many ESR values (as pasted: `0x92000061`, `92000061`, `0000000096000004`). */
  'esr:decode': z
    .object({
      values: z.array(hexText).min(1).max(256),
      el: z.union([z.literal(1), z.literal(2)]).optional(),
      kernel: z.string().trim().min(1).max(80).optional(),
      far: hexText.optional(),
      hpfar: hexText.optional(),
    })
    .strict(),
  /** Stage-1 MAIR attribute byte and stage-2 MemAttr nibble combined, with or without FEAT_S2FWB. */
  'mmu:combine': z
    .object({
      s1Attr: z.number().int().min(0).max(0xff),
      s2MemAttr: z.number().int().min(0).max(0xf),
      fwb: z.boolean(),
    })
    .strict(),
  /** Replays one access under the given inputs: the lattice, the predicted outcome and what KVM does. */
  'replay:what-if': whatIfInputs,
  /**
   * A stored fault replayed through the MMU model (main/core/mmu replayRecord): its inputs, recorded or assumed,
   * the verdict, and the what-if starting point. `assumptions` override what the record does not say.
   */
  'faults:replay': z
    .object({
      faultId: z.number().int().positive(),
      assumptions: z
        .object({
          kernel: z.string().trim().min(1).max(80).optional(),
          region: z.enum(S2_REGIONS).optional(),
          fwb: z.boolean().optional(),
          guestMair: z.number().int().min(0).max(0xff).optional(),
          aligned: z.boolean().optional(),
        })
        .strict()
        .default({}),
    })
    .strict(),
  /** The diagnoses of a bundle (main/core/diagnose rules over every fault and its replay), most severe first. */
  'diagnoses:list': z.object({ bundleId: z.number().int().positive() }).strict(),
  /** Electron only: the native folder/archive picker. Browser mode answers `bad_request`. */
  'app:open-dialog': z.object({ kind: z.enum(['folder', 'file']).default('folder') }).strict(),
} as const;

/** One field of the decode tree, as main/core/esr builds it (types only: the renderer never runs core code). */
export type EsrFieldView = EsrField;

export interface KvmOutcomeView {
  readonly when: string;
  readonly outcome: string;
  readonly message: string | null;
  readonly errno: string | null;
}

export interface KvmViewJson {
  readonly handler: string;
  readonly path: string;
  readonly generation: string;
  readonly summary: string;
  readonly message: string | null;
  readonly errno: string | null;
  readonly vmm: string | null;
  readonly outcomes: readonly KvmOutcomeView[];
}

/** main/core/esr EsrDecode with 64-bit values as hex strings. */
export interface EsrDecodeView {
  readonly esr: string;
  readonly el: 1 | 2 | null;
  readonly ec: number;
  readonly il: number;
  readonly iss: number;
  readonly iss2: number;
  readonly ecInfo: { readonly code: number; readonly name: string | null; readonly description: string; readonly allocated: boolean };
  readonly fields: readonly EsrFieldView[];
  readonly fsc: {
    readonly code: number;
    readonly meaning: string;
    readonly type: string;
    readonly level: number | null;
    readonly reserved: boolean;
    readonly feature: string | null;
  } | null;
  readonly sysreg: { readonly name: string; readonly instruction: string; readonly kvmLine: string; readonly impdef: boolean; readonly known: boolean } | null;
  readonly brk: { readonly immediate: number; readonly meaning: string | null; readonly constant: string | null; readonly detail: string | null } | null;
  readonly serror: { readonly severity: string; readonly description: string; readonly linuxPanics: boolean; readonly linuxReason: string } | null;
  readonly kernel: { readonly version: string | null; readonly className: string; readonly faultName: string | null };
  readonly addresses: {
    readonly far: string | null;
    readonly farValid: boolean | null;
    readonly hpfar: string | null;
    readonly ipa: string | null;
    readonly ipaValid: boolean | null;
  };
  readonly kvm: KvmViewJson | null;
  readonly warnings: readonly string[];
  /** main/core/esr renderEsrTree: the plain-text field tree (what `faultline decode` prints). */
  readonly text: string;
  /** main/core/esr renderMemAbortInfo: the kernel's "Mem abort info:" block, for aborts (EC 0x20/0x21/0x24/0x25). */
  readonly memAbortInfo: string | null;
}

export type EsrDecodeItem =
  | { readonly input: string; readonly ok: true; readonly decode: EsrDecodeView }
  | { readonly input: string; readonly ok: false; readonly error: string };

export type CacheLevelName = 'NC' | 'WT' | 'WB';

/** One side's memory attributes, as the MMU model computed them, with the lattice node they sit on. */
export interface AttrView {
  /** Lattice node (`Normal-NC`, `Device-nGnRE`): main/core/mmu latticeNode. */
  readonly node: string;
  /** main/core/mmu describeAttrs (`Normal iWB-oNC`). */
  readonly label: string;
  readonly memtype: 'Device' | 'Normal';
  readonly inner: CacheLevelName | null;
  readonly outer: CacheLevelName | null;
  readonly shareability: 'NSH' | 'ISH' | 'OSH';
  readonly tagged: boolean;
}

/** main/core/mmu latticeMarks: what the attribute lattice marks (renderer/viz/lattice-layout.ts LatticeMarks). */
export interface LatticeMarksView {
  readonly s1: string | null;
  readonly s2: string | null;
  readonly result: string | null;
  readonly resultOptions: readonly string[];
  readonly fwb: boolean;
  readonly cache: {
    readonly s1: { readonly inner: CacheLevelName; readonly outer: CacheLevelName } | null;
    readonly s2: { readonly inner: CacheLevelName; readonly outer: CacheLevelName } | null;
    readonly result: { readonly inner: CacheLevelName; readonly outer: CacheLevelName } | null;
  };
}

export interface CombineView {
  readonly marks: LatticeMarksView;
  readonly s1: { readonly encoding: string; readonly attrs: AttrView | null; readonly options: readonly AttrView[]; readonly reserved: boolean };
  /**
   * Stage 2 on its own. Without FWB its decoded attributes; with FWB the encoding only has a meaning combined,
   * so `attrs` is null and `fwbMeaning` names the FWB row (`Device-nGnRE`, `Normal-NC`, `Normal-WB`,
   * `stage 1 unchanged`), `fwbNode` its lattice node when it has one.
   */
  readonly s2: {
    readonly encoding: string;
    readonly attrs: AttrView | null;
    readonly options: readonly AttrView[];
    readonly reserved: boolean;
    readonly fwbMeaning: string | null;
    readonly fwbNode: string | null;
  };
  readonly fwb: boolean;
  readonly result: AttrView | null;
  readonly resultOptions: readonly AttrView[];
  readonly reserved: boolean;
  readonly rule: { readonly id: string; readonly text: string; readonly asl: string };
  readonly unalignedAccessFaults: boolean;
  readonly alignmentFaultStage: 1 | 2 | null;
}

/** main/core/mmu outcomeToJson (the `faultline replay --json` shape). */
export interface ReplayOutcomeView {
  readonly outcome: string;
  readonly ipa: string | null;
  readonly pa: string | null;
  readonly memattrs: Readonly<Record<string, unknown>> | null;
  readonly shareability: string | null;
  readonly fault: FaultJson | null;
  readonly kvm: { readonly path: string; readonly log: string | null; readonly result: string; readonly text: string } | null;
  readonly rule: string;
  readonly branches?: readonly { readonly choices: Readonly<Record<string, string>>; readonly outcome: ReplayOutcomeView }[];
}

export interface WhatIfView {
  /** The stage-2 MemAttr replayed, and where it came from (KVM's policy row for the region, or given). */
  readonly stage2: { readonly memattr: string; readonly source: string; readonly since: string | null; readonly commits: readonly string[] };
  readonly va: string;
  readonly combine: CombineView;
  readonly outcome: ReplayOutcomeView;
}

/** One replay input (main/core/mmu replay-inputs ReplayInput): what the record says, or what was assumed. */
export interface ReplayInputView {
  readonly name: string;
  readonly value: string;
  readonly basis: 'recorded' | 'context' | 'assumed' | 'unknown';
  readonly source: string;
  /** The other values worth trying, described (`kernel 6.9`). */
  readonly alternatives: readonly string[];
}

export type ReplayVerdictView =
  | { readonly verdict: 'consistent' }
  | { readonly verdict: 'inconsistent'; readonly differences: readonly { readonly field: string; readonly recorded: string; readonly predicted: string }[] }
  | { readonly verdict: 'underdetermined'; readonly missing: readonly string[] };

export interface FaultReplayView {
  readonly faultId: number;
  readonly inputs: readonly ReplayInputView[];
  readonly outcome: ReplayOutcomeView;
  readonly verdict: ReplayVerdictView;
  /** Every alternative of every input, replayed: does it reproduce the record? */
  readonly alternatives: readonly { readonly input: string; readonly change: string; readonly outcome: string; readonly esr: string | null; readonly reproduces: boolean }[];
  /** The replay's scenario as what-if controls (replay:what-if gives the same outcome for it). */
  readonly whatIf: z.output<typeof whatIfInputs>;
  /** Which control each input's basis applies to (`kernel` -> `recorded`). */
  readonly basis: Readonly<Record<string, string>>;
}

export interface DiagnosisView {
  readonly id: string;
  readonly ruleId: string;
  readonly title: string;
  readonly severity: 'critical' | 'error' | 'warning' | 'info';
  readonly explanation: readonly string[];
  readonly fixedIn: string | null;
  readonly action: string | null;
  readonly faultIds: readonly number[];
  readonly references: readonly { readonly text: string; readonly url: string | null }[];
}

export interface UiResponseMap {
  'esr:decode': { readonly items: readonly EsrDecodeItem[] };
  'mmu:combine': CombineView;
  'replay:what-if': WhatIfView;
  /** Null when the fault carries no abort ESR to replay. */
  'faults:replay': FaultReplayView | null;
  'diagnoses:list': readonly DiagnosisView[];
  'app:open-dialog': { readonly path: string | null };
}
