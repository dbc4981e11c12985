// Stage 1 (EL1&0 regime, TTBR0 range): ASL AArch64.S1Translate with AArch64.S1Walk (every descriptor fetch
// translated by stage 2 first, AArch64.S2Translate with AccessType_TTW), AArch64.S1DisabledOutput, and the
// stage-1 alignment and permission checks.
import { ACCESS_KIND_INFO, hasAlignmentFault, type Access } from './access';
import { withEffectiveShareability } from './combine-rules';
import type { Oracle } from './decisions';
import type { ModelFault } from './fault';
import { physicalAddressSize, s1StartLevel, txszRange } from './granule';
import { s1CheckPermissions, type S1Perms } from './permissions';
import { decodeS1MemAttrs, s1DisabledAttrs } from './s1-attrs';
import type { Scenario, Stage1Walk } from './scenario';
import { s2Translate, type StageResult } from './stage2';
import { decodeShareability, hints, normal, normalNC, withShareability, type MemAttrs, type Shareability } from './types';
import { numericImage, readImage, walkGeometry, walkTables, type Desc, type DescriptorSource, type WalkGeometry } from './walk';

/** What stage 1 needs from a leaf; a Stage1Attrs input is one as it is. */
interface S1LeafFields extends S1Perms {
  readonly level: number;
  readonly mairAttr: number;
  readonly sh: Shareability;
  readonly af: boolean;
}

interface S1Leaf extends S1LeafFields {
  readonly ipa: bigint;
}

type LeafOrStop = { readonly ok: true; readonly leaf: S1Leaf } | { readonly ok: false; readonly result: StageResult };

function s1Fault(req: Access, type: ModelFault['type'], level: number | null, write: boolean, rule: string): StageResult {
  return { kind: 'fault', fault: { stage: 1, type, level, s1ptw: false, write, ipa: null }, rule };
}

// The attributes of the stage-1 table walk itself (TCR_EL1.IRGN0/ORGN0/SH0; not in the scenario): Normal WB
// Inner Shareable, what Linux programs. Only stage 2's view of them matters here (PTW and the S2 checks).
const WALK_ATTRS: MemAttrs = normal(hints('WB', 'RWA'), hints('WB', 'RWA'), 'ISH');

// The walk geometry once per stage-1 input object (and T0SZ, which the IMPLEMENTATION DEFINED clamp may change).
const geometries = new WeakMap<Stage1Walk, Map<number, WalkGeometry>>();
function s1Geometry(s: Scenario, s1: Stage1Walk, t0sz: number): WalkGeometry {
  let byT0sz = geometries.get(s1);
  if (!byT0sz) {
    byT0sz = new Map();
    geometries.set(s1, byT0sz);
  }
  const key = t0sz * 64 + s.cpu.pamax;
  let g = byT0sz.get(key);
  if (!g) {
    const iasize = 64 - t0sz;
    g = walkGeometry(s1.tg0, iasize, s1StartLevel(iasize, s1.tg0), s1.ttbr0, physicalAddressSize(s1.ips, s.cpu.pamax));
    byT0sz.set(key, g);
  }
  return g;
}

// Stage-1 descriptors are read by IPA; with stage 2 on, each fetch is first an aligned read through stage 2
// (AccessType_TTW), and a stage-2 fault there ends the walk (S1PTW).
class S1Tables implements DescriptorSource {
  failure: StageResult | null = null;
  private readonly image: Map<number, Desc>;
  private readonly viaStage2: boolean;
  constructor(
    private readonly s: Scenario,
    s1: Stage1Walk,
    private readonly oracle: Oracle,
  ) {
    this.image = numericImage(s1.tables);
    this.viaStage2 = (s.hcr.VM || s.hcr.DC) && s.stage2 !== null;
  }
  read(addr: number): Desc | null {
    if (this.viaStage2) {
      const s = this.s;
      const r = s2Translate(s, { ipa: BigInt(addr), ipaAttrs: WALK_ATTRS, access: s.access, aligned: true, ttw: true }, this.oracle);
      if (r.kind === 'fault') {
        this.failure = r;
        return null;
      }
    }
    return readImage(this.image, addr);
  }
}

