// Where the architecture leaves a choice (CONSTRAINED UNPREDICTABLE, or IMPLEMENTATION DEFINED), the model does
// not guess: each choice point asks the oracle, the oracle records the question, and the replay is run again
// for every answer (replay.ts). The catalogue of choice points is data.

export type ChoiceKind = 'constrained_unpredictable' | 'impdef';

export interface ChoicePoint {
  readonly kind: ChoiceKind;
  readonly text: string;
  /** The ASL function or Arm ARM rule that leaves the choice. */
  readonly source: string;
}

// Every choice point the model can meet.
export const CHOICE_POINTS = {
  's1-reserved-attr': {
    kind: 'constrained_unpredictable',
    text: 'reserved MAIR attribute: treated as an UNKNOWN allocated encoding',
    source: 'S1DecodeMemAttrs (Unpredictable_RESMAIR)',
  },
  's2-reserved-attr': {
    kind: 'constrained_unpredictable',
    text: 'reserved stage-2 inner cacheability: Non-cacheable, Write-Through or Write-Back',
    source: 'S2DecodeCacheability (Unpredictable_S2RESMEMATTR)',
  },
  'instr-device': {
    kind: 'constrained_unpredictable',
    text: 'instruction fetch from Device memory: permission fault or not',
    source: 'AArch64.S1CheckPermissions / S2CheckPermissions (Unpredictable_INSTRDEVICE)',
  },
  'af-on-dc': {
    kind: 'impdef',
    text: 'access flag fault on a DC maintenance operation',
    source: 'AArch64.S1Walk / S2Walk ("Generate access flag fault on IC/DC operations")',
  },
  'misaligned-atomic': {
    kind: 'constrained_unpredictable',
    text: 'unaligned exclusive, atomic or acquire/release access (allowed by FEAT_LSE2) to memory that is not Normal WB: alignment fault or not',
    source: 'AArch64.MemSingle (Unpredictable_MISALIGNEDATOMIC)',
  },
  'atomic-non-wb': {
    kind: 'impdef',
    text: 'exclusive or atomic access to memory that is not Normal Inner/Outer Write-Back: supported, an "Unsupported Exclusive or Atomic access" fault (DFSC 0x35), or an external abort',
    source: 'Arm ARM B2 "Memory types and attributes" (atomicity of exclusives and atomics); DFSC 0b110101',
  },
  'txsz-out-of-range': {
    kind: 'impdef',
    text: 'TxSZ outside the supported range: translation fault, or the value is treated as the nearest supported one',
    source: 'AArch64.S1TxSZFaults / S2TxSZFaults',
  },
} as const satisfies Record<string, ChoicePoint>;
export type ChoiceId = keyof typeof CHOICE_POINTS;

export interface AskedChoice {
  readonly id: ChoiceId;
  readonly options: readonly string[];
}

/** Answers choice points from a preset (the first option by default) and records every question asked. */
export class Oracle {
  readonly asked: AskedChoice[] = [];
  constructor(private readonly preset: Readonly<Partial<Record<ChoiceId, string>>> = {}) {}

  decide(id: ChoiceId, options: readonly string[]): string {
    this.asked.push({ id, options });
    const chosen = this.preset[id];
    return chosen !== undefined && options.includes(chosen) ? chosen : (options[0] as string);
  }
}
