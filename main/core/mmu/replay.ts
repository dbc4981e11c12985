// Replays one access through the two-stage MMU model, in the architectural priority order (DOMAIN.md §3d):
//   1. pre-translation alignment (AArch64.UnalignedAccessFaults)         -> stage-1 alignment fault
//   2. stage 1: VA range, walk (each fetch through stage 2: S1PTW), leaf address size, access flag,
//      alignment by memory type, permissions                              (AArch64.S1Translate)
//   3. stage 2: VTCR checks, walk, leaf address size, access flag, alignment by memory type,
//      permissions                                                        (AArch64.S2Translate)
//   4. after translation: unaligned exclusive/atomic/acquire-release on memory that is not Normal WB
//      (CONSTRAINED UNPREDICTABLE) and exclusives/atomics on it at all (IMPLEMENTATION DEFINED) (AArch64.MemSingle)
// The order matters because only the first fault is reported. Where the architecture leaves a choice, every
// answer is replayed (decisions.ts) and the outcome lists them.
import { ACCESS_KIND_INFO, isAligned, unalignedAccessFaults } from './access';
import { CHOICE_POINTS, Oracle, type ChoiceId } from './decisions';
import { synthesizeSyndrome, type FaultSyndrome, type ModelFault } from './fault';
import { predictKvm, type KvmPrediction } from './kvm-paths';
import type { Scenario } from './scenario';
import { s1Translate } from './stage1';
import { s2Translate } from './stage2';
import { isNormalWB, sameAttrs, type MemAttrs } from './types';

/**
 * The architectural priority of the checks for one data access, first reported first (DOMAIN.md §3d; ASL
 * Mem[] -> AArch64.TranslateAddress -> AArch64.FullTranslate -> S1Translate / S2Translate -> MemSingle), as data
 * for views that explain an outcome. The replay below follows it in code.
 */
export const FAULT_PRIORITY: readonly { readonly id: string; readonly text: string; readonly asl: string }[] = [
  { id: 'pre-alignment', text: 'unaligned access that faults whatever the memory type (SCTLR.A, exclusives, atomics, acquire/release)', asl: 'AArch64.UnalignedAccessFaults' },
  { id: 's1-range', text: 'stage 1: TxSZ, VA range, EPD0', asl: 'AArch64.S1Translate' },
  { id: 's1-walk', text: 'stage-1 walk: each descriptor fetch through stage 2 (S1PTW), then translation and address-size faults', asl: 'AArch64.S1Walk' },
  { id: 's1-leaf', text: 'stage-1 leaf: output address size, access flag', asl: 'AArch64.S1Walk' },
  { id: 's1-alignment', text: 'stage-1 memory type: Device and unaligned (or DC ZVA)', asl: 'AArch64.S1HasAlignmentFault' },
  { id: 's1-permission', text: 'stage-1 permissions', asl: 'AArch64.S1CheckPermissions' },
  { id: 's2-range', text: 'stage 2: T0SZ, SL0, IPA range', asl: 'AArch64.S2Translate' },
  { id: 's2-walk', text: 'stage-2 walk: translation and address-size faults, then leaf address size and access flag', asl: 'AArch64.S2Walk' },
  { id: 's2-alignment', text: 'stage-2 memory type (with FWB: the combined type): Device and unaligned (or DC ZVA)', asl: 'AArch64.S2HasAlignmentFault' },
  { id: 's2-permission', text: 'stage-2 permissions', asl: 'AArch64.S2CheckPermissions' },
  { id: 'atomicity', text: 'exclusive, atomic or acquire/release access to memory that is not Normal WB', asl: 'AArch64.MemSingle' },
];

export type OutcomeKind = 'ok' | 'fault' | 'impdef' | 'constrained_unpredictable';

export interface ReplayBranch {
  /** The answers given at each choice point on this branch. */
  readonly choices: Readonly<Partial<Record<ChoiceId, string>>>;
  readonly outcome: ReplayOutcome;
}

