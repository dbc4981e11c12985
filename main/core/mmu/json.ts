// The JSON shapes of the MMU model (the `faultline combine` / `faultline replay` contract, relied on by
// scripts): pure renderings of model values, no computation.
import { toHex } from '../hex';
import type { CombineExplanation } from './combine';
import type { FaultSyndrome } from './fault';
import type { KvmPrediction } from './kvm-paths';
import type { ReplayOutcome } from './replay';
import type { Choice, RecordReplay } from './replay-record';
import { typeName, type MemAttrs } from './types';

export type AttrsJson =
  | { readonly type: string }
  | {
      readonly type: 'Normal';
      readonly inner: string;
      readonly outer: string;
      readonly inner_alloc: string;
      readonly outer_alloc: string;
      readonly inner_transient: boolean;
      readonly outer_transient: boolean;
      readonly tagged: boolean;
    };

/** `{"type": "Device-nGnRE"}` or `{"type": "Normal", "inner": "NC", …}`. */
export function attrsToJson(a: MemAttrs): AttrsJson {
  if (a.memtype === 'Device') return { type: typeName(a) };
  return {
    type: 'Normal',
    inner: a.inner.attrs,
    outer: a.outer.attrs,
    inner_alloc: a.inner.hints,
    outer_alloc: a.outer.hints,
    inner_transient: a.inner.transient,
    outer_transient: a.outer.transient,
    tagged: a.tagged,
  };
}

export interface CombineJson {
  readonly result: AttrsJson | null;
  readonly result_options: readonly AttrsJson[] | null;
  readonly reserved: boolean;
  readonly unaligned_access_faults: boolean;
  readonly alignment_fault_stage: 1 | 2 | null;
  readonly rule: { readonly id: string; readonly text: string; readonly asl: string };
  readonly fwb: boolean;
}

export function combineToJson(e: CombineExplanation): CombineJson {
  return {
    result: e.result ? attrsToJson(e.result) : null,
    result_options: e.resultOptions ? e.resultOptions.map(attrsToJson) : null,
    reserved: e.reserved,
    unaligned_access_faults: e.unalignedAccessFaults,
    alignment_fault_stage: e.alignmentFaultStage,
    rule: { id: e.rule.id, text: e.rule.text, asl: e.rule.asl },
    fwb: e.fwb,
  };
}

export interface FaultJson {
  readonly stage: 1 | 2;
  readonly taken_to: 'EL1' | 'EL2';
  readonly type: string;
  readonly dfsc: string;
  readonly level: number | null;
  readonly s1ptw: 0 | 1;
  readonly wnr: 0 | 1 | null;
  readonly cm: 0 | 1;
  readonly ec: string;
  readonly esr: string;
  readonly far: string;
  readonly ipa: string | null;
  readonly hpfar_el2: string | null;
}

export function faultToJson(f: FaultSyndrome): FaultJson {
  return {
    stage: f.stage,
    taken_to: f.takenTo,
    type: f.type,
    dfsc: toHex(BigInt(f.dfsc)),
    level: f.level,
    s1ptw: f.s1ptw ? 1 : 0,
    wnr: f.wnr,
    cm: f.cm,
    ec: toHex(BigInt(f.ec)),
    esr: toHex(f.esr),
    far: toHex(f.far),
    ipa: f.ipa === null ? null : toHex(f.ipa),
    hpfar_el2: f.hpfar === null ? null : toHex(f.hpfar),
  };
}

export interface KvmJson {
  readonly path: string;
  readonly log: string | null;
  readonly result: string;
  readonly text: string;
  /** The condition of one case (`cases` of a `memslot_unknown` prediction). */
  readonly when?: string;
  readonly cases?: readonly KvmJson[];
}

function kvmToJson(k: KvmPrediction): KvmJson {
  return {
    path: k.path,
    log: k.log,
    result: k.result,
    text: k.text,
    ...(k.when !== undefined ? { when: k.when } : {}),
    ...(k.cases ? { cases: k.cases.map(kvmToJson) } : {}),
  };
}

export interface OutcomeJson {
  readonly outcome: string;
  readonly ipa: string | null;
  readonly pa: string | null;
  readonly memattrs: AttrsJson | null;
  readonly shareability: string | null;
  readonly fault: FaultJson | null;
  readonly kvm: KvmJson | null;
  readonly rule: string;
  readonly branches?: readonly { readonly choices: Readonly<Record<string, string>>; readonly outcome: OutcomeJson }[];
}

/** The `faultline replay --json` line for one outcome. */
export function outcomeToJson(o: ReplayOutcome): OutcomeJson {
  const base: OutcomeJson = {
    outcome: o.outcome,
    ipa: o.ipa === null ? null : toHex(o.ipa),
    pa: o.pa === null ? null : toHex(o.pa),
    memattrs: o.memattrs ? attrsToJson(o.memattrs) : null,
    shareability: o.memattrs ? o.memattrs.shareability : null,
    fault: o.fault ? faultToJson(o.fault) : null,
    kvm: o.kvm ? kvmToJson(o.kvm) : null,
    rule: o.rule,
  };
  if (!o.branches) return base;
  return { ...base, branches: o.branches.map((b) => ({ choices: b.choices as Record<string, string>, outcome: outcomeToJson(b.outcome) })) };
}

export interface RecordReplayJson {
  readonly verdict: 'consistent' | 'inconsistent' | 'underdetermined';
  readonly differences?: readonly { readonly field: string; readonly recorded: string; readonly predicted: string }[];
  readonly missing?: readonly string[];
  readonly choices?: readonly { readonly input: string; readonly change: string; readonly reproduces: boolean; readonly outcome: OutcomeJson }[];
  readonly inputs: readonly { readonly name: string; readonly value: string; readonly basis: string; readonly source: string }[];
  readonly outcome: OutcomeJson;
  readonly what_if: readonly { readonly input: string; readonly change: string; readonly reproduces: boolean; readonly outcome: OutcomeJson }[];
}

/** The `"replay"` object of `faultline faults --json` for one record. */
export function recordReplayToJson(r: RecordReplay): RecordReplayJson {
  const choice = (c: Choice) => ({ input: c.input, change: c.change, reproduces: c.reproduces, outcome: outcomeToJson(c.outcome) });
  const v = r.verdict;
  return {
    verdict: v.verdict,
    ...(v.verdict === 'inconsistent' ? { differences: v.differences } : {}),
    ...(v.verdict === 'underdetermined' ? { missing: v.missing, choices: v.choices.map(choice) } : {}),
    inputs: r.inputs.inputs.map((i) => ({ name: i.name, value: i.value, basis: i.basis, source: i.source })),
    outcome: outcomeToJson(r.outcome),
    what_if: r.whatIfs.map(choice),
  };
}
