// Stage 2 for one IPA: ASL AArch64.S2Translate with its walk (or leaf attributes given directly), the
// stage-2 alignment and permission checks, and the attributes handed on (S2CombineS1MemAttrs or the FWB
// result). Used for the access itself and for every stage-1 descriptor fetch (AccessType_TTW).
import { hasAlignmentFault, ACCESS_KIND_INFO, type Access } from './access';
import { s2CombineS1MemAttrsCached } from './combine-rules';
import type { Oracle } from './decisions';
import type { ModelFault } from './fault';
import { physicalAddressSize, s2InconsistentSL, s2InvalidSL, s2StartLevel, txszRange } from './granule';
import { s2CheckPermissions, s2CheckWalkPermissions, type S2Perms } from './permissions';
import { decodeS2MemAttrs, s2ApplyFwbMemAttrs } from './s2-attrs';
import type { Scenario, Stage2Attrs, Stage2Walk } from './scenario';
import { decodeShareability, normalNC, type MemAttrs, type Shareability } from './types';
import { numericImage, readImage, walkGeometry, walkTables, type Desc, type DescriptorSource, type WalkGeometry } from './walk';

export type StageResult =
  | { readonly kind: 'ok'; readonly address: bigint; readonly attrs: MemAttrs; readonly rule: string }
  | { readonly kind: 'fault'; readonly fault: ModelFault; readonly rule: string };

/** The leaf a stage-2 lookup found: what the walk (or the attrs-mode input) says about the IPA. */
/** What stage 2 needs from a leaf; a Stage2Attrs input is one as it is. */
interface S2LeafFields extends S2Perms {
  readonly level: number;
  readonly memattr: number;
  readonly sh: Shareability;
  readonly af: boolean;
}

interface S2Leaf extends S2LeafFields {
  readonly ok: true;
  readonly pa: bigint;
}

type LeafOrFault = S2Leaf | { readonly ok: false; readonly type: ModelFault['type']; readonly level: number; readonly rule: string };

type S2Geometry = { readonly ok: true; readonly g: WalkGeometry } | { readonly ok: false; readonly rule: string };

// VTCR_EL2 checks that need no choice, and the walk geometry, once per stage-2 input object.
// [ASL AArch64.S2Translate: S2InvalidSL / S2InconsistentSL -> translation fault level 0]
const geometries = new WeakMap<Stage2Walk, Map<number, S2Geometry>>();
function s2Geometry(s: Scenario, s2: Stage2Walk, t0sz: number): S2Geometry {
  let byT0sz = geometries.get(s2);
  if (!byT0sz) {
    byT0sz = new Map();
    geometries.set(s2, byT0sz);
  }
  const key = t0sz * 64 + s.cpu.pamax;
  let geo = byT0sz.get(key);
  if (!geo) {
    const iasize = 64 - t0sz;
    const start = s2StartLevel(s2.sl0, s2.tg0);
    geo =
      start === null || s2InvalidSL(s2.sl0, s2.tg0, s.cpu.pamax) || s2InconsistentSL(iasize, start, s2.tg0)
        ? { ok: false, rule: 'VTCR_EL2.SL0 invalid or inconsistent with T0SZ (AArch64.S2InvalidSL/S2InconsistentSL)' }
        : { ok: true, g: walkGeometry(s2.tg0, iasize, start, s2.vttbr, physicalAddressSize(s2.ps, s.cpu.pamax)) };
    byT0sz.set(key, geo);
  }
  return geo;
}

// Stage-2 descriptors are read from the table image by PA; nothing can fail.
class S2Tables implements DescriptorSource {
  private readonly image: Map<number, Desc>;
  constructor(tables: Stage2Walk['tables']) {
    this.image = numericImage(tables);
  }
  read(addr: number): Desc {
    return readImage(this.image, addr);
  }
}
const s2Sources = new WeakMap<Stage2Walk, S2Tables>();

