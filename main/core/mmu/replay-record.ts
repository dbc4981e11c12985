// Replaying a recorded fault: run the model on the inputs built from the record and the bundle, compare the
// predicted syndrome with the recorded ESR, and say whether the record is consistent with the model, which
// field differs if not, or which missing input decides it (and what each choice gives). Also the what-if.
import type { BundleContext, FaultRecord } from '../ingest/fault-record';
import { bits } from '../hex';
import { kvmS2Policy } from './kvm-policy';
import { replayAccess, type ReplayOutcome } from './replay';
import { buildReplayInputs, isGuestAbort, leafOf, type ReplayAssumptions, type ReplayInput, type ReplayInputs, type WhatIf } from './replay-inputs';
import { describeMapping } from './replay-mapping';
import type { Scenario, Stage1Attrs, Stage2Attrs } from './scenario';
import type { S2Region } from './kvm-policy';

/** Applies one change to a scenario (attrs mode) and replays it. `region` keeps kernel changes meaningful. */
export function whatIf(s: Scenario, change: WhatIf, region: S2Region = 'vfio-pci-bar'): { scenario: Scenario; outcome: ReplayOutcome } {
  const next = applyChange(s, change, region);
  return { scenario: next, outcome: replayAccess(next) };
}

function withS2(s: Scenario, patch: Partial<Stage2Attrs>): Scenario {
  return s.stage2 && s.stage2.kind === 'attrs' ? { ...s, stage2: { ...s.stage2, ...patch } } : s;
}

function memattrFor(kernel: string, region: S2Region, fwb: boolean): number | null {
  const row = kvmS2Policy(kernel, region);
  return row?.memattr ? (fwb ? row.memattr.fwb : row.memattr.nofwb) : null;
}

function applyChange(s: Scenario, c: WhatIf, region: S2Region): Scenario {
  switch (c.kind) {
    case 'kernel': {
      const m = memattrFor(c.kernel, region, s.hcr.FWB);
      const next: Scenario = { ...s, kvm: { ...s.kvm, kernel: c.kernel, inMemslot: s.kvm?.inMemslot ?? null } };
      return m === null ? next : withS2(next, { memattr: m });
    }
    case 'region': {
      const m = memattrFor(s.kvm?.kernel ?? '6.8', c.region, s.hcr.FWB);
      return m === null ? s : withS2(s, { memattr: m });
    }
    case 'fwb': {
      const next: Scenario = { ...s, hcr: { ...s.hcr, FWB: c.on } };
      const m = memattrFor(s.kvm?.kernel ?? '6.8', region, c.on);
      return m === null ? next : withS2(next, { memattr: m });
    }
    case 's2-memattr':
      return withS2(s, { memattr: c.memattr & 0xf });
    case 'guest-mair':
    case 'mair':
      return s.stage1 && s.stage1.kind === 'attrs' ? { ...s, stage1: { ...(s.stage1 as Stage1Attrs), mairAttr: c.attr & 0xff } } : s;
    case 'aligned': {
      const unit = BigInt(Math.max(1, s.access.size));
      return { ...s, access: { ...s.access, va: (s.access.va / unit) * unit } };
    }
    case 'access':
      return { ...s, access: { ...s.access, kind: c.access, size: c.size } };
    case 's2-mapping':
      return withS2(s, leafOf(c.mapping));
    case 's1-mapping':
      return s.stage1 && s.stage1.kind === 'attrs' ? { ...s, stage1: { ...s.stage1, ...leafOf(c.mapping) } } : s;
    case 'memslot':
      return s.kvm ? { ...s, kvm: { ...s.kvm, inMemslot: c.inMemslot } } : s;
    case 's2-perms':
      return withS2(s, { s2ap: c.s2ap, xn: c.xn });
    case 's1-perms':
      return s.stage1 && s.stage1.kind === 'attrs' ? { ...s, stage1: { ...s.stage1, ap: c.ap, pxn: c.pxn, uxn: c.uxn } } : s;
  }
}

export function describeWhatIf(c: WhatIf): string {
  switch (c.kind) {
    case 'kernel':
      return `host kernel ${c.kernel}`;
    case 'region':
      return `IPA in ${c.region}`;
    case 'fwb':
      return `HCR_EL2.FWB = ${c.on ? 1 : 0}`;
    case 's2-memattr':
      return `stage-2 MemAttr 0b${c.memattr.toString(2).padStart(4, '0')}`;
    case 'guest-mair':
      return `guest mapping MAIR 0x${c.attr.toString(16).padStart(2, '0')}`;
    case 'mair':
      return `mapping MAIR 0x${c.attr.toString(16).padStart(2, '0')}`;
    case 'aligned':
      return 'an aligned access';
    case 'access':
      return `${c.access} of ${c.size} bytes`;
    case 's2-mapping':
      return describeMapping(c.mapping, 'IPA', 2);
    case 's1-mapping':
      return describeMapping(c.mapping, 'VA', 1);
    case 'memslot':
      return c.inMemslot ? 'IPA inside a memslot' : 'IPA outside every memslot (emulated device memory)';
    case 's2-perms':
    case 's1-perms':
      return c.label;
  }
}

export interface FieldDiff {
  readonly field: string;
  readonly recorded: string;
  readonly predicted: string;
}

