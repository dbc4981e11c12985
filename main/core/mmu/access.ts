// Access kinds and the alignment rules that depend on them: the ASL access descriptors (CreateAccDescGPR,
// CreateAccDescExLDST, CreateAccDescAtomicOp, CreateAccDescAcqRel, CreateAccDescASIMD, CreateAccDescDCZero,
// CreateAccDescDC, CreateAccDescIFetch), Mem[] (Mem_read/Mem_set: the alignment unit),
// AArch64.UnalignedAccessFaults (checked before translation) and AArch64.S1HasAlignmentFault /
// AArch64.S2HasAlignmentFault (checked after each stage's walk, by memory type). DOMAIN.md §3d.
import type { MemAttrs } from './types';

export const ACCESS_KINDS = [
  'load',
  'store',
  'load_pair',
  'store_pair',
  'simd_load',
  'simd_store',
  'exclusive_load',
  'exclusive_store',
  'atomic_rmw',
  'load_acquire',
  'store_release',
  'dc_zva',
  'dc_civac',
  'ifetch',
] as const;
export type AccessKind = (typeof ACCESS_KINDS)[number];

/** ASL AccessType_* the model distinguishes. */
export type AccType = 'GPR' | 'ASIMD' | 'DCZero' | 'DC' | 'IFETCH';

export interface AccessKindInfo {
  readonly acctype: AccType;
  /** AccessDescriptor.read / .write: which permissions the access needs. */
  readonly read: boolean;
  readonly write: boolean;
  readonly exclusive: boolean;
  readonly atomicop: boolean;
  /** acqsc / acqpc / relsc: load-acquire or store-release semantics. */
  readonly acqrel: boolean;
  /** Load/store pair: Mem[] is called with ispair, so the alignment unit is the element (half the size). */
  readonly pair: boolean;
  readonly examples: string;
}

// One row per access kind, as the ASL builds its AccessDescriptor. DC CIVAC (CreateAccDescDC) sets neither
// read nor write: its permission checks are special-cased in AArch64.S1CheckPermissions/S2CheckPermissions.
export const ACCESS_KIND_INFO: Readonly<Record<AccessKind, AccessKindInfo>> = {
  load: row('GPR', true, false, {}, 'LDR, LDRH, LDUR'),
  store: row('GPR', false, true, {}, 'STR, STRH, STUR'),
  load_pair: row('GPR', true, false, { pair: true }, 'LDP, LDNP'),
  store_pair: row('GPR', false, true, { pair: true }, 'STP, STNP'),
  simd_load: row('ASIMD', true, false, {}, 'LDR Q/D/S, LD1 (multiple structures)'),
  simd_store: row('ASIMD', false, true, {}, 'STR Q/D/S, ST1 (multiple structures)'),
  exclusive_load: row('GPR', true, false, { exclusive: true }, 'LDXR, LDAXR'),
  exclusive_store: row('GPR', false, true, { exclusive: true }, 'STXR, STLXR'),
  atomic_rmw: row('GPR', true, true, { atomicop: true }, 'LDADD, SWP, CAS (FEAT_LSE)'),
  load_acquire: row('GPR', true, false, { acqrel: true }, 'LDAR, LDAPR'),
  store_release: row('GPR', false, true, { acqrel: true }, 'STLR'),
  dc_zva: row('DCZero', false, true, {}, 'DC ZVA'),
  dc_civac: row('DC', false, false, {}, 'DC CIVAC'),
  ifetch: row('IFETCH', false, false, {}, 'instruction fetch'),
};

function row(acctype: AccType, read: boolean, write: boolean, f: Partial<AccessKindInfo>, examples: string): AccessKindInfo {
  return { acctype, read, write, exclusive: false, atomicop: false, acqrel: false, pair: false, ...f, examples };
}