// VTCR_EL2 checks, then the walk. [ASL AArch64.S2Translate: S2TxSZFaults, S2InvalidSL/S2InconsistentSL,
// IPAIsOutOfRange -> translation fault level 0; AArch64.S2Walk; leaf OAOutOfRange -> address size]
function leafFromWalk(s: Scenario, s2: Stage2Walk, ipa: bigint, oracle: Oracle): LeafOrFault {
  const range = txszRange(s.cpu.pamax);
  let t0sz = s2.t0sz;
  if (t0sz < range.min || t0sz > range.max) {
    const c = oracle.decide('txsz-out-of-range', ['fault', 'clamp']);
    if (c === 'fault') return { ok: false, type: 'translation', level: 0, rule: 'VTCR_EL2.T0SZ out of range (AArch64.S2TxSZFaults)' };
    t0sz = Math.min(Math.max(t0sz, range.min), range.max);
  }
  const geo = s2Geometry(s, s2, t0sz);
  if (!geo.ok) return { ok: false, type: 'translation', level: 0, rule: geo.rule };
  const g = geo.g;
  if (ipa > geo.g.iaMask) return { ok: false, type: 'translation', level: 0, rule: 'IPA beyond VTCR_EL2.T0SZ (AArch64.IPAIsOutOfRange)' };
  let src = s2Sources.get(s2);
  if (!src) {
    src = new S2Tables(s2.tables);
    s2Sources.set(s2, src);
  }
  const w = walkTables(g, Number(ipa), src);
  if (w.kind !== 'leaf') {
    const type = w.kind === 'fault' ? w.type : 'translation';
    return { ok: false, type, level: w.level, rule: `stage-2 walk: ${type === 'translation' ? 'invalid descriptor' : 'address beyond VTCR_EL2.PS'} (AArch64.S2Walk)` };
  }
  if (w.oa >= g.oaLimit) return { ok: false, type: 'address_size', level: w.level, rule: 'stage-2 output address beyond VTCR_EL2.PS (AArch64.OAOutOfRange)' };
  // Leaf fields: MemAttr [5:2], S2AP [7:6], SH [9:8], AF [10]; XN [54:53] = high word bits [22:21].
  const { lo, hi } = w.desc;
  return {
    ok: true,
    pa: BigInt(w.oa),
    level: w.level,
    memattr: (lo >> 2) & 0xf,
    sh: decodeShareability((lo >> 8) & 3),
    s2ap: (lo >> 6) & 3,
    xn: (hi >>> 21) & 3,
    af: ((lo >> 10) & 1) === 1,
  };
}

/** The stage-2 walk attributes: the FWB result with FWB, else the MemAttr decoded (asking the oracle if reserved). */
function s2WalkAttrs(s: Scenario, leaf: S2LeafFields, ipaAttrs: MemAttrs, oracle: Oracle): MemAttrs {
  if (s.hcr.FWB) return s2ApplyFwbMemAttrs(ipaAttrs, leaf.memattr, leaf.sh).attrs;
  const d = decodeS2MemAttrs(leaf.memattr, leaf.sh);
  if (d.attrs) return d.attrs;
  const opts = (d.options ?? []).map((_, i) => String(i));
  return (d.options ?? [])[Number(oracle.decide('s2-reserved-attr', opts))] as MemAttrs;
}

export interface S2Request {
  readonly ipa: bigint;
  /** The stage-1 output attributes (for a table fetch: the stage-1 walk attributes). */
  readonly ipaAttrs: MemAttrs;
  readonly access: Access;
  readonly aligned: boolean;
  /** A stage-1 descriptor fetch (AccessType_TTW). */
  readonly ttw: boolean;
}

function s2Fault(req: S2Request, type: ModelFault['type'], level: number | null, write: boolean, rule: string): StageResult {
  return { kind: 'fault', fault: { stage: 2, type, level, s1ptw: req.ttw, write, ipa: req.ipa }, rule };
}

