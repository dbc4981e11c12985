// Stage-2 memory attributes: descriptor MemAttr[3:0] (bits [5:2]) decoded without FEAT_S2FWB
// (ASL S2DecodeMemAttrs / S2DecodeCacheability) and applied with it (ASL AArch64.S2ApplyFWBMemAttrs).
import { s2CombineS1Device, s2CombineS1Shareability, s2MemTagType, withEffectiveShareability } from './combine-rules';
import type { DecodedAttrs } from './s1-attrs';
import { decodeDevice, device, hints, normal, withShareability, type AttrHints, type Cacheability, type MemAttrs, type Shareability } from './types';

// ASL S2DecodeCacheability(bits(2)): 01 NC, 10 WT, 11 WB; 00 is reserved: ConstrainUnpredictable
// (Unpredictable_S2RESMEMATTR) picks NC, WT or WB. Stage 2 assigns no allocation or transient hints.
const S2_CACHEABILITY: readonly (Cacheability | null)[] = [null, 'NC', 'WT', 'WB'];

const cache = new Map<number, DecodedAttrs>();

/**
 * ASL S2DecodeMemAttrs (HCR_EL2.FWB = 0; Arm ARM "Stage 2 memory type and Cacheability attributes";
 * DOMAIN.md §3b):
 *
 * | MemAttr        | Meaning                                               | Linux name                       |
 * | 00dd           | Device dd (00 nGnRnE, 01 nGnRE, 10 nGRE, 11 GRE)      | MT_S2_DEVICE_nGnRE = 0b0001      |
 * | oo ii, oo != 00| Normal, outer oo, inner ii: 01 NC, 10 WT, 11 WB       | MT_S2_NORMAL 0b1111, _NC 0b0101  |
 * | 0100 1000 1100 | inner 00 reserved: CONSTRAINED UNPREDICTABLE NC/WT/WB | (0b0100 NoTagAccess with MTE_PERM, not modelled) |
 */
export function decodeS2MemAttrs(memattr: number, sh: Shareability): DecodedAttrs {
  const key = (memattr & 0xf) | (sh === 'NSH' ? 0 : sh === 'ISH' ? 0x10 : 0x20);
  const hit = cache.get(key);
  if (hit) return hit;
  const decoded = decodeUncached(memattr & 0xf, sh);
  cache.set(key, decoded);
  return decoded;
}

function decodeUncached(attr: number, sh: Shareability): DecodedAttrs {
  if (attr >> 2 === 0) return { attrs: device(decodeDevice(attr & 3), sh), options: null, reserved: false, feature: null };
  const outer = hints(S2_CACHEABILITY[attr >> 2] as Cacheability);
  const inner = S2_CACHEABILITY[attr & 3];
  if (inner) return { attrs: normal(hints(inner), outer, sh), options: null, reserved: false, feature: null };
  const options = (['NC', 'WT', 'WB'] as const).map((c) => normal(hints(c), outer, sh));
  return { attrs: null, options, reserved: true, feature: null };
}

export interface FwbResult {
  readonly attrs: MemAttrs;
  /** The FWB encoding is reserved: MemAttr[2:0] = 0b100, or MemAttr[3] set (RES0 without FEAT_MTE_PERM). */
  readonly reserved: boolean;
  /** Which row of the FWB table applied. */
  readonly row: 'device' | 'as-s1' | 'force-wb' | 'nc' | 's1-device-kept';
}

// Hints of a forced Write-Back result: stage 1's when stage 1 is Normal and cacheable on that side, else
// read/write-allocate non-transient. [ASL AArch64.S2ApplyFWBMemAttrs, "Force writeback" branch]
function forcedWB(s1: MemAttrs, side: 'inner' | 'outer'): AttrHints {
  if (s1.memtype === 'Normal' && s1[side].attrs !== 'NC') return { attrs: 'WB', hints: s1[side].hints, transient: s1[side].transient };
  return { attrs: 'WB', hints: 'RWA', transient: false };
}

/**
 * ASL AArch64.S2ApplyFWBMemAttrs (HCR_EL2.FWB = 1; DOMAIN.md §3b): the stage-2 descriptor rewrites the stage-1
 * attributes and the result *is* the combined result (AArch64.S2Translate skips S2CombineS1MemAttrs).
 *
 * | MemAttr[2:0] | Result                                                               | Linux name               |
 * | 0dd          | Device dd; if stage 1 is Device too, the stronger (S2CombineS1Device) | MT_S2_FWB_DEVICE_nGnRE 1 |
 * | 111          | the stage-1 attributes unchanged                                      | MT_S2_FWB_AS_S1 7        |
 * | 110          | Normal WB; hints from stage 1 if Normal cacheable, else RWA           | MT_S2_FWB_NORMAL 6       |
 * | 101          | Normal NC, unless stage 1 is Device: then stage 1's Device type       | MT_S2_FWB_NORMAL_NC 5    |
 * | 100          | reserved; the ASL treats it as 101                                    |                          |
 * MemAttr[3] is RES0 without FEAT_MTE_PERM and ignored for the type.
 */
export function s2ApplyFwbMemAttrs(s1: MemAttrs, memattr: number, s2sh: Shareability): FwbResult {
  const a = memattr & 0xf;
  const sh = s2CombineS1Shareability(s1.shareability, s2sh);
  const reserved = (a & 0b1000) !== 0 || (a & 0b111) === 0b100;
  let attrs: MemAttrs;
  let row: FwbResult['row'];
  if ((a & 0b100) === 0) {
    const s2dev = decodeDevice(a & 3);
    attrs = device(s1.memtype === 'Device' ? s2CombineS1Device(s1.device, s2dev) : s2dev, sh);
    row = 'device';
  } else if ((a & 3) === 0b11) {
    attrs = withShareability(s1, sh);
    row = 'as-s1';
  } else if ((a & 3) === 0b10) {
    attrs = normal(forcedWB(s1, 'inner'), forcedWB(s1, 'outer'), sh);
    row = 'force-wb';
  } else if (s1.memtype === 'Device') {
    attrs = withShareability(s1, sh);
    row = 's1-device-kept';
  } else {
    attrs = normal(hints('NC'), hints('NC'), sh);
    row = 'nc';
  }
  if (attrs.memtype === 'Normal') attrs = normal(attrs.inner, attrs.outer, attrs.shareability, s2MemTagType(attrs, s1.memtype === 'Normal' && s1.tagged));
  return { attrs: withEffectiveShareability(attrs), reserved, row };
}

/** Linux's stage-2 MemAttr values (arch/arm64/include/asm/memory.h MT_S2_*, MT_S2_FWB_*). */
export const LINUX_S2 = {
  MT_S2_NORMAL: 0b1111,
  MT_S2_NORMAL_NC: 0b0101,
  MT_S2_DEVICE_nGnRE: 0b0001,
  MT_S2_FWB_NORMAL: 0b0110,
  MT_S2_FWB_NORMAL_NC: 0b0101,
  MT_S2_FWB_DEVICE_nGnRE: 0b0001,
  MT_S2_FWB_AS_S1: 0b0111,
} as const;
