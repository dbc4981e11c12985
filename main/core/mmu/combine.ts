// The combined memory type of a stage-1 MAIR attribute and a stage-2 MemAttr, with the rule that fired, the
// ASL function it comes from and the alignment consequence: everything the lattice view and `faultline
// combine` show, computed once here (STYLE.md §8: the view never recomputes).
import { s2CombineS1MemAttrs } from './combine-rules';
import { decodeS1MemAttrs, type DecodedAttrs } from './s1-attrs';
import { decodeS2MemAttrs, s2ApplyFwbMemAttrs, type FwbResult } from './s2-attrs';
import { decodeDevice, latticeNode, sameAttrs, type Cacheability, type LatticeNode, type MemAttrs, type Shareability } from './types';

export interface CombineRule {
  readonly id: CombineRuleId;
  readonly text: string;
  /** The ASL function (Arm ARM pseudocode) that implements the rule. */
  readonly asl: string;
}

// Every rule the combination can take, as data. [ASL S2CombineS1MemAttrs, AArch64.S2ApplyFWBMemAttrs]
export const COMBINE_RULES = {
  'both-device': { text: 'Both stages are Device: the stronger Device type wins.', asl: 'S2CombineS1Device' },
  's1-device': { text: 'Stage 1 is Device, stage 2 Normal: the result is the stage-1 Device type.', asl: 'S2CombineS1MemAttrs' },
  's2-device': { text: 'Stage 2 is Device: it overrides the Normal stage-1 mapping.', asl: 'S2CombineS1MemAttrs' },
  'both-normal': {
    text: 'Both stages are Normal: inner and outer each take the less cacheable of the two; allocation and transient hints come from stage 1.',
    asl: 'S2CombineS1AttrHints',
  },
  'fwb-device': { text: 'FWB, MemAttr[2] = 0: Device; if stage 1 is Device too, the stronger type.', asl: 'AArch64.S2ApplyFWBMemAttrs' },
  'fwb-as-s1': { text: 'FWB, MemAttr[2:0] = 0b111: the stage-1 attributes are used unchanged.', asl: 'AArch64.S2ApplyFWBMemAttrs' },
  'fwb-force-wb': { text: 'FWB, MemAttr[2:0] = 0b110: forced Normal Write-Back, whatever stage 1 says.', asl: 'AArch64.S2ApplyFWBMemAttrs' },
  'fwb-nc': { text: 'FWB, MemAttr[2:0] = 0b101: Normal Non-cacheable.', asl: 'AArch64.S2ApplyFWBMemAttrs' },
  'fwb-s1-device-kept': { text: 'FWB, MemAttr[2:0] = 0b101 under a stage-1 Device mapping: the stage-1 Device type is kept.', asl: 'AArch64.S2ApplyFWBMemAttrs' },
  'reserved-s1': {
    text: 'The MAIR attribute is a reserved encoding: CONSTRAINED UNPREDICTABLE, treated as an UNKNOWN allocated encoding.',
    asl: 'S1DecodeMemAttrs (Unpredictable_RESMAIR)',
  },
  'reserved-s2': {
    text: 'The stage-2 inner cacheability 0b00 is reserved: CONSTRAINED UNPREDICTABLE Non-cacheable, Write-Through or Write-Back.',
    asl: 'S2DecodeCacheability (Unpredictable_S2RESMEMATTR)',
  },
} as const;
export type CombineRuleId = keyof typeof COMBINE_RULES;

function rule(id: CombineRuleId): CombineRule {
  return { id, ...COMBINE_RULES[id] };
}