// The ESR fields the model predicts, compared one by one (Arm ARM ESR_ELx): ISV and the instruction syndrome
// ([24:14]) are not predicted (the synthesized ESR assumes ISV = 0), nor are EA/FnV/SET.
const COMPARED: readonly { readonly field: string; readonly hi: number; readonly lo: number }[] = [
  { field: 'EC', hi: 31, lo: 26 },
  { field: 'IL', hi: 25, lo: 25 },
  { field: 'CM', hi: 8, lo: 8 },
  { field: 'S1PTW', hi: 7, lo: 7 },
  { field: 'WnR', hi: 6, lo: 6 },
  { field: 'xFSC', hi: 5, lo: 0 },
];

/** Field-by-field differences between a recorded ESR and a predicted one (empty: they agree). */
export function esrDifferences(recorded: bigint, predicted: bigint, wnrKnown = true): FieldDiff[] {
  const out: FieldDiff[] = [];
  for (const c of COMPARED) {
    if (c.field === 'WnR' && !wnrKnown) continue;
    const r = bits(recorded, c.hi, c.lo);
    const p = bits(predicted, c.hi, c.lo);
    if (r !== p) out.push({ field: c.field, recorded: '0x' + r.toString(16), predicted: '0x' + p.toString(16) });
  }
  return out;
}

/** Whether an outcome (or one of its permitted branches) reproduces the record's ESR and exception level. */
export function reproduces(record: FaultRecord, o: ReplayOutcome): boolean {
  return recordDifferences(record, o).length === 0;
}

/** The differences between the record and an outcome; a non-fault outcome differs in `outcome` itself. */
export function recordDifferences(record: FaultRecord, o: ReplayOutcome): FieldDiff[] {
  if (o.branches) {
    const all = o.branches.map((b) => recordDifferences(record, b.outcome));
    return all.find((d) => d.length === 0) ?? all[0] ?? [];
  }
  if (!o.fault) return [{ field: 'outcome', recorded: 'fault', predicted: o.outcome }];
  const esr = record.esr ?? 0n;
  const diffs = esrDifferences(esr, o.fault.esr, o.fault.wnr !== null);
  const recordedEl = isGuestAbort(record) ? 'EL2' : record.el === 1 ? 'EL1' : null;
  if (recordedEl && recordedEl !== o.fault.takenTo) diffs.unshift({ field: 'taken to', recorded: recordedEl, predicted: o.fault.takenTo });
  return diffs;
}

export interface Choice {
  readonly input: string;
  readonly change: string;
  readonly outcome: ReplayOutcome;
  readonly reproduces: boolean;
}

export type ReplayVerdict =
  | { readonly verdict: 'consistent' }
  | { readonly verdict: 'inconsistent'; readonly differences: readonly FieldDiff[] }
  | { readonly verdict: 'underdetermined'; readonly missing: readonly string[]; readonly choices: readonly Choice[] };

/**
 * Classifies a record against the primary outcome and the outcomes of the alternatives:
 *   - an unknown input whose choices disagree on reproducing the record -> underdetermined (that input, with
 *     its choices);
 *   - otherwise the primary outcome reproduces the ESR                   -> consistent;
 *   - otherwise an alternative of an assumed input reproduces it         -> underdetermined (that assumption);
 *     (alternatives to recorded or bundle values do not count: they show in the what-if table)
 *   - otherwise                                                           -> inconsistent, with the fields.
 */
export function classifyReplay(record: FaultRecord, outcome: ReplayOutcome, choices: readonly (Choice & { readonly basis: ReplayInput['basis'] })[] = []): ReplayVerdict {
  const primary = reproduces(record, outcome);
  const unknown = choices.filter((c) => c.basis === 'unknown');
  const decisive = unknown.filter((c) => c.reproduces !== primary);
  if (decisive.length > 0) {
    const missing = [...new Set(decisive.map((c) => c.input))];
    return { verdict: 'underdetermined', missing, choices: unknown.filter((c) => missing.includes(c.input)) };
  }
  if (primary) return { verdict: 'consistent' };
  // Only inputs the bundle does not give can be what is missing; a fitting alternative to a recorded or
  // bundle value (say, an older kernel than the bundle's) stays visible in the what-if table instead.
  const fitting = choices.filter((c) => c.reproduces && (c.basis === 'assumed' || c.basis === 'unknown'));
  if (fitting.length > 0) {
    const missing = [...new Set(fitting.map((c) => c.input))];
    return { verdict: 'underdetermined', missing, choices: choices.filter((c) => missing.includes(c.input)) };
  }
  return { verdict: 'inconsistent', differences: recordDifferences(record, outcome) };
}

export interface RecordReplay {
  readonly inputs: ReplayInputs;
  readonly outcome: ReplayOutcome;
  readonly verdict: ReplayVerdict;
  /** Every alternative of every input, replayed (the what-if table). */
  readonly whatIfs: readonly Choice[];
}

/** Replays a recorded abort end to end; null when the record carries no abort ESR. */
export function replayRecord(record: FaultRecord, context: BundleContext, assumptions: ReplayAssumptions = {}): RecordReplay | null {
  const inputs = buildReplayInputs(record, context, assumptions);
  if (!inputs) return null;
  const outcome = replayAccess(inputs.scenario);
  const choices = inputs.inputs.flatMap((input) =>
    input.alternatives.map((change) => {
      const o = whatIf(inputs.scenario, change, inputs.region).outcome;
      return { input: input.name, basis: input.basis, change: describeWhatIf(change), outcome: o, reproduces: reproduces(record, o) };
    }),
  );
  return { inputs, outcome, verdict: classifyReplay(record, outcome, choices), whatIfs: choices };
}
