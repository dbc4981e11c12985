// Combining stage-1 and stage-2 attributes without FEAT_S2FWB: the ASL functions S2CombineS1MemAttrs,
// S2CombineS1Device, S2CombineS1AttrHints, S2CombineS1Shareability, S2MemTagType and EffectiveShareability
// (Arm ARM shared/functions/memory; DOMAIN.md §3c). One function per ASL function, same names.
import { DEVICE_STRENGTH, normal, withShareability, type AttrHints, type Cacheability, type DeviceType, type MemAttrs, type Shareability } from './types';

/** ASL S2CombineS1Device: the stronger Device type wins (nGnRnE > nGnRE > nGRE > GRE). */
export function s2CombineS1Device(s1: DeviceType, s2: DeviceType): DeviceType {
  // DEVICE_STRENGTH is ordered strongest first, so the smaller index is the stronger type.
  return DEVICE_STRENGTH.indexOf(s1) <= DEVICE_STRENGTH.indexOf(s2) ? s1 : s2;
}

const CACHE_RANK: Readonly<Record<Cacheability, number>> = { NC: 0, WT: 1, WB: 2 };

/**
 * ASL S2CombineS1AttrHints: the less cacheable of the two wins (NC < WT < WB); stage 2 assigns no allocation
 * or transient hints, so a cacheable result inherits them from stage 1.
 * Worked: S1 WB-transient RWA + S2 WT -> WT, RWA, transient (QEMU and KVM's AT emulation differ; the ASL is right).
 */
export function s2CombineS1AttrHints(s1: AttrHints, s2: AttrHints): AttrHints {
  const attrs = CACHE_RANK[s1.attrs] <= CACHE_RANK[s2.attrs] ? s1.attrs : s2.attrs;
  if (attrs === 'NC') return { attrs, hints: 'none', transient: false };
  return { attrs, hints: s1.hints, transient: s1.transient };
}

/** ASL S2CombineS1Shareability: OSH if either stage says OSH, else ISH if either says ISH, else NSH. */
export function s2CombineS1Shareability(s1: Shareability, s2: Shareability): Shareability {
  if (s1 === 'OSH' || s2 === 'OSH') return 'OSH';
  if (s1 === 'ISH' || s2 === 'ISH') return 'ISH';
  return 'NSH';
}

/** ASL EffectiveShareability: Device memory and Normal Inner-NC + Outer-NC memory are always Outer Shareable. */
export function effectiveShareability(a: MemAttrs): Shareability {
  if (a.memtype === 'Device') return 'OSH';
  if (a.inner.attrs === 'NC' && a.outer.attrs === 'NC') return 'OSH';
  return a.shareability;
}

/**
 * ASL S2MemTagType: the result stays Allocation Tagged only when stage 1 asked for it and the combined type is
 * Normal Inner+Outer WB, read/write-allocate, non-transient; otherwise Untagged.
 */
export function s2MemTagType(combined: MemAttrs, s1Tagged: boolean): boolean {
  if (!s1Tagged || combined.memtype !== 'Normal') return false;
  return fullWB(combined.inner) && fullWB(combined.outer);
}

function fullWB(h: AttrHints): boolean {
  return h.attrs === 'WB' && h.hints === 'RWA' && !h.transient;
}

/**
 * ASL S2CombineS1MemAttrs (HCR_EL2.FWB = 0):
 *   both Device        -> Device, S2CombineS1Device
 *   S1 Device only     -> the stage-1 attributes
 *   S2 Device only     -> the stage-2 attributes
 *   both Normal        -> inner and outer combined independently by S2CombineS1AttrHints
 * then tags (S2MemTagType), shareability (S2CombineS1Shareability) and EffectiveShareability.
 */
export function s2CombineS1MemAttrs(s1: MemAttrs, s2: MemAttrs): MemAttrs {
  const sh = s2CombineS1Shareability(s1.shareability, s2.shareability);
  let out: MemAttrs;
  if (s1.memtype === 'Device' && s2.memtype === 'Device') {
    out = { memtype: 'Device', device: s2CombineS1Device(s1.device, s2.device), shareability: sh };
  } else if (s1.memtype === 'Device') {
    out = withShareability(s1, sh);
  } else if (s2.memtype === 'Device') {
    out = withShareability(s2, sh);
  } else {
    const n = normal(s2CombineS1AttrHints(s1.inner, s2.inner), s2CombineS1AttrHints(s1.outer, s2.outer), sh);
    out = normal(n.inner, n.outer, sh, s2MemTagType(n, s1.tagged));
  }
  return withEffectiveShareability(out);
}

export function withEffectiveShareability(a: MemAttrs): MemAttrs {
  const sh = effectiveShareability(a);
  return sh === a.shareability ? a : withShareability(a, sh);
}

// Decoded attributes are canonical objects (the decoders memoize them), so the combination of two of them can
// be remembered by identity.
const combined = new WeakMap<MemAttrs, WeakMap<MemAttrs, MemAttrs>>();

/** s2CombineS1MemAttrs, remembered per pair of attribute objects. */
export function s2CombineS1MemAttrsCached(s1: MemAttrs, s2: MemAttrs): MemAttrs {
  let inner = combined.get(s1);
  if (!inner) {
    inner = new WeakMap();
    combined.set(s1, inner);
  }
  let r = inner.get(s2);
  if (!r) {
    r = s2CombineS1MemAttrs(s1, s2);
    inner.set(s2, r);
  }
  return r;
}
