// mmu:combine: the MMU model's combination of a stage-1 MAIR attribute and a stage-2 MemAttr, shaped for the
// attribute lattice. The model decides everything (main/core/mmu combineEncodings); this only names the
// lattice node of each side (latticeNode) so that the view draws without recomputing.
import type { AttrView, CombineView, ParsedRequestOf } from '../../../preload/contract';
import { combineEncodings, type CombineExplanation } from '../../core/mmu/combine';
import type { DecodedAttrs } from '../../core/mmu/s1-attrs';
import { decodeDevice, describeAttrs, latticeNode, type MemAttrs } from '../../core/mmu/types';

export function attrView(a: MemAttrs): AttrView {
  return {
    node: latticeNode(a),
    label: describeAttrs(a),
    memtype: a.memtype,
    inner: a.memtype === 'Normal' ? a.inner.attrs : null,
    outer: a.memtype === 'Normal' ? a.outer.attrs : null,
    shareability: a.shareability,
    tagged: a.memtype === 'Normal' && a.tagged,
  };
}

function sideView(d: DecodedAttrs, encoding: string): CombineView['s1'] {
  return { encoding, attrs: d.attrs ? attrView(d.attrs) : null, options: (d.options ?? []).map(attrView), reserved: d.reserved };
}

/**
 * What a stage-2 MemAttr means on its own with FWB, for the label of the stage-2 pin. The rows of
 * AArch64.S2ApplyFWBMemAttrs (Arm ARM; main/core/mmu/s2-attrs.ts): MemAttr[2] = 0 Device (MemAttr[1:0]);
 * 0b101 (and the reserved 0b100, which the ASL treats as 0b101) Normal NC; 0b110 forced Normal WB;
 * 0b111 stage 1 unchanged (no type of its own).
 */
export function fwbMeaning(memattr: number): { meaning: string; node: string | null } {
  const a = memattr & 0b111;
  if ((a & 0b100) === 0) {
    const d = `Device-${decodeDevice(a & 3)}`;
    return { meaning: d, node: d };
  }
  if (a === 0b111) return { meaning: 'stage 1 unchanged', node: null };
  if (a === 0b110) return { meaning: 'Normal-WB (forced)', node: 'Normal-WB' };
  return { meaning: 'Normal-NC', node: 'Normal-NC' };
}

const bin4 = (n: number): string => `0b${n.toString(2).padStart(4, '0')}`;
const hex2 = (n: number): string => `0x${n.toString(16).padStart(2, '0')}`;

export function combineView(e: CombineExplanation, s1Attr: number, s2MemAttr: number): CombineView {
  const fwb = e.fwb ? fwbMeaning(s2MemAttr) : null;
  const s2 = e.s2
    ? { ...sideView(e.s2, bin4(s2MemAttr)), fwbMeaning: null, fwbNode: null }
    : { encoding: bin4(s2MemAttr), attrs: null, options: [], reserved: e.reserved && !e.s1.reserved, fwbMeaning: fwb?.meaning ?? null, fwbNode: fwb?.node ?? null };
  return {
    s1: sideView(e.s1, hex2(s1Attr)),
    s2,
    fwb: e.fwb,
    result: e.result ? attrView(e.result) : null,
    resultOptions: (e.resultOptions ?? []).map(attrView),
    reserved: e.reserved,
    rule: { id: e.rule.id, text: e.rule.text, asl: e.rule.asl },
    unalignedAccessFaults: e.unalignedAccessFaults,
    alignmentFaultStage: e.alignmentFaultStage,
  };
}

export const mmuHandlers = {
  'mmu:combine': (_ctx: unknown, req: ParsedRequestOf<'mmu:combine'>): CombineView =>
    combineView(combineEncodings(req.s1Attr, req.s2MemAttr, req.fwb), req.s1Attr, req.s2MemAttr),
};