/** ASL AArch64.S2Translate. */
export function s2Translate(s: Scenario, req: S2Request, oracle: Oracle): StageResult {
  const s2 = s.stage2 as Stage2Attrs | Stage2Walk;
  const info = ACCESS_KIND_INFO[req.access.kind];
  // ASL NoFault(accdesc): fault.write = !read && write; a table fetch keeps the access's record.
  const baseWrite = !info.read && info.write;
  // Attrs mode: the input is the leaf (PA = IPA).
  let leaf: S2LeafFields;
  let pa: bigint;
  if (s2.kind === 'attrs') {
    if (s2.valid === false) return s2Fault(req, 'translation', s2.level, baseWrite, 'no valid stage-2 descriptor for the IPA (AArch64.S2Walk)');
    leaf = s2;
    pa = req.ipa;
  } else {
    const found = leafFromWalk(s, s2, req.ipa, oracle);
    if (!found.ok) return s2Fault(req, found.type, found.level, baseWrite, found.rule);
    leaf = found;
    pa = found.pa;
  }
  // Access flag (HA = 0). For DC maintenance the fault is IMPLEMENTATION DEFINED. [ASL AArch64.S2Walk]
  if (!leaf.af && (info.acctype !== 'DC' || req.ttw || oracle.decide('af-on-dc', ['fault', 'no-fault']) === 'fault')) {
    return s2Fault(req, 'access_flag', leaf.level, baseWrite, 'stage-2 descriptor AF = 0 (AArch64.S2Walk)');
  }
  const walkAttrs = s2WalkAttrs(s, leaf, req.ipaAttrs, oracle);
  if (req.ttw) {
    if (!s2CheckWalkPermissions(leaf, walkAttrs, s.hcr.PTW)) {
      const why = s.hcr.PTW && walkAttrs.memtype === 'Device' ? 'stage-1 table in stage-2 Device memory with HCR_EL2.PTW = 1' : 'no S2AP read permission for the table fetch';
      return s2Fault(req, 'permission', leaf.level, baseWrite, `${why} (AArch64.S2CheckPermissions)`);
    }
  } else {
    if (hasAlignmentFault(req.access, req.aligned, walkAttrs)) {
      return s2Fault(req, 'alignment', null, baseWrite, 'Device memory at stage 2 (AArch64.S2HasAlignmentFault)');
    }
    const p = s2CheckPermissions(req.access, leaf, walkAttrs);
    if (p.kind === 'fault') return s2Fault(req, 'permission', leaf.level, p.write, 'stage-2 S2AP/XN (AArch64.S2CheckPermissions)');
    if (p.kind === 'cu' && oracle.decide('instr-device', ['fault', 'no-fault']) === 'fault') {
      return s2Fault(req, 'permission', leaf.level, false, p.what);
    }
  }
  // A table fetch only needs to know that it may proceed (the walk reads the stage-1 image by IPA).
  if (req.ttw) return { kind: 'ok', address: pa, attrs: walkAttrs, rule: 'AArch64.S2Translate (AccessType_TTW)' };
  return { kind: 'ok', address: pa, attrs: s2OutputAttrs(s, req, walkAttrs), rule: s.hcr.FWB ? 'AArch64.S2ApplyFWBMemAttrs' : 'S2CombineS1MemAttrs' };
}

// The attributes stage 2 hands on. [ASL AArch64.S2Translate: a table fetch into Device memory with PTW = 0, an
// instruction fetch from Device, or a data access to Normal memory with HCR_EL2.CD = 1 use NormalNCMemAttr();
// then S2CombineS1MemAttrs without FWB, the FWB result as is with it]
function s2OutputAttrs(s: Scenario, req: S2Request, walkAttrs: MemAttrs): MemAttrs {
  const ifetch = ACCESS_KIND_INFO[req.access.kind].acctype === 'IFETCH' && !req.ttw;
  const toNC =
    (req.ttw && walkAttrs.memtype === 'Device' && !s.hcr.PTW) ||
    (ifetch && walkAttrs.memtype === 'Device') ||
    (!ifetch && walkAttrs.memtype === 'Normal' && s.hcr.CD);
  const s2attrs = toNC ? normalNC() : walkAttrs;
  return s.hcr.FWB ? s2attrs : s2CombineS1MemAttrsCached(req.ipaAttrs, s2attrs);
}