// TCR_EL1 checks, then the walk. [ASL AArch64.S1Translate: S1TxSZFaults, VAIsOutOfRange, EPD0 -> translation
// fault level 0; AArch64.S1Walk; leaf OAOutOfRange -> address size at the leaf level]
function leafFromWalk(s: Scenario, s1: Stage1Walk, baseWrite: boolean, oracle: Oracle): LeafOrStop {
  const a = s.access;
  const range = txszRange(null);
  let t0sz = s1.t0sz;
  if (t0sz < range.min || t0sz > range.max) {
    if (oracle.decide('txsz-out-of-range', ['fault', 'clamp']) === 'fault') return stop(a, baseWrite, 'translation', 0, 'TCR_EL1.T0SZ out of range (AArch64.S1TxSZFaults)');
    t0sz = Math.min(Math.max(t0sz, range.min), range.max);
  }
  const g = s1Geometry(s, s1, t0sz);
  const addrtop = s1.tbi0 && ACCESS_KIND_INFO[a.kind].acctype !== 'IFETCH' ? 55 : 63;
  const top = addrtop === 63 ? a.va : a.va & 0x00ff_ffff_ffff_ffffn;
  if (top > g.iaMask) return stop(a, baseWrite, 'translation', 0, 'VA outside the TTBR0_EL1 range (AArch64.VAIsOutOfRange)');
  if (s1.epd0) return stop(a, baseWrite, 'translation', 0, 'TCR_EL1.EPD0 = 1: TTBR0 walks disabled (AArch64.S1Walk)');
  const src = new S1Tables(s, s1, oracle);
  const w = walkTables(g, Number(a.va & g.iaMask), src);
  if (w.kind === 'fetch-failed') return { ok: false, result: src.failure as StageResult };
  if (w.kind === 'fault') return stop(a, baseWrite, w.type, w.level, `stage-1 walk: ${w.type === 'translation' ? 'invalid descriptor' : 'address beyond TCR_EL1.IPS'} (AArch64.S1Walk)`);
  if (w.oa >= g.oaLimit) return stop(a, baseWrite, 'address_size', w.level, 'stage-1 output address beyond TCR_EL1.IPS (AArch64.OAOutOfRange)');
  // Leaf fields: AttrIndx [4:2], AP [7:6], SH [9:8], AF [10]; PXN [53], UXN [54] = high word bits 21, 22.
  const { lo, hi } = w.desc;
  const attrIndx = (lo >> 2) & 7;
  const leaf: S1Leaf = {
    ipa: BigInt(w.oa),
    level: w.level,
    mairAttr: Number((s1.mair >> BigInt(8 * attrIndx)) & 0xffn),
    sh: decodeShareability((lo >> 8) & 3),
    ap: (lo >> 6) & 3,
    apTable: w.apTable,
    pxn: ((hi >>> 21) & 1) === 1,
    uxn: ((hi >>> 22) & 1) === 1,
    pxnTable: w.pxnTable,
    uxnTable: w.uxnTable,
    af: ((lo >> 10) & 1) === 1,
  };
  return { ok: true, leaf };
}

function stop(a: Access, write: boolean, type: ModelFault['type'], level: number, rule: string): LeafOrStop {
  return { ok: false, result: s1Fault(a, type, level, write, rule) };
}

function s1LeafAttrs(leaf: S1LeafFields, oracle: Oracle): MemAttrs {
  const d = decodeS1MemAttrs(leaf.mairAttr, leaf.sh);
  if (d.attrs) return d.attrs;
  const options = d.options ?? [];
  return options[Number(oracle.decide('s1-reserved-attr', options.map((_, i) => String(i))))] as MemAttrs;
}

