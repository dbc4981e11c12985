// Stage 2 for one IPA: ASL AArch64.S2Translate with its walk (or leaf attributes given directly), the
// stage-2 alignment and permission checks, and the attributes handed on (S2CombineS1MemAttrs or the FWB
// result). Used for the access itself and for every stage-1 descriptor fetch (AccessType_TTW).
import { hasAlignmentFault, ACCESS_KIND_INFO, type Access } from './access';
import { s2CombineS1MemAttrs } from './combine-rules';
import type { Oracle } from './decisions';
import type { ModelFault } from './fault';
import { oaOutOfRange, physicalAddressSize, s2InconsistentSL, s2InvalidSL, s2StartLevel, ttBaseAddress, txszRange } from './granule';
import { s2CheckPermissions, s2CheckWalkPermissions, type S2Perms } from './permissions';
import { decodeS2MemAttrs, s2ApplyFwbMemAttrs } from './s2-attrs';
import type { Scenario, Stage2Attrs, Stage2Walk } from './scenario';
import { decodeShareability, normalNC, type MemAttrs, type Shareability } from './types';
import { walkTables } from './walk';

export type StageResult =
  | { readonly kind: 'ok'; readonly address: bigint; readonly attrs: MemAttrs; readonly rule: string }
  | { readonly kind: 'fault'; readonly fault: ModelFault; readonly rule: string };

/** The leaf a stage-2 lookup found: what the walk (or the attrs-mode input) says about the IPA. */
interface S2Leaf {
  readonly pa: bigint;
  readonly level: number;
  readonly memattr: number;
  readonly sh: Shareability;
  readonly perms: S2Perms;
  readonly af: boolean;
}

type LeafOrFault = { readonly ok: true; readonly leaf: S2Leaf } | { readonly ok: false; readonly type: ModelFault['type']; readonly level: number; readonly rule: string };

function leafFromAttrs(s2: Stage2Attrs, ipa: bigint): LeafOrFault {
  return { ok: true, leaf: { pa: ipa, level: s2.level, memattr: s2.memattr, sh: s2.sh, perms: { s2ap: s2.s2ap, xn: s2.xn }, af: s2.af } };
}

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
  const iasize = 64 - t0sz;
  const start = s2StartLevel(s2.sl0, s2.tg0);
  if (start === null || s2InvalidSL(s2.sl0, s2.tg0, s.cpu.pamax) || s2InconsistentSL(iasize, start, s2.tg0)) {
    return { ok: false, type: 'translation', level: 0, rule: 'VTCR_EL2.SL0 invalid or inconsistent with T0SZ (AArch64.S2InvalidSL/S2InconsistentSL)' };
  }
  if (ipa >> BigInt(iasize) !== 0n) return { ok: false, type: 'translation', level: 0, rule: 'IPA beyond VTCR_EL2.T0SZ (AArch64.IPAIsOutOfRange)' };
  const oaSize = physicalAddressSize(s2.ps, s.cpu.pamax);
  const cfg = { granule: s2.tg0, iasize, startLevel: start, base: ttBaseAddress(s2.vttbr, iasize, start, s2.tg0), oaSize };
  const w = walkTables<never>(cfg, ipa, (addr) => ({ ok: true, desc: s2.tables.get(addr) ?? 0n }));
  if (w.kind !== 'leaf') {
    const type = w.kind === 'fault' ? w.type : 'translation';
    return { ok: false, type, level: w.level, rule: `stage-2 walk: ${type === 'translation' ? 'invalid descriptor' : 'address beyond VTCR_EL2.PS'} (AArch64.S2Walk)` };
  }
  if (oaOutOfRange(w.oa, oaSize)) return { ok: false, type: 'address_size', level: w.level, rule: 'stage-2 output address beyond VTCR_EL2.PS (AArch64.OAOutOfRange)' };
  const d = w.desc;
  const leaf: S2Leaf = {
    pa: w.oa,
    level: w.level,
    memattr: Number((d >> 2n) & 0xfn),
    sh: decodeShareability(Number((d >> 8n) & 3n)),
    perms: { s2ap: Number((d >> 6n) & 3n), xn: Number((d >> 53n) & 3n) },
    af: ((d >> 10n) & 1n) === 1n,
  };
  return { ok: true, leaf };
}

/** The stage-2 walk attributes: the FWB result with FWB, else the MemAttr decoded (asking the oracle if reserved). */
function s2WalkAttrs(s: Scenario, leaf: S2Leaf, ipaAttrs: MemAttrs, oracle: Oracle): MemAttrs {
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

/** ASL AArch64.S2Translate. */
export function s2Translate(s: Scenario, req: S2Request, oracle: Oracle): StageResult {
  const s2 = s.stage2 as Stage2Attrs | Stage2Walk;
  const info = ACCESS_KIND_INFO[req.access.kind];
  // ASL NoFault(accdesc): fault.write = !read && write; a table fetch keeps the access's record.
  const baseWrite = !info.read && info.write;
  const fault = (type: ModelFault['type'], level: number | null, write: boolean, rule: string): StageResult => ({
    kind: 'fault',
    fault: { stage: 2, type, level, s1ptw: req.ttw, write, ipa: req.ipa },
    rule,
  });
  const found = s2.kind === 'attrs' ? leafFromAttrs(s2, req.ipa) : leafFromWalk(s, s2, req.ipa, oracle);
  if (!found.ok) return fault(found.type, found.level, baseWrite, found.rule);
  const leaf = found.leaf;
  // Access flag (HA = 0). For DC maintenance the fault is IMPLEMENTATION DEFINED. [ASL AArch64.S2Walk]
  if (!leaf.af && (info.acctype !== 'DC' || req.ttw || oracle.decide('af-on-dc', ['fault', 'no-fault']) === 'fault')) {
    return fault('access_flag', leaf.level, baseWrite, 'stage-2 descriptor AF = 0 (AArch64.S2Walk)');
  }
  const walkAttrs = s2WalkAttrs(s, leaf, req.ipaAttrs, oracle);
  if (req.ttw) {
    if (!s2CheckWalkPermissions(leaf.perms, walkAttrs, s.hcr.PTW)) {
      const why = s.hcr.PTW && walkAttrs.memtype === 'Device' ? 'stage-1 table in stage-2 Device memory with HCR_EL2.PTW = 1' : 'no S2AP read permission for the table fetch';
      return fault('permission', leaf.level, baseWrite, `${why} (AArch64.S2CheckPermissions)`);
    }
  } else {
    if (hasAlignmentFault(req.access, req.aligned, walkAttrs)) {
      return fault('alignment', null, baseWrite, 'Device memory at stage 2 (AArch64.S2HasAlignmentFault)');
    }
    const p = s2CheckPermissions(req.access, leaf.perms, walkAttrs);
    if (p.kind === 'fault') return fault('permission', leaf.level, p.write, 'stage-2 S2AP/XN (AArch64.S2CheckPermissions)');
    if (p.kind === 'cu' && oracle.decide('instr-device', ['fault', 'no-fault']) === 'fault') {
      return fault('permission', leaf.level, false, p.what);
    }
  }
  return { kind: 'ok', address: leaf.pa, attrs: s2OutputAttrs(s, req, walkAttrs), rule: s.hcr.FWB ? 'AArch64.S2ApplyFWBMemAttrs' : 'S2CombineS1MemAttrs' };
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
  return s.hcr.FWB ? s2attrs : s2CombineS1MemAttrs(req.ipaAttrs, s2attrs);
}
