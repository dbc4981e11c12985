// Memory attributes as the Arm ASL models them (shared/functions/memory/MemoryAttributes, MemAttrHints,
// DeviceType, Shareability), plus the lattice the UI draws. Values are plain immutable objects so that the
// CLI, the API and the lattice view render exactly what the model computed.

/** DeviceType_* in the ASL, strongest first in `DEVICE_STRENGTH`. */
export type DeviceType = 'nGnRnE' | 'nGnRE' | 'nGRE' | 'GRE';
/** MemAttr_NC / MemAttr_WT / MemAttr_WB. */
export type Cacheability = 'NC' | 'WT' | 'WB';
/** MemHint_No / MemHint_WA / MemHint_RA / MemHint_RWA (read/write-allocate). */
export type AllocHint = 'none' | 'WA' | 'RA' | 'RWA';
export type Shareability = 'NSH' | 'ISH' | 'OSH';

export interface AttrHints {
  readonly attrs: Cacheability;
  /** Allocation hints; `none` for Non-cacheable (hints do not apply). */
  readonly hints: AllocHint;
  /** The transient hint; false where it does not apply (NC, or no allocation hint). */
  readonly transient: boolean;
}

export interface DeviceAttrs {
  readonly memtype: 'Device';
  readonly device: DeviceType;
  readonly shareability: Shareability;
}

export interface NormalAttrs {
  readonly memtype: 'Normal';
  readonly inner: AttrHints;
  readonly outer: AttrHints;
  /** MemTag_AllocationTagged (FEAT_MTE2). */
  readonly tagged: boolean;
  readonly shareability: Shareability;
}

export type MemAttrs = DeviceAttrs | NormalAttrs;

/** Device types from strongest (fewest permitted reorderings) to weakest: nG nR nE = no Gathering, etc. */
export const DEVICE_STRENGTH: readonly DeviceType[] = ['nGnRnE', 'nGnRE', 'nGRE', 'GRE'];

/** ASL DecodeDevice(bits(2)): 00 nGnRnE, 01 nGnRE, 10 nGRE, 11 GRE. */
export function decodeDevice(dd: number): DeviceType {
  return DEVICE_STRENGTH[dd & 3] as DeviceType;
}

/** ASL DecodeShareability(bits(2)) for SH[1:0]: 00 NSH, 10 OSH, 11 ISH; 01 is reserved (see `shReserved`). */
export function decodeShareability(sh: number): Shareability {
  switch (sh & 3) {
    case 2:
      return 'OSH';
    case 3:
      return 'ISH';
    default:
      // 0b00, and the reserved 0b01 which the ASL leaves CONSTRAINED UNPREDICTABLE; KVM's AT emulation
      // (arch/arm64/kvm/at.c compute_sh, per PAREncodeShareability) maps it to NSH, and so do we.
      return 'NSH';
  }
}

export function device(d: DeviceType, shareability: Shareability = 'OSH'): DeviceAttrs {
  return { memtype: 'Device', device: d, shareability };
}

export function hints(attrs: Cacheability, h: AllocHint = 'none', transient = false): AttrHints {
  return { attrs, hints: attrs === 'NC' ? 'none' : h, transient: attrs === 'NC' ? false : transient };
}

export function normal(inner: AttrHints, outer: AttrHints, shareability: Shareability, tagged = false): NormalAttrs {
  return { memtype: 'Normal', inner, outer, tagged, shareability };
}

/** The same attributes with another shareability (built as a literal: object spread is slow in hot paths). */
export function withShareability(a: MemAttrs, shareability: Shareability): MemAttrs {
  if (a.memtype === 'Device') return { memtype: 'Device', device: a.device, shareability };
  return { memtype: 'Normal', inner: a.inner, outer: a.outer, tagged: a.tagged, shareability };
}

/** ASL NormalNCMemAttr(): Normal Inner/Outer Non-cacheable, Outer Shareable. */
export function normalNC(): NormalAttrs {
  return normal(hints('NC'), hints('NC'), 'OSH');
}

/** The JSON names of memory types (CLI contract): `Device-nGnRE`, …, or `Normal`. */
export function typeName(a: MemAttrs): string {
  return a.memtype === 'Device' ? `Device-${a.device}` : 'Normal';
}

/** A short human label: `Device-nGnRE`, `Normal-NC`, `Normal iWB-oNC`, `Normal-WB (tagged)`. */
export function describeAttrs(a: MemAttrs): string {
  if (a.memtype === 'Device') return `Device-${a.device}`;
  const base = a.inner.attrs === a.outer.attrs ? `Normal-${a.inner.attrs}` : `Normal i${a.inner.attrs}-o${a.outer.attrs}`;
  return a.tagged ? `${base} (tagged)` : base;
}

/**
 * The attribute lattice, weakest first (DOMAIN.md §1; Arm ARM "Combining the stage 1 and stage 2 attributes"):
 * the combined type of two stages is never weaker than the stronger of the two (without FWB).
 */
export const LATTICE = ['Normal-WB', 'Normal-WT', 'Normal-NC', 'Device-GRE', 'Device-nGRE', 'Device-nGnRE', 'Device-nGnRnE'] as const;
export type LatticeNode = (typeof LATTICE)[number];

// How far from Write-Back a cacheability is (the lattice's Normal part, weakest first).
const NC_RANK: Readonly<Record<Cacheability, number>> = { WB: 0, WT: 1, NC: 2 };

/** The lattice node of a result; a Normal type with different inner/outer sits at its less cacheable side. */
export function latticeNode(a: MemAttrs): LatticeNode {
  if (a.memtype === 'Device') return `Device-${a.device}`;
  const worst = Math.max(NC_RANK[a.inner.attrs], NC_RANK[a.outer.attrs]);
  return (['Normal-WB', 'Normal-WT', 'Normal-NC'] as const)[worst] as LatticeNode;
}

/** True for Normal Inner and Outer Write-Back: the only memory where exclusives/atomics are architecturally supported. */
export function isNormalWB(a: MemAttrs): boolean {
  return a.memtype === 'Normal' && a.inner.attrs === 'WB' && a.outer.attrs === 'WB';
}

export function sameAttrs(a: MemAttrs, b: MemAttrs): boolean {
  if (a.memtype !== b.memtype || a.shareability !== b.shareability) return false;
  if (a.memtype === 'Device') return a.device === (b as DeviceAttrs).device;
  const n = b as NormalAttrs;
  return a.tagged === n.tagged && sameHints(a.inner, n.inner) && sameHints(a.outer, n.outer);
}

function sameHints(a: AttrHints, b: AttrHints): boolean {
  return a.attrs === b.attrs && a.hints === b.hints && a.transient === b.transient;
}