export interface ReplayOutcome {
  readonly outcome: OutcomeKind;
  readonly ipa: bigint | null;
  readonly pa: bigint | null;
  readonly memattrs: MemAttrs | null;
  readonly fault: FaultSyndrome | null;
  readonly kvm: KvmPrediction | null;
  /** The check that decided the outcome, with its ASL function. */
  readonly rule: string;
  /** For impdef / constrained_unpredictable: every branch. */
  readonly branches: readonly ReplayBranch[] | null;
}

interface Single {
  readonly fault: ModelFault | null;
  readonly ipa: bigint | null;
  readonly pa: bigint | null;
  readonly attrs: MemAttrs | null;
  readonly rule: string;
}

function single(s: Scenario, oracle: Oracle): Single {
  const a = s.access;
  const info = ACCESS_KIND_INFO[a.kind];
  const aligned = isAligned(a);
  if (!aligned && unalignedAccessFaults(a, { sctlrA: s.sctlr.A, nAA: s.sctlr.nAA, lse2: s.cpu.lse2 })) {
    const fault: ModelFault = { stage: 1, type: 'alignment', level: null, s1ptw: false, write: !info.read && info.write, ipa: null };
    return { ipa: null, pa: null, attrs: null, fault, rule: 'unaligned access checked before translation (AArch64.UnalignedAccessFaults)' };
  }
  const r1 = s1Translate(s, aligned, oracle);
  if (r1.kind === 'fault') return { ipa: null, pa: null, attrs: null, fault: r1.fault, rule: r1.rule };
  let pa = r1.address;
  let attrs = r1.attrs;
  let rule = r1.rule;
  if ((s.hcr.VM || s.hcr.DC) && s.stage2 !== null) {
    const r2 = s2Translate(s, { ipa: r1.address, ipaAttrs: r1.attrs, access: a, aligned, ttw: false }, oracle);
    if (r2.kind === 'fault') return { ipa: r1.address, pa: null, attrs: null, fault: r2.fault, rule: r2.rule };
    pa = r2.address;
    attrs = r2.attrs;
    rule = r2.rule;
  }
  const post = afterTranslation(s, aligned, r1.attrs, attrs, oracle);
  if (post) return { ipa: r1.address, pa, attrs, fault: post.fault, rule: post.rule };
  return { ipa: r1.address, pa, attrs, fault: null, rule };
}

// [ASL AArch64.MemSingle: on memory that is not Normal Inner+Outer WB, an unaligned exclusive, atomic or
// acquire/release access is CONSTRAINED UNPREDICTABLE (Unpredictable_MISALIGNEDATOMIC: AlignmentFault, reported
// as a stage-1 fault); exclusives and atomics there are IMPLEMENTATION DEFINED (Arm ARM B2, DFSC 0b110101 if
// unsupported, from the stage whose attributes are not WB)]
function afterTranslation(s: Scenario, aligned: boolean, s1attrs: MemAttrs, final: MemAttrs, oracle: Oracle): { fault: ModelFault; rule: string } | null {
  const info = ACCESS_KIND_INFO[s.access.kind];
  if (isNormalWB(final) || !(info.exclusive || info.atomicop || info.acqrel)) return null;
  const write = !info.read && info.write;
  if (!aligned) {
    if (oracle.decide('misaligned-atomic', ['fault', 'no-fault']) === 'no-fault') return null;
    return { fault: { stage: 1, type: 'alignment', level: null, s1ptw: false, write, ipa: null }, rule: CHOICE_POINTS['misaligned-atomic'].source };
  }
  if (!(info.exclusive || info.atomicop)) return null;
  const c = oracle.decide('atomic-non-wb', ['supported', 'fault-0x35']);
  if (c === 'supported') return null;
  const stage = isNormalWB(s1attrs) ? 2 : 1;
  return { fault: { stage, type: 'exclusive', level: null, s1ptw: false, write, ipa: null }, rule: CHOICE_POINTS['atomic-non-wb'].source };
}

