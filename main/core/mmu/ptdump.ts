// arm64 page-table dumps -> address ranges with attributes: the kernel's stage-1 ptdump
// (/sys/kernel/debug/kernel_page_tables, arch/arm64/mm/ptdump.c note_page + pte_bits[]) and KVM's stage-2
// dump (debugfs kvm/<vm>/stage2_page_tables, arch/arm64/kvm/ptdump.c stage2_pte_bits[], v6.11+). Both print
//   "0x%016lx-0x%016lx   " "%9lu%c %s" then " %s" per attribute bit, e.g.
//   ---[ Linear Mapping start ]---
//   0xffff000000000000-0xffff000000200000           2M PMD       RW NX SHD AF        BLK UXN    MEM/NORMAL-TAGGED
//   ---[ Guest IPA ]---
//   0x0000000040000000-0x0000000040200000           2M 2        R W PXNUXN AF    BLK
// Stage-1 level names are PGD/P4D/PUD/PMD/PTE, stage-2 ones the level number. A range whose entries are all
// invalid prints no attribute columns. The stage-2 dump carries permissions but no memory type.

export interface Ptdump1Attrs {
  readonly user: boolean;
  readonly readOnly: boolean;
  /** PXN ("NX" in the dump). */
  readonly pxn: boolean;
  readonly uxn: boolean;
  readonly shared: boolean;
  readonly af: boolean;
  readonly ng: boolean;
  readonly contiguous: boolean;
  readonly block: boolean;
  readonly guarded: boolean;
  /** The kernel's memory-type name (`DEVICE/nGnRE`, `MEM/NORMAL-NC`, …) or null. */
  readonly memType: string | null;
  /** The MAIR attribute Linux programs for that type, or null for an unknown name. */
  readonly mairAttr: number | null;
}

export interface Ptdump2Attrs {
  readonly read: boolean;
  readonly write: boolean;
  readonly pxn: boolean;
  readonly uxn: boolean;
  readonly af: boolean;
  readonly block: boolean;
}

export interface PtdumpRange {
  readonly start: bigint;
  /** Exclusive. */
  readonly end: bigint;
  readonly level: string;
  readonly stage: 1 | 2;
  /** The `---[ … ]---` section the range is in. */
  readonly section: string | null;
  /** False when the range printed no attributes (no valid entries). */
  readonly mapped: boolean;
  readonly s1: Ptdump1Attrs | null;
  readonly s2: Ptdump2Attrs | null;
  /** 1-based line number in the dump. */
  readonly line: number;
}

export interface Ptdump {
  readonly ranges: readonly PtdumpRange[];
  /** Lines that matched neither a marker nor a range (counted, not fatal). */
  readonly skipped: number;
}

// Linux MAIR values per memory-type name (arch/arm64/include/asm/sysreg.h MAIR_ATTR_*; names from
// arch/arm64/mm/ptdump.c pte_bits[]; DEVICE/GRE and MEM/NORMAL-WT are printed by older kernels).
export const PTDUMP_MAIR: Readonly<Record<string, number>> = {
  'DEVICE/nGnRnE': 0x00,
  'DEVICE/nGnRE': 0x04,
  'DEVICE/GRE': 0x0c,
  'MEM/NORMAL-NC': 0x44,
  'MEM/NORMAL-WT': 0xbb,
  'MEM/NORMAL': 0xff,
  'MEM/NORMAL-TAGGED': 0xf0,
};

// ---[ Linear Mapping start ]---
const MARKER_RE = /^-+\[\s*(.*?)\s*\]-+\s*$/;
// 0xffff000000000000-0xffff000000200000           2M PMD   <attributes…>
const RANGE_RE = /^(?:0x)?([0-9a-fA-F]{1,16})-(?:0x)?([0-9a-fA-F]{1,16})\s+(\d+)([KMGTPE])\s+(\S+)(.*)$/;

function s1Attrs(tokens: readonly string[]): Ptdump1Attrs {
  const has = (t: string): boolean => tokens.includes(t);
  const memType = tokens.find((t) => t.startsWith('DEVICE/') || t.startsWith('MEM/')) ?? null;
  return {
    user: has('USR'),
    readOnly: has('ro'),
    pxn: has('NX'),
    uxn: has('UXN'),
    shared: has('SHD'),
    af: has('AF'),
    ng: has('NG'),
    contiguous: has('CON'),
    block: has('BLK'),
    guarded: has('GP'),
    memType,
    mairAttr: memType !== null ? (PTDUMP_MAIR[memType] ?? null) : null,
  };
}

// Stage-2 execute columns (FEAT_XNX XN[1:0]): "px ux" 00, "PXNux" 01, "PXNUXN" 10, "px UXN" 11.
function s2Attrs(tokens: readonly string[]): Ptdump2Attrs {
  const has = (t: string): boolean => tokens.includes(t);
  return {
    read: has('R'),
    write: has('W'),
    pxn: has('PXNux') || has('PXNUXN'),
    uxn: has('PXNUXN') || has('UXN'),
    af: has('AF'),
    block: has('BLK'),
  };
}

/** Parses a ptdump text (either dump); lines of other text around it are skipped and counted. */
export function parsePtdump(text: string): Ptdump {
  const ranges: PtdumpRange[] = [];
  let section: string | null = null;
  let skipped = 0;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).trimEnd();
    if (line.trim() === '') continue;
    const marker = MARKER_RE.exec(line.trim());
    if (marker) {
      section = marker[1] ?? null;
      continue;
    }
    const m = RANGE_RE.exec(line.trim());
    if (!m) {
      skipped++;
      continue;
    }
    const level = m[5] as string;
    const stage: 1 | 2 = /^\d+$/.test(level) ? 2 : 1;
    const tokens = (m[6] ?? '').split(/\s+/).filter((t) => t !== '');
    const mapped = tokens.length > 0;
    ranges.push({
      start: BigInt('0x' + m[1]),
      end: BigInt('0x' + m[2]),
      level,
      stage,
      section,
      mapped,
      s1: stage === 1 && mapped ? s1Attrs(tokens) : null,
      s2: stage === 2 && mapped ? s2Attrs(tokens) : null,
      line: i + 1,
    });
  }
  return { ranges, skipped };
}

/** The range containing `address` (ranges as the dump prints them: ascending, non-overlapping). */
export function findPtdumpRange(dump: Ptdump, address: bigint): PtdumpRange | null {
  const r = dump.ranges;
  let lo = 0;
  let hi = r.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const x = r[mid] as PtdumpRange;
    if (address < x.start) hi = mid - 1;
    else if (address >= x.end) lo = mid + 1;
    else return x;
  }
  return null;
}
