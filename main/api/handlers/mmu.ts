// mmu:combine and replay:what-if: the MMU model's answers shaped for the attribute lattice and the what-if
// controls. The model decides everything (main/core/mmu combineEncodings, latticeMarks, replayAccess,
// kvmS2Policy); this only builds the scenario from the controls and names things for the view.
import type { AttrView, CombineView, FaultReplayView, ParsedRequestOf, WhatIfView } from '../../../preload/contract';
import type { ApiContext } from '../context';
import { notFound } from '../errors';
import { replayStoredFault } from './fault-replay';
import { parseHex64, toHex } from '../../core/hex';
import { combineEncodings, latticeMarks, type CombineExplanation } from '../../core/mmu/combine';
import { outcomeToJson } from '../../core/mmu/json';
import { kvmS2Policy } from '../../core/mmu/kvm-policy';
import { replayAccess } from '../../core/mmu/replay';
import type { DecodedAttrs } from '../../core/mmu/s1-attrs';
import { DEFAULT_CPU, DEFAULT_HCR, DEFAULT_SCTLR, type Scenario } from '../../core/mmu/scenario';
import { describeAttrs, latticeNode, type MemAttrs } from '../../core/mmu/types';
import { ApiError } from '../errors';

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

const bin4 = (n: number): string => `0b${n.toString(2).padStart(4, '0')}`;
const hex2 = (n: number): string => `0x${n.toString(16).padStart(2, '0')}`;

export function combineView(e: CombineExplanation, s1Attr: number, s2MemAttr: number): CombineView {
  const marks = latticeMarks(e);
  const s2 = e.s2
    ? { ...sideView(e.s2, bin4(s2MemAttr)), fwbMeaning: null, fwbNode: null }
    : {
        encoding: bin4(s2MemAttr),
        attrs: null,
        options: [],
        reserved: e.reserved && !e.s1.reserved,
        // with FWB the encoding's own type (AArch64.S2ApplyFWBMemAttrs rows), or none for 0b111 "as stage 1"
        fwbMeaning: marks.s2 ?? 'stage 1 unchanged',
        fwbNode: marks.s2,
      };
  return {
    marks,
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

/** QEMU virt's high PCIe MMIO window (hw/arm/virt.c VIRT_HIGH_PCIE_MMIO): where a 64-bit BAR usually sits. */
const DEFAULT_PAGE = 0x80_0000_0000n;

type WhatIf = ParsedRequestOf<'replay:what-if'>;

function stage2MemAttr(req: WhatIf): { memattr: number; source: string; since: string | null; commits: readonly string[] } {
  if ('memattr' in req.stage2) return { memattr: req.stage2.memattr, source: 'given', since: null, commits: [] };
  const row = kvmS2Policy(req.kernel, req.stage2.region);
  if (!row) throw new ApiError('bad_request', `kernel ${JSON.stringify(req.kernel)}: not a kernel release (expected e.g. 6.1 or 6.9.0-rc1)`);
  if (!row.memattr) throw new ApiError('bad_request', `KVM under ${req.kernel} refuses to map ${req.stage2.region} memory: ${row.text}`);
  return { memattr: req.fwb ? row.memattr.fwb : row.memattr.nofwb, source: row.text, since: row.since, commits: row.commits };
}

/** The scenario of a what-if: the guest kernel's mapping (EL1 read/write) over KVM's stage 2 (read/write). */
export function whatIfScenario(req: WhatIf, s2memattr: number): Scenario {
  let page = DEFAULT_PAGE;
  if (req.access.page !== undefined) {
    const p = parseHex64(req.access.page);
    if (!p.ok) throw new ApiError('bad_request', `access.page: ${p.error}`);
    page = p.value & ~0xfffn;
  }
  return {
    mode: 'attrs',
    cpu: DEFAULT_CPU,
    sctlr: DEFAULT_SCTLR,
    hcr: { ...DEFAULT_HCR, FWB: req.fwb },
    stage1: { kind: 'attrs', mairAttr: req.s1Attr, ap: 0, pxn: false, uxn: true, af: true, sh: 'ISH', level: 3 },
    // KVM maps device memory never-executable (hyp/pgtable.c stage2_set_prot_attr), RAM executable
    stage2: { kind: 'attrs', memattr: s2memattr, s2ap: 3, xn: 'region' in req.stage2 && req.stage2.region !== 'ram' ? 0b10 : 0, af: true, sh: 'ISH', level: 3 },
    access: { kind: req.access.kind, va: page + BigInt(req.access.offset), size: req.access.size, elementSize: null, el: 1 },
    kvm: { kernel: req.kernel, inMemslot: req.inMemslot },
  };
}

export const mmuHandlers = {
  'mmu:combine': (_ctx: unknown, req: ParsedRequestOf<'mmu:combine'>): CombineView =>
    combineView(combineEncodings(req.s1Attr, req.s2MemAttr, req.fwb), req.s1Attr, req.s2MemAttr),

  'replay:what-if': (_ctx: unknown, req: WhatIf): WhatIfView => {
    const s2 = stage2MemAttr(req);
    const scenario = whatIfScenario(req, s2.memattr);
    return {
      stage2: { memattr: bin4(s2.memattr), source: s2.source, since: s2.since, commits: s2.commits },
      va: toHex(scenario.access.va),
      combine: combineView(combineEncodings(req.s1Attr, s2.memattr, req.fwb), req.s1Attr, s2.memattr),
      outcome: outcomeToJson(replayAccess(scenario)),
    };
  },

  'faults:replay': (ctx: ApiContext, req: ParsedRequestOf<'faults:replay'>): FaultReplayView | null => {
    const r = replayStoredFault(ctx.db, req.faultId, req.assumptions);
    if (r === undefined) throw notFound(`fault ${req.faultId}`);
    return r;
  },
};
