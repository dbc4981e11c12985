// Translation granules, start levels and address-size limits: ASL TGxGranuleBits, AArch64.S1StartLevel,
// AArch64.S2StartLevel, AArch64.S2InvalidSL, AArch64.S2InconsistentSL, AArch64.BlockDescSupported,
// AArch64.PhysicalAddressSize, AArch64.S1TTBaseAddress / S2TTBaseAddress (DOMAIN.md §3e). 64-bit descriptors
// (no FEAT_D128), DS = 0 (no LPA2), no FEAT_LPA/LVA/TTST: output and input addresses up to 48 bits.

export type Granule = '4K' | '16K' | '64K';

/** log2 of the granule size. [ASL TGxGranuleBits] */
export const GRANULE_BITS: Readonly<Record<Granule, number>> = { '4K': 12, '16K': 14, '64K': 16 };

/** TCR_EL1.TG0 and VTCR_EL2.TG0 encodings: 00 4K, 01 64K, 10 16K (11 reserved). [Arm ARM TCR_EL1, VTCR_EL2] */
export const TG0_ENCODING: readonly (Granule | null)[] = ['4K', '64K', '16K', null];

/** Index bits resolved per level: granule bits minus log2(8-byte descriptor). */
export function stride(g: Granule): number {
  return GRANULE_BITS[g] - 3;
}

/** ASL AArch64.S1StartLevel: 3 - (iasize - 1 - granulebits) DIV stride. */
export function s1StartLevel(iasize: number, g: Granule): number {
  return 3 - Math.floor((iasize - 1 - GRANULE_BITS[g]) / stride(g));
}

// VTCR_EL2.SL0 -> start level, by granule (SL2 = 0). [ASL AArch64.S2StartLevel]
const S2_START: Readonly<Record<Granule, readonly (number | null)[]>> = {
  '4K': [2, 1, 0, 3],
  '16K': [3, 2, 1, 0],
  '64K': [3, 2, 1, null],
};

export function s2StartLevel(sl0: number, g: Granule): number | null {
  return S2_START[g][sl0 & 3] ?? null;
}

/**
 * ASL AArch64.S2InvalidSL: 4K SL0 = 2 (level 0) needs PAMax >= 44, SL0 = 3 (level 3) needs FEAT_TTST (not
 * modelled, so invalid); 16K SL0 = 3 needs DS = 1 (invalid here), SL0 = 2 needs PAMax >= 42; 64K SL0 = 3 is
 * invalid, SL0 = 2 needs PAMax >= 44.
 */
export function s2InvalidSL(sl0: number, g: Granule, pamax: number): boolean {
  const s = sl0 & 3;
  switch (g) {
    case '4K':
      return s === 3 || (s === 2 && pamax < 44);
    case '16K':
      return s === 3 || (s === 2 && pamax < 42);
    case '64K':
      return s === 3 || (s === 2 && pamax < 44);
  }
}

/**
 * ASL AArch64.S2InconsistentSL: the IPA size must fit the levels walked from the start level, with up to 16
 * concatenated initial tables: levels*stride + granulebits + 1 <= iasize <= that + stride - 1 + 4.
 */
export function s2InconsistentSL(iasize: number, startLevel: number, g: Granule): boolean {
  const levels = 3 - startLevel;
  const min = levels * stride(g) + GRANULE_BITS[g] + 1;
  const max = min + stride(g) - 1 + 4;
  return iasize < min || iasize > max;
}

/** ASL AArch64.BlockDescSupported (DS = 0, 64-bit descriptors, no 52-bit PA): 4K L1/L2, 16K L2, 64K L2. */
export function blockSupported(g: Granule, level: number): boolean {
  if (g === '4K') return level === 1 || level === 2;
  return level === 2;
}

// TCR_EL1.IPS / VTCR_EL2.PS encodings. [ASL AArch64.PhysicalAddressSize]
const PS_BITS: readonly number[] = [32, 36, 40, 42, 44, 48, 52, 56];

/** ASL AArch64.PhysicalAddressSize without FEAT_LPA/LPA2: min(PS, 48, PAMax). */
export function physicalAddressSize(ps: number, pamax: number): number {
  return Math.min(PS_BITS[ps & 7] as number, Math.min(48, pamax));
}

/** Smallest and largest TxSZ without FEAT_LVA/LPA/TTST (48-bit input, at least 25 bits). [ASL AArch64.S1MinTxSZ, MaxTxSZ] */
export function txszRange(pamaxForS2: number | null): { readonly min: number; readonly max: number } {
  const bits = pamaxForS2 === null ? 48 : Math.min(48, pamaxForS2);
  return TXSZ_RANGES[bits] ?? (TXSZ_RANGES[bits] = { min: 64 - bits, max: 39 });
}
const TXSZ_RANGES: { min: number; max: number }[] = [];

/**
 * ASL AArch64.S1TTBaseAddress / S2TTBaseAddress (64-bit descriptors, no 52-bit PA): TTBR[47:1] aligned to the
 * size of the initial table (for stage 2 including concatenated tables).
 */
export function ttBaseAddress(ttbr: bigint, iasize: number, startLevel: number, g: Granule): bigint {
  const levels = 3 - startLevel;
  const tsize = iasize - (levels * stride(g) + GRANULE_BITS[g]) + 3;
  const base = ttbr & 0x0000_ffff_ffff_fffen;
  return (base >> BigInt(tsize)) << BigInt(tsize);
}

/** Bits of the output address supplied by the descriptor at `level`: everything above leafsize. [ASL AArch64.LeafBase] */
export function leafSize(level: number, g: Granule): number {
  return GRANULE_BITS[g] + stride(g) * (3 - level);
}
