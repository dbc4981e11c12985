// Stage-1 memory attributes: one MAIR_ELx.Attr<n> byte (selected by the descriptor's AttrIndx) decoded as the
// ASL does in S1DecodeMemAttrs / DecodeLDFAttr, reserved encodings flagged (S1ConstrainUnpredictableRESMAIR).
import { decodeDevice, device, hints, normal, type AllocHint, type AttrHints, type MemAttrs, type Shareability } from './types';

export interface DecodedAttrs {
  /** The attributes, or null when a reserved encoding leaves several possibilities (see `options`). */
  readonly attrs: MemAttrs | null;
  /** Every possibility the architecture allows for a reserved (CONSTRAINED UNPREDICTABLE) encoding. */
  readonly options: readonly MemAttrs[] | null;
  readonly reserved: boolean;
  /** The feature an encoding needs to be allocated (the model assumes the CPU implements it). */
  readonly feature: 'FEAT_XS' | 'FEAT_MTE2' | null;
}

// MemHint by the two low bits of a cacheable nibble: 00 no allocate, 01 write-allocate, 10 read-allocate,
// 11 read+write-allocate. [ASL DecodeLDFAttr]
const LDF_HINTS: readonly AllocHint[] = ['none', 'WA', 'RA', 'RWA'];

/**
 * ASL DecodeLDFAttr(bits(4)): one MAIR nibble (never 0b0000 here).
 *   0b0100 Non-cacheable; 0bx0RW Write-Through; 0bx1RW Write-Back (RW != 00 when x = 0);
 *   the transient hint is attr<3> == 0 and applies only to cacheable memory with some allocation hint.
 */
export function decodeLDFAttr(nibble: number): AttrHints {
  if (nibble === 0b0100) return hints('NC');
  const attrs = nibble & 0b0100 ? 'WB' : 'WT';
  const h = LDF_HINTS[nibble & 3] as AllocHint;
  return hints(attrs, h, h !== 'none' && (nibble & 0b1000) === 0);
}

/** One representative of every memory class: what an UNKNOWN allocated encoding can stand for. */
function allClasses(sh: Shareability): MemAttrs[] {
  const out: MemAttrs[] = [0, 1, 2, 3].map((dd) => device(decodeDevice(dd), sh));
  for (const o of ['NC', 'WT', 'WB'] as const) {
    for (const i of ['NC', 'WT', 'WB'] as const) out.push(normal(hints(i, 'RWA'), hints(o, 'RWA'), sh));
  }
  return out;
}

const cache = new Map<number, DecodedAttrs>();

/**
 * ASL S1DecodeMemAttrs for AArch64 (MAIR_ELx.Attr<n>, Arm ARM D19 MAIR_EL1; DOMAIN.md §3a):
 *
 * | Attr<n>      | Meaning                                                        |
 * | 0000 dd 00   | Device dd (00 nGnRnE, 01 nGnRE, 10 nGRE, 11 GRE)               |
 * | 0000 dd 01   | FEAT_XS: Device dd with XS = 0                                 |
 * | 0000 dd 1x   | reserved (UNPREDICTABLE)                                       |
 * | 0100 0000    | FEAT_XS: Normal Inner/Outer Non-cacheable, XS = 0              |
 * | 1010 0000    | FEAT_XS: Normal Inner/Outer WT, read-allocate, non-transient   |
 * | 1111 0000    | FEAT_MTE2: Tagged Normal Inner/Outer WB RWA non-transient      |
 * | oooo 0000    | other: reserved (UNPREDICTABLE)                                |
 * | oooo iiii    | Normal, outer = DecodeLDFAttr(oooo), inner = DecodeLDFAttr(iiii)|
 *
 * A reserved value is replaced by ConstrainUnpredictableBits(Unpredictable_RESMAIR): an UNKNOWN value, so
 * `options` lists one representative of each memory class. XS only affects TLBI/DSB nXS completion, so it is
 * not modelled.
 */
export function decodeS1MemAttrs(attr: number, sh: Shareability): DecodedAttrs {
  const key = (attr & 0xff) | (sh === 'NSH' ? 0 : sh === 'ISH' ? 0x100 : 0x200);
  const hit = cache.get(key);
  if (hit) return hit;
  const decoded = decodeUncached(attr & 0xff, sh);
  cache.set(key, decoded);
  return decoded;
}

function decodeUncached(attr: number, sh: Shareability): DecodedAttrs {
  const hi = attr >> 4;
  const lo = attr & 0xf;
  const ok = (attrs: MemAttrs, feature: DecodedAttrs['feature'] = null): DecodedAttrs => ({ attrs, options: null, reserved: false, feature });
  const reserved: DecodedAttrs = { attrs: null, options: allClasses(sh), reserved: true, feature: null };
  if (hi === 0) {
    if ((lo & 3) === 0) return ok(device(decodeDevice(lo >> 2), sh));
    if ((lo & 3) === 1) return ok(device(decodeDevice(lo >> 2), sh), 'FEAT_XS');
    return reserved;
  }
  if (attr === 0x40) return ok(normal(hints('NC'), hints('NC'), sh), 'FEAT_XS');
  if (attr === 0xa0) return ok(normal(hints('WT', 'RA'), hints('WT', 'RA'), sh), 'FEAT_XS');
  if (attr === 0xf0) return ok(normal(hints('WB', 'RWA'), hints('WB', 'RWA'), sh, true), 'FEAT_MTE2');
  if (lo === 0) return reserved;
  return ok(normal(decodeLDFAttr(lo), decodeLDFAttr(hi), sh));
}

/**
 * ASL AArch64.S1DisabledOutput: the attributes of an access when stage 1 is off (SCTLR_EL1.M = 0, or
 * HCR_EL2.DC = 1 which also forces M off for EL1&0). Data: Device-nGnRnE; with HCR_EL2.DC = 1 Normal WB RWA
 * non-shareable; instruction fetches: Normal WT read-allocate Outer Shareable (SCTLR_EL1.I = 1 assumed).
 */
export function s1DisabledAttrs(dc: boolean, ifetch: boolean): MemAttrs {
  if (dc) return normal(hints('WB', 'RWA'), hints('WB', 'RWA'), 'NSH');
  if (ifetch) return normal(hints('WT', 'RA'), hints('WT', 'RA'), 'OSH');
  return device('nGnRnE', 'OSH');
}
