// The translation table walk loop shared by both stages: ASL AArch64.S1Walk / AArch64.S2Walk with
// AArch64.DecodeDescriptorType, AArch64.NextTableBase, AArch64.TTEntryAddress, AArch64.OAOutOfRange and
// AArch64.LeafBase (64-bit descriptors, DS = 0, no hardware AF/dirty updates, contiguous bit not checked:
// the misprogrammed-contiguous fault is IMPLEMENTATION DEFINED and nothing here sets it).
//
// Input and output addresses are at most 48 bits here (no LVA/LPA), so the walk computes with JS numbers
// (exact to 2^53) and descriptors as two 32-bit halves: bigint arithmetic costs a heap allocation per operation.
import { blockSupported, GRANULE_BITS, leafSize, stride, ttBaseAddress, type Granule } from './granule';
import type { TableImage } from './scenario';

/** A descriptor as two unsigned 32-bit halves. */
export interface Desc {
  readonly lo: number;
  readonly hi: number;
}

const ZERO: Desc = { lo: 0, hi: 0 };
const TWO32 = 4294967296;

/** Everything a walk needs that depends only on the translation registers, precomputed once. */
export interface WalkGeometry {
  readonly granule: Granule;
  readonly iasize: number;
  /** 2^iasize - 1 as a bigint: the input-address bits the walk uses. */
  readonly iaMask: bigint;
  readonly startLevel: number;
  /** Base of the initial table (TTBR/VTTBR aligned to the initial table size). */
  readonly base: number;
  /** Output address size in bits, and 2^oaSize: addresses at or above it are out of range. */
  readonly oaSize: number;
  readonly oaLimit: number;
  /** Per level: 2^(lowest index bit) and the number of entries indexed (concatenated tables at the start). */
  readonly lsbPow: readonly number[];
  readonly entries: readonly number[];
  /** Per level: 2^leafsize, the block or page size of a leaf at that level. */
  readonly leafPow: readonly number[];
  /** Granule size: a table address is descriptor[47:granulebits]. */
  readonly granuleSize: number;
}

export function walkGeometry(granule: Granule, iasize: number, startLevel: number, ttbr: bigint, oaSize: number): WalkGeometry {
  const lsbPow: number[] = [];
  const entries: number[] = [];
  const leafPow: number[] = [];
  for (let level = 0; level <= 3; level++) {
    const lsb = (3 - level) * stride(granule) + GRANULE_BITS[granule];
    // [ASL AArch64.S1SLTTEntryAddress / S2SLTTEntryAddress: the start level indexes up to iasize - 1, which for
    // stage 2 covers concatenated initial tables; AArch64.TTEntryAddress: `stride` bits below that]
    const msb = level === startLevel ? iasize - 1 : lsb + stride(granule) - 1;
    lsbPow.push(2 ** lsb);
    entries.push(msb >= lsb ? 2 ** (msb - lsb + 1) : 1);
    leafPow.push(2 ** leafSize(level, granule));
  }
  return {
    granule,
    iasize,
    iaMask: (1n << BigInt(iasize)) - 1n,
    startLevel,
    base: Number(ttBaseAddress(ttbr, iasize, startLevel, granule)),
    oaSize,
    oaLimit: 2 ** oaSize,
    lsbPow,
    entries,
    leafPow,
    granuleSize: 2 ** GRANULE_BITS[granule],
  };
}

const numericTables = new WeakMap<TableImage, Map<number, Desc>>();

/** A table image keyed by number with split descriptors, built once per image. */
export function numericImage(t: TableImage): Map<number, Desc> {
  let m = numericTables.get(t);
  if (!m) {
    m = new Map();
    for (const [addr, d] of t) m.set(Number(addr), { lo: Number(d & 0xffff_ffffn), hi: Number(d >> 32n) });
    numericTables.set(t, m);
  }
  return m;
}

/** Reads one descriptor from a numeric image (absent addresses read as 0: invalid). */
export function readImage(m: Map<number, Desc>, addr: number): Desc {
  return m.get(addr) ?? ZERO;
}

/** Where descriptors come from. `read` returns null when fetching failed (the source keeps the reason). */
export interface DescriptorSource {
  read(addr: number, level: number): Desc | null;
}

export type WalkResult =
  | {
      readonly kind: 'leaf';
      readonly level: number;
      readonly desc: Desc;
      /** Output address: descriptor[47:leafsize] with the input address below leafsize. */
      readonly oa: number;
      /** Hierarchical stage-1 controls ORed over the table descriptors walked (bits [62:59]). */
      readonly apTable: number;
      readonly pxnTable: boolean;
      readonly uxnTable: boolean;
    }
  | { readonly kind: 'fault'; readonly type: 'translation' | 'address_size'; readonly level: number }
  | { readonly kind: 'fetch-failed'; readonly level: number };

function entryAddress(g: WalkGeometry, table: number, ia: number, level: number): number {
  const lsbPow = g.lsbPow[level] as number;
  const entries = g.entries[level] as number;
  return table + (Math.floor(ia / lsbPow) % entries) * 8;
}

/** descriptor[47:0] as a number, with the low `size` bits cleared (size a power of two >= 4 KB). */
function descAddress(d: Desc, size: number): number {
  const full = (d.hi & 0xffff) * TWO32 + (d.lo >>> 0);
  return full - (full % size);
}

/**
 * Walks `ia` (below 2^iasize) from the start level. Fault levels follow the ASL: fault.level is set to the level
 * being fetched at the top of each iteration, so a next-table address beyond the output size is reported at the
 * level of the table descriptor that pointed there, and an invalid descriptor at its own level.
 */
export function walkTables(g: WalkGeometry, ia: number, src: DescriptorSource): WalkResult {
  let level = g.startLevel;
  let addr = entryAddress(g, g.base, ia, level);
  if (addr >= g.oaLimit) return { kind: 'fault', type: 'address_size', level: 0 };
  let apTable = 0;
  let pxnTable = false;
  let uxnTable = false;
  for (;;) {
    const d = src.read(addr, level);
    if (d === null) return { kind: 'fetch-failed', level };
    if ((d.lo & 1) === 0) return { kind: 'fault', type: 'translation', level };
    const tableBit = (d.lo & 2) !== 0;
    if (tableBit && level < 3) {
      // Table descriptor: APTable [62:61], UXNTable [60], PXNTable [59]; next table at descriptor[47:granulebits].
      apTable |= (d.hi >>> 29) & 3;
      pxnTable ||= ((d.hi >>> 27) & 1) === 1;
      uxnTable ||= ((d.hi >>> 28) & 1) === 1;
      const next = entryAddress(g, descAddress(d, g.granuleSize), ia, level + 1);
      if (next >= g.oaLimit) return { kind: 'fault', type: 'address_size', level };
      level += 1;
      addr = next;
      continue;
    }
    // Page (level 3, bit 1 set) or block (bit 1 clear, where blocks exist); anything else is invalid.
    if (!tableBit && !blockSupported(g.granule, level)) return { kind: 'fault', type: 'translation', level };
    const leafPow = g.leafPow[level] as number;
    return { kind: 'leaf', level, desc: d, oa: descAddress(d, leafPow) + (ia % leafPow), apTable, pxnTable, uxnTable };
  }
}
