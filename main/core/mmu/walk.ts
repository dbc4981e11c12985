// The translation table walk loop shared by both stages: ASL AArch64.S1Walk / AArch64.S2Walk with
// AArch64.DecodeDescriptorType, AArch64.NextTableBase, AArch64.TTEntryAddress, AArch64.OAOutOfRange and
// AArch64.LeafBase (64-bit descriptors, DS = 0, no hardware AF/dirty updates, contiguous bit not checked:
// the misprogrammed-contiguous fault is IMPLEMENTATION DEFINED and nothing here sets it).
import { blockSupported, GRANULE_BITS, leafSize, oaOutOfRange, ttEntryAddress, type Granule } from './granule';

export interface WalkConfig {
  readonly granule: Granule;
  readonly iasize: number;
  readonly startLevel: number;
  /** Base of the initial table (TTBR/VTTBR already aligned). */
  readonly base: bigint;
  /** Output address size in bits (descriptor and output addresses beyond it are address-size faults). */
  readonly oaSize: number;
}

/** A descriptor fetch: the descriptor, or the caller's own failure (a stage-2 fault on a stage-1 walk). */
export type FetchResult<F> = { readonly ok: true; readonly desc: bigint } | { readonly ok: false; readonly failure: F };

export type WalkResult<F> =
  | {
      readonly kind: 'leaf';
      readonly level: number;
      readonly desc: bigint;
      /** Output address: descriptor[47:leafsize] with the input address below leafsize. */
      readonly oa: bigint;
      /** Hierarchical stage-1 controls ORed over the table descriptors walked (bits [62:59]). */
      readonly apTable: number;
      readonly pxnTable: boolean;
      readonly uxnTable: boolean;
    }
  | { readonly kind: 'fault'; readonly type: 'translation' | 'address_size'; readonly level: number }
  | { readonly kind: 'fetch-failed'; readonly failure: F; readonly level: number };

const ADDR_MASK_47 = 0x0000_ffff_ffff_ffffn;

/**
 * Walks `ia` from the start level. Fault levels follow the ASL: fault.level is set to the level being fetched
 * at the top of each iteration, so a next-table address beyond the output size is reported at the level of the
 * table descriptor that pointed there, and an invalid descriptor at its own level.
 */
export function walkTables<F>(cfg: WalkConfig, ia: bigint, fetch: (addr: bigint, level: number) => FetchResult<F>): WalkResult<F> {
  const g = cfg.granule;
  let level = cfg.startLevel;
  let addr = ttEntryAddress(cfg.base, ia, level, g, cfg.iasize, true);
  if (oaOutOfRange(addr, cfg.oaSize)) return { kind: 'fault', type: 'address_size', level: 0 };
  let apTable = 0;
  let pxnTable = false;
  let uxnTable = false;
  for (;;) {
    const got = fetch(addr, level);
    if (!got.ok) return { kind: 'fetch-failed', failure: got.failure, level };
    const desc = got.desc;
    if ((desc & 1n) === 0n) return { kind: 'fault', type: 'translation', level };
    const tableBit = (desc & 2n) !== 0n;
    if (tableBit && level < 3) {
      // Table descriptor: next-level table address is descriptor[47:granulebits].
      apTable |= Number((desc >> 61n) & 3n);
      pxnTable ||= ((desc >> 59n) & 1n) === 1n;
      uxnTable ||= ((desc >> 60n) & 1n) === 1n;
      const next = desc & ADDR_MASK_47 & ~((1n << BigInt(GRANULE_BITS[g])) - 1n);
      const nextAddr = ttEntryAddress(next, ia, level + 1, g, cfg.iasize, false);
      if (oaOutOfRange(nextAddr, cfg.oaSize)) return { kind: 'fault', type: 'address_size', level };
      level += 1;
      addr = nextAddr;
      continue;
    }
    // Page (level 3, bit 1 set) or block (bit 1 clear, where blocks exist); anything else is invalid.
    if (!tableBit && !blockSupported(g, level)) return { kind: 'fault', type: 'translation', level };
    const ls = BigInt(leafSize(level, g));
    const lowMask = (1n << ls) - 1n;
    const oa = (desc & ADDR_MASK_47 & ~lowMask) | (ia & lowMask);
    return { kind: 'leaf', level, desc, oa, apTable, pxnTable, uxnTable };
  }
}