export interface Access {
  readonly kind: AccessKind;
  readonly va: bigint;
  /** Bytes accessed in total (a pair of X registers: 16). */
  readonly size: number;
  /** The element size for pairs (default size/2) and SIMD multiple-structure accesses (default size). */
  readonly elementSize: number | null;
  readonly el: 0 | 1;
}

/**
 * The alignment unit Mem[] checks: the element for pairs (`ispair`, LSE2 or not) and for SIMD element
 * accesses (LD1/ST1 multiple structures call Mem[] per element); the access size otherwise (LDR Q: 16).
 */
export function alignmentUnit(a: Access): number {
  const info = ACCESS_KIND_INFO[a.kind];
  if (info.pair) return a.elementSize ?? a.size / 2;
  if (info.acctype === 'ASIMD') return a.elementSize ?? a.size;
  return a.size;
}

/**
 * Whether the access counts as aligned for the memory-type checks. DC ZVA operates on the aligned block,
 * DC CIVAC and instruction fetches are never alignment-checked (the ASL passes aligned = TRUE).
 */
export function isAligned(a: Access): boolean {
  const info = ACCESS_KIND_INFO[a.kind];
  if (info.acctype === 'DCZero' || info.acctype === 'DC' || info.acctype === 'IFETCH') return true;
  const unit = alignmentUnit(a);
  // Units are powers of two up to 2 KB: the low 12 bits decide.
  return unit <= 1 || (Number(a.va & 0xfffn) & (unit - 1)) === 0;
}

/** ASL AllInAlignedQuantity(address, size, 16): every byte lies in one 16-byte aligned quantity. */
export function allInAligned16(va: bigint, size: number): boolean {
  return Number(va & 15n) + size <= 16;
}

export interface AlignmentControls {
  /** SCTLR_EL1.A: alignment checking enforced (AlignmentEnforced()). */
  readonly sctlrA: boolean;
  /** SCTLR_EL1.nAA (FEAT_LSE2): non-atomic load-acquire/store-release allowed unaligned. */
  readonly nAA: boolean;
  readonly lse2: boolean;
}

/**
 * ASL AArch64.UnalignedAccessFaults, for an access that is not aligned; checked before translation, so a hit
 * is a stage-1 alignment fault (DFSC 0x21) whatever the memory type:
 *   SCTLR.A = 1                      -> fault
 *   exclusive or LSE atomic          -> fault unless FEAT_LSE2 and within one 16-byte quantity
 *   load-acquire / store-release     -> fault unless FEAT_LSE2 and (SCTLR.nAA = 1 or within 16 bytes)
 *   anything else                    -> no fault here (memory-type checks follow)
 * (GCS, RCW and LS64 accesses always fault; the model has no such access kinds.)
 */
export function unalignedAccessFaults(a: Access, c: AlignmentControls): boolean {
  const info = ACCESS_KIND_INFO[a.kind];
  if (c.sctlrA) return true;
  if (info.exclusive || info.atomicop) return !c.lse2 || !allInAligned16(a.va, a.size);
  if (info.acqrel) return !c.lse2 || (!c.nAA && !allInAligned16(a.va, a.size));
  return false;
}

/**
 * ASL AArch64.S1HasAlignmentFault / AArch64.S2HasAlignmentFault (same rule on each stage's attributes):
 * instruction fetches never; DC ZVA (AccessType_DCZero) to any Device memory even when aligned; otherwise an
 * unaligned access to Device memory of any type. (MTE tag stores to Device are CONSTRAINED UNPREDICTABLE and
 * A32 LDM/STM rules do not apply: neither is modelled.)
 */
export function hasAlignmentFault(a: Access, aligned: boolean, attrs: MemAttrs): boolean {
  const acctype = ACCESS_KIND_INFO[a.kind].acctype;
  if (acctype === 'IFETCH') return false;
  if (acctype === 'DCZero') return attrs.memtype === 'Device';
  return attrs.memtype === 'Device' && !aligned;
}