/** ASL AArch64.S1Translate: the IPA and the stage-1 output attributes, or a fault (possibly a stage-2 one from the walk). */
export function s1Translate(s: Scenario, aligned: boolean, oracle: Oracle): StageResult {
  const a = s.access;
  const info = ACCESS_KIND_INFO[a.kind];
  const baseWrite = !info.read && info.write;
  const ifetch = info.acctype === 'IFETCH';
  // AArch64.S1Enabled: SCTLR_EL1.M = 1 and HCR_EL2.DC = 0.
  if (!s.sctlr.M || s.hcr.DC || s.stage1 === null) {
    const attrs = s1DisabledAttrs(s.hcr.DC, ifetch);
    if (a.va >> BigInt(Math.min(48, s.cpu.pamax)) !== 0n) return s1Fault(a, 'address_size', 0, baseWrite, 'stage 1 off, VA beyond PAMax (AArch64.S1DisabledOutput)');
    if (hasAlignmentFault(a, aligned, attrs)) return s1Fault(a, 'alignment', null, baseWrite, 'stage 1 off: Device-nGnRnE (AArch64.S1DisabledOutput)');
    return { kind: 'ok', address: a.va, attrs, rule: 'AArch64.S1DisabledOutput' };
  }
  // Attrs mode: the input is the leaf (IPA = VA unless its page is given), or says there is none.
  let leaf: S1LeafFields;
  let ipa: bigint;
  if (s.stage1.kind === 'attrs') {
    const s1 = s.stage1;
    if (s1.tableIpa !== undefined && (s.hcr.VM || s.hcr.DC) && s.stage2 !== null) {
      // One descriptor fetch of the walk, through stage 2 first. [ASL AArch64.S1Walk -> AArch64.S2Translate (TTW)]
      const r = s2Translate(s, { ipa: s1.tableIpa, ipaAttrs: WALK_ATTRS, access: a, aligned: true, ttw: true }, oracle);
      if (r.kind === 'fault') return r;
    }
    if (s1.valid === false) return s1Fault(a, 'translation', s1.level, baseWrite, 'no valid stage-1 descriptor for the VA (AArch64.S1Walk)');
    leaf = s1;
    ipa = s1.ipaPage !== undefined ? (s1.ipaPage & ~0xfffn) | (a.va & 0xfffn) : a.va;
  } else {
    const found = leafFromWalk(s, s.stage1, baseWrite, oracle);
    if (!found.ok) return found.result;
    leaf = found.leaf;
    ipa = found.leaf.ipa;
  }
  if (!leaf.af && (info.acctype !== 'DC' || oracle.decide('af-on-dc', ['fault', 'no-fault']) === 'fault')) {
    return s1Fault(a, 'access_flag', leaf.level, baseWrite, 'stage-1 descriptor AF = 0 (AArch64.S1Walk)');
  }
  const attrs = s1LeafAttrs(leaf, oracle);
  if (hasAlignmentFault(a, aligned, attrs)) return s1Fault(a, 'alignment', null, baseWrite, 'Device memory at stage 1 (AArch64.S1HasAlignmentFault)');
  const p = s1CheckPermissions(a, leaf, attrs);
  if (p.kind === 'fault') return s1Fault(a, 'permission', leaf.level, p.write, 'stage-1 AP/PXN/UXN (AArch64.S1CheckPermissions)');
  if (p.kind === 'cu' && oracle.decide('instr-device', ['fault', 'no-fault']) === 'fault') return s1Fault(a, 'permission', leaf.level, false, p.what);
  return { kind: 'ok', address: ipa, attrs: s1OutputAttrs(s, attrs, ifetch), rule: 'S1DecodeMemAttrs' };
}

// [ASL AArch64.S1Translate tail: instruction fetches from Device memory, and data accesses to Normal memory with
// SCTLR_EL1.C = 0, use NormalNCMemAttr(); with HCR_EL2.VM = 1 the descriptor shareability is kept (the
// "Apply effective shareability at stage 1" IMPLEMENTATION DEFINED choice is not taken)]
function s1OutputAttrs(s: Scenario, attrs: MemAttrs, ifetch: boolean): MemAttrs {
  const nc = (ifetch && attrs.memtype === 'Device') || (!ifetch && !s.sctlr.C && attrs.memtype === 'Normal');
  const out: MemAttrs = nc ? withShareability(normalNC(), attrs.shareability) : attrs;
  return s.hcr.VM ? out : withEffectiveShareability(out);
}