export interface CombineExplanation {
  readonly s1: DecodedAttrs;
  /** Stage-2 MemAttr decoded on its own (without FWB); with FWB the encoding only means something combined. */
  readonly s2: DecodedAttrs | null;
  readonly fwb: boolean;
  /** The stage-2 MemAttr nibble as given. */
  readonly s2MemAttr: number;
  /** The combined attributes; null when a reserved encoding leaves several different results. */
  readonly result: MemAttrs | null;
  readonly resultOptions: readonly MemAttrs[] | null;
  readonly reserved: boolean;
  readonly rule: CombineRule;
  /** Whether an unaligned plain load/store (SCTLR.A = 0) to this memory takes an alignment fault. */
  readonly unalignedAccessFaults: boolean;
  /** Which stage reports that fault: 1 when stage 1 is Device, else 2 when the stage-2 walk result is Device. */
  readonly alignmentFaultStage: 1 | 2 | null;
}

interface OneResult {
  readonly attrs: MemAttrs;
  readonly rule: CombineRuleId;
  readonly reserved: boolean;
  readonly stage: 1 | 2 | null;
}

const FWB_RULE: Readonly<Record<FwbResult['row'], CombineRuleId>> = {
  device: 'fwb-device',
  'as-s1': 'fwb-as-s1',
  'force-wb': 'fwb-force-wb',
  nc: 'fwb-nc',
  's1-device-kept': 'fwb-s1-device-kept',
};

// One concrete stage-1 choice against one concrete stage-2 encoding. The stage that reports an unaligned
// access to Device memory: AArch64.S1HasAlignmentFault checks the stage-1 attributes first; then
// AArch64.S2HasAlignmentFault the stage-2 walk attributes (with FWB, the FWB-combined ones).
function combineOne(s1: MemAttrs, s2: MemAttrs | number, fwb: boolean, s2sh: Shareability): OneResult {
  if (fwb) {
    const f = s2ApplyFwbMemAttrs(s1, s2 as number, s2sh);
    const stage = s1.memtype === 'Device' ? 1 : f.attrs.memtype === 'Device' ? 2 : null;
    return { attrs: f.attrs, rule: FWB_RULE[f.row], reserved: f.reserved, stage };
  }
  const s2a = s2 as MemAttrs;
  const attrs = s2CombineS1MemAttrs(s1, s2a);
  const id: CombineRuleId =
    s1.memtype === 'Device' ? (s2a.memtype === 'Device' ? 'both-device' : 's1-device') : s2a.memtype === 'Device' ? 's2-device' : 'both-normal';
  const stage = s1.memtype === 'Device' ? 1 : s2a.memtype === 'Device' ? 2 : null;
  return { attrs, rule: id, reserved: false, stage };
}

function choices(d: DecodedAttrs): readonly MemAttrs[] {
  return d.attrs ? [d.attrs] : (d.options ?? []);
}

/** Combines decoded stage-1 attributes with a stage-2 MemAttr, enumerating reserved possibilities. */
export function combineDecoded(s1: DecodedAttrs, s2memattr: number, fwb: boolean, s2sh: Shareability): CombineExplanation {
  const s2 = fwb ? null : decodeS2MemAttrs(s2memattr, s2sh);
  const results: OneResult[] = [];
  for (const a of choices(s1)) {
    if (fwb) results.push(combineOne(a, s2memattr, true, s2sh));
    else for (const b of choices(s2 as DecodedAttrs)) results.push(combineOne(a, b, false, s2sh));
  }
  const distinct: MemAttrs[] = [];
  for (const r of results) if (!distinct.some((d) => sameAttrs(d, r.attrs))) distinct.push(r.attrs);
  const first = results[0] as OneResult;
  const s1Reserved = s1.reserved;
  const s2Reserved = s2 ? s2.reserved : first.reserved;
  const ruleId: CombineRuleId = s1Reserved ? 'reserved-s1' : s2 && s2.reserved ? 'reserved-s2' : first.rule;
  const stages = new Set(results.map((r) => r.stage));
  const faults = results.some((r) => r.stage !== null);
  return {
    s1,
    s2,
    fwb,
    s2MemAttr: s2memattr & 0xf,
    result: distinct.length === 1 ? (distinct[0] as MemAttrs) : null,
    resultOptions: s1Reserved || (s2 !== null && s2.reserved) ? distinct : null,
    reserved: s1Reserved || s2Reserved,
    rule: rule(ruleId),
    // With a reserved encoding the possibilities may disagree: "may fault" is reported as true, and the
    // stage only when every possibility agrees on it.
    unalignedAccessFaults: faults,
    alignmentFaultStage: stages.size === 1 ? first.stage : null,
  };
}