function toOutcome(s: Scenario, r: Single): ReplayOutcome {
  const fault = r.fault ? synthesizeSyndrome(r.fault, s.access) : null;
  const kvm = fault && s.kvm ? predictKvm(s.kvm.kernel, fault, s.kvm.inMemslot, s.kvm.syndromeValid ?? false) : null;
  return {
    outcome: fault ? 'fault' : 'ok',
    ipa: r.ipa,
    pa: fault ? null : r.pa,
    memattrs: fault ? null : r.attrs,
    fault,
    kvm,
    rule: r.rule,
    branches: null,
  };
}

function sameOutcome(a: ReplayOutcome, b: ReplayOutcome): boolean {
  if (a.outcome !== b.outcome || a.pa !== b.pa) return false;
  if (a.fault || b.fault) return a.fault?.esr === b.fault?.esr && a.fault?.stage === b.fault?.stage;
  return a.memattrs !== null && b.memattrs !== null && sameAttrs(a.memattrs, b.memattrs);
}

const MAX_BRANCHES = 64;

type Preset = Partial<Record<ChoiceId, string>>;

// The answers a run actually used (the preset's, or the default first option), and a key for them.
function answersOf(oracle: Oracle, preset: Preset): { choices: Preset; key: string } {
  const choices: Preset = {};
  let key = '';
  for (const q of oracle.asked) {
    const v = preset[q.id] ?? (q.options[0] as string);
    choices[q.id] = v;
    key += `${q.id}=${v};`;
  }
  return { choices, key };
}

/** Replays `s`; every choice point met is answered every way, and the distinct outcomes listed. */
export function replayAccess(s: Scenario): ReplayOutcome {
  const first = new Oracle();
  const base = toOutcome(s, single(s, first));
  if (first.asked.length === 0) return base;
  // Breadth-first over answer sets: each run may meet further choice points. The first run is the all-defaults
  // branch; every other option of every question asked spawns a branch.
  const branches: ReplayBranch[] = [];
  const seen = new Set<string>();
  const queue: { preset: Preset; oracle: Oracle | null; outcome: ReplayOutcome | null }[] = [{ preset: {}, oracle: first, outcome: base }];
  while (queue.length > 0 && branches.length < MAX_BRANCHES) {
    const item = queue.shift() as (typeof queue)[number];
    let oracle = item.oracle;
    let outcome = item.outcome;
    if (oracle === null || outcome === null) {
      oracle = new Oracle(item.preset);
      outcome = toOutcome(s, single(s, oracle));
    }
    const { choices, key } = answersOf(oracle, item.preset);
    if (seen.has(key)) continue;
    seen.add(key);
    branches.push({ choices, outcome });
    for (const q of oracle.asked) {
      if (item.preset[q.id] !== undefined) continue;
      for (let i = 1; i < q.options.length; i++) queue.push({ preset: { ...choices, [q.id]: q.options[i] as string }, oracle: null, outcome: null });
    }
  }
  let same = true;
  for (const b of branches) if (!sameOutcome(b.outcome, base)) same = false;
  if (same) return base;
  return choiceOutcome(base, branches);
}

function choiceOutcome(base: ReplayOutcome, branches: readonly ReplayBranch[]): ReplayOutcome {
  const ids = new Set<ChoiceId>();
  for (const b of branches) for (const id of Object.keys(b.choices) as ChoiceId[]) ids.add(id);
  let cu = false;
  for (const id of ids) if (CHOICE_POINTS[id].kind === 'constrained_unpredictable') cu = true;
  let agreeIpa = true;
  for (const b of branches) if (b.outcome.ipa !== base.ipa) agreeIpa = false;
  return {
    outcome: cu ? 'constrained_unpredictable' : 'impdef',
    ipa: agreeIpa ? base.ipa : null,
    pa: null,
    memattrs: null,
    fault: null,
    kvm: null,
    rule: [...ids].map((id) => CHOICE_POINTS[id].source).join('; '),
    branches,
  };
}