const memo = new Map<number, CombineExplanation>();
const SH_CODE: Readonly<Record<Shareability, number>> = { NSH: 0, ISH: 1, OSH: 2 };

/**
 * `faultline combine`: a MAIR attribute byte and a stage-2 MemAttr nibble, with or without FWB. Shareability
 * defaults to Inner Shareable on both stages (what Linux programs). Results are memoized: the function is pure
 * over a finite domain (256 x 16 x 2 x 3 x 3 inputs).
 */
export function combineEncodings(s1Attr: number, s2MemAttr: number, fwb: boolean, s1sh: Shareability = 'ISH', s2sh: Shareability = 'ISH'): CombineExplanation {
  const key = (s1Attr & 0xff) | ((s2MemAttr & 0xf) << 8) | ((fwb ? 1 : 0) << 12) | (SH_CODE[s1sh] << 13) | (SH_CODE[s2sh] << 15);
  const hit = memo.get(key);
  if (hit) return hit;
  const e = combineDecoded(decodeS1MemAttrs(s1Attr, s1sh), s2MemAttr, fwb, s2sh);
  memo.set(key, e);
  return e;
}

export interface InnerOuterMark {
  readonly inner: Cacheability;
  readonly outer: Cacheability;
}

/** What the lattice view draws (renderer/viz/lattice-layout.ts LatticeMarks), read off a combine result. */
export interface LatticeMarksData {
  readonly s1: LatticeNode | null;
  /** Null when stage 2 has no type of its own (FWB 0b111 "as stage 1"). */
  readonly s2: LatticeNode | null;
  readonly result: LatticeNode | null;
  readonly resultOptions: readonly LatticeNode[];
  readonly fwb: boolean;
  readonly cache: { readonly s1: InnerOuterMark | null; readonly s2: InnerOuterMark | null; readonly result: InnerOuterMark | null };
}

function cacheMark(a: MemAttrs | null): InnerOuterMark | null {
  return a && a.memtype === 'Normal' ? { inner: a.inner.attrs, outer: a.outer.attrs } : null;
}

// The FWB encoding's own type, before it meets stage 1 (table in s2-attrs.ts s2ApplyFwbMemAttrs).
function fwbOwnNode(memattr: number): { node: LatticeNode | null; cache: InnerOuterMark | null } {
  if ((memattr & 0b100) === 0) return { node: `Device-${decodeDevice(memattr & 3)}`, cache: null };
  if ((memattr & 3) === 0b11) return { node: null, cache: null };
  if ((memattr & 3) === 0b10) return { node: 'Normal-WB', cache: { inner: 'WB', outer: 'WB' } };
  return { node: 'Normal-NC', cache: { inner: 'NC', outer: 'NC' } };
}

export function latticeMarks(e: CombineExplanation): LatticeMarksData {
  const s2own = e.fwb ? fwbOwnNode(e.s2MemAttr) : { node: e.s2?.attrs ? latticeNode(e.s2.attrs) : null, cache: cacheMark(e.s2?.attrs ?? null) };
  const options = e.resultOptions ?? (e.result ? [e.result] : []);
  return {
    s1: e.s1.attrs ? latticeNode(e.s1.attrs) : null,
    s2: s2own.node,
    result: e.result ? latticeNode(e.result) : null,
    resultOptions: [...new Set(options.map(latticeNode))],
    fwb: e.fwb,
    cache: { s1: cacheMark(e.s1.attrs), s2: s2own.cache, result: cacheMark(e.result) },
  };
}
