// Walk-mode replay: stage-1 and stage-2 table walks from hand-built table images, every fault type at every
// level, S1PTW, the three granules, and concatenated stage-2 tables. Addresses and indices are worked by hand
// (4K: L0 VA[47:39], L1 [38:30], L2 [29:21], L3 [20:12]; 16K: L1 [46:36], L2 [35:25], L3 [24:14];
// 64K: L2 [41:29], L3 [28:16]). Descriptor bits: valid 0, table/page 1, AttrIndx [4:2] / MemAttr [5:2],
// AP / S2AP [7:6], SH [9:8], AF 10, PXN 53, UXN/XN 54, APTable [62:61].
import { describe, expect, it } from 'vitest';
import { replayAccess, type ReplayOutcome } from '../../../main/core/mmu/replay';
import { parseScenario } from '../../../main/core/mmu/scenario-parse';

type Tables = Record<string, string>;
const hex = (n: number | bigint): string => '0x' + n.toString(16);

// A stage-1 4K walk for VA 0x8040201234 (indices 1/1/1/1, offset 0x234) from TTBR0 0x1000:
// L0 0x1008 -> table 0x2000, L1 0x2008 -> 0x3000, L2 0x3008 -> 0x4000, L3 0x4008 -> page at 0x80000000
// (0x703 = AF | SH ISH | page | valid; AttrIndx 0 = MAIR 0xff Normal WB).
const VA = '0x8040201234';
function s1Tables4k(): Tables {
  return { '0x1008': '0x2003', '0x2008': '0x3003', '0x3008': '0x4003', '0x4008': '0x80000703' };
}

// A stage-2 4K walk, VTCR T0SZ 24 (40-bit IPA), SL0 1 (start level 1, two concatenated tables: 8 KB at
// VTTBR 0x100000). IPA 0x80000234: L1 index IPA[39:30] = 2 -> 0x100010 -> table 0x101000; L2 index 0 ->
// 0x101000 -> table 0x102000; L3 index 0 -> 0x102000 -> page 0x80000000 (0x7ff = AF, ISH, S2AP RW, MemAttr
// 0b1111, page, valid). IPA 0..2 MB (the stage-1 tables): L1 index 0 -> 0x100000 -> table 0x103000; L2 index 0
// -> 0x103000 -> 2 MB block at PA 0 (0x7fd = the same attributes as a block).
function s2Tables4k(): Tables {
  return { '0x100010': '0x101003', '0x101000': '0x102003', '0x102000': '0x800007ff', '0x100000': '0x103003', '0x103000': '0x7fd' };
}

interface WalkOpts {
  s1?: Record<string, unknown> | null;
  s1tables?: Tables;
  s2?: Record<string, unknown> | null;
  s2tables?: Tables;
  access?: Record<string, unknown>;
  hcr?: Record<string, unknown>;
  sctlr?: Record<string, unknown>;
  cpu?: Record<string, unknown>;
}

function walk(o: WalkOpts): ReplayOutcome {
  const stage1 =
    o.s1 === null ? null : { tcr_el1: { T0SZ: 16, TG0: '4K', IPS: 5 }, ttbr0_el1: '0x1000', mair_el1: '0xff', tables: o.s1tables ?? s1Tables4k(), ...o.s1 };
  const stage2 = o.s2 === null ? null : { vtcr_el2: { T0SZ: 24, SL0: 1, TG0: '4K', PS: 2 }, vttbr_el2: '0x100000', tables: o.s2tables ?? s2Tables4k(), ...o.s2 };
  const s = parseScenario({
    mode: 'walk',
    cpu: o.cpu ?? {},
    sctlr_el1: { M: stage1 === null ? 0 : 1, ...o.sctlr },
    hcr_el2: { VM: stage2 === null ? 0 : 1, ...o.hcr },
    stage1,
    stage2,
    access: { kind: 'load', va: VA, size: 8, el: 1, ...o.access },
  });
  if (!s.ok) throw new Error(s.error);
  return replayAccess(s.value);
}
const esr = (o: ReplayOutcome): string | null => (o.fault ? hex(o.fault.esr) : null);
const without = (t: Tables, key: string): Tables => Object.fromEntries(Object.entries(t).filter(([k]) => k !== key));

describe('stage-1 walk, 4K granule, stage 2 off', () => {
  it('translates VA 0x8040201234 through four levels to PA 0x80000234, Normal WB Inner Shareable', () => {
    const o = walk({ s2: null });
    expect(o.outcome).toBe('ok');
    expect(o.ipa).toBe(0x80000234n);
    expect(o.pa).toBe(0x80000234n);
    expect(o.memattrs).toMatchObject({ memtype: 'Normal', inner: { attrs: 'WB', hints: 'RWA' }, shareability: 'ISH' });
  });

  it('an invalid descriptor is a translation fault at its level: DFSC 0x04..0x07', () => {
    const keys = ['0x1008', '0x2008', '0x3008', '0x4008'];
    keys.forEach((k, level) => {
      const o = walk({ s2: null, s1tables: without(s1Tables4k(), k) });
      expect(o.fault).toMatchObject({ stage: 1, type: 'translation', level });
      expect(esr(o)).toBe(hex(0x96000004 + level));
    });
  });

  it('a 1 GB block at level 1 maps VA[29:0]; a block at level 0 or level 3 is invalid', () => {
    const l1block = { ...s1Tables4k(), '0x2008': '0x40000701' };
    expect(walk({ s2: null, s1tables: l1block }).pa).toBe(0x40201234n);
    expect(esr(walk({ s2: null, s1tables: { ...s1Tables4k(), '0x1008': '0x40000701' } }))).toBe('0x96000004');
    expect(esr(walk({ s2: null, s1tables: { ...s1Tables4k(), '0x4008': '0x80000701' } }))).toBe('0x96000007');
  });

  it('AF = 0 is an access flag fault at the leaf level (page L3: 0x0b; block L2: 0x0a)', () => {
    expect(esr(walk({ s2: null, s1tables: { ...s1Tables4k(), '0x4008': '0x80000303' } }))).toBe('0x9600000b');
    expect(esr(walk({ s2: null, s1tables: { ...s1Tables4k(), '0x3008': '0x80000301' } }))).toBe('0x9600000a');
  });

  it('access flag and permission faults report the level of a block leaf (1 GB at L1, 2 MB at L2)', () => {
    // L1 block without AF (0x301): DFSC 0b001001 -> 0x96000009. L2 block AP read-only (0x781) + store: 0b001110 -> 0x9600004e.
    expect(esr(walk({ s2: null, s1tables: { ...s1Tables4k(), '0x2008': '0x40000301' } }))).toBe('0x96000009');
    expect(esr(walk({ s2: null, s1tables: { ...s1Tables4k(), '0x3008': '0x80000781' }, access: { kind: 'store' } }))).toBe('0x9600004e');
    // L1 block with AP EL1-only (0x701) read from EL0: permission fault level 1 in ESR_EL1 from a lower EL -> 0x9200000d.
    expect(esr(walk({ s2: null, s1tables: { ...s1Tables4k(), '0x2008': '0x40000701' }, access: { el: 0 } }))).toBe('0x9200000d');
  });

  it('an L2 table descriptor pointing beyond IPS is an address-size fault at level 2 (0x96000002)', () => {
    expect(esr(walk({ s2: null, s1: { tcr_el1: { T0SZ: 16, TG0: '4K', IPS: 0 } }, s1tables: { ...s1Tables4k(), '0x3008': '0x100004003' } }))).toBe('0x96000002');
  });

  it('address-size faults: TTBR beyond IPS at level 0, a next-table address at the table level, an output address at the leaf', () => {
    const ips32 = { tcr_el1: { T0SZ: 16, TG0: '4K', IPS: 0 } };
    expect(esr(walk({ s2: null, s1: { ...ips32, ttbr0_el1: '0x100001000' } }))).toBe('0x96000000');
    expect(esr(walk({ s2: null, s1: ips32, s1tables: { ...s1Tables4k(), '0x2008': '0x100003003' } }))).toBe('0x96000001');
    expect(esr(walk({ s2: null, s1: ips32, s1tables: { ...s1Tables4k(), '0x4008': '0x100000703' } }))).toBe('0x96000003');
  });

  it('permissions: AP read-only refuses a store (level 3, WnR 1); APTable[1] on a table does the same', () => {
    expect(esr(walk({ s2: null, s1tables: { ...s1Tables4k(), '0x4008': '0x80000783' }, access: { kind: 'store' } }))).toBe('0x9600004f');
    const apTable = { ...s1Tables4k(), '0x2008': hex((1n << 62n) | 0x3003n) };
    expect(esr(walk({ s2: null, s1tables: apTable, access: { kind: 'store' } }))).toBe('0x9600004f');
    expect(walk({ s2: null, s1tables: apTable, access: { kind: 'load' } }).outcome).toBe('ok');
  });

  it('PXNTable on a table descriptor makes the leaf non-executable at EL1', () => {
    const pxnTable = { ...s1Tables4k(), '0x1008': hex((1n << 59n) | 0x2003n) };
    expect(esr(walk({ s2: null, s1tables: pxnTable, access: { kind: 'ifetch', size: 4, va: '0x8040201230' } }))).toBe('0x8600000f');
  });

  it('a VA outside the T0SZ range, and EPD0 = 1, are translation faults at level 0', () => {
    expect(esr(walk({ s2: null, s1: { tcr_el1: { T0SZ: 25, TG0: '4K', IPS: 5 } } }))).toBe('0x96000004');
    expect(esr(walk({ s2: null, s1: { tcr_el1: { T0SZ: 16, TG0: '4K', IPS: 5, EPD0: 1 } } }))).toBe('0x96000004');
  });

  it('selects the MAIR attribute by AttrIndx: index 1 = 0x04 gives Device-nGnRE and an unaligned load faults', () => {
    const dev = { ...s1Tables4k(), '0x4008': '0x80000707' }; // AttrIndx 1 (bits [4:2] = 001)
    expect(walk({ s2: null, s1: { mair_el1: '0x04ff' }, s1tables: dev, access: { va: '0x8040201230' } }).memattrs).toMatchObject({ memtype: 'Device', device: 'nGnRE' });
    expect(esr(walk({ s2: null, s1: { mair_el1: '0x04ff' }, s1tables: dev }))).toBe('0x96000021');
  });
});

describe('16K and 64K granules', () => {
  it('16K, T0SZ 17: start level 1, page at level 3, 32 MB block at level 2, no block at level 1', () => {
    // VA = 1<<36 | 1<<25 | 1<<14 | 0x123; TTBR 0x10000; L1 0x10008 -> 0x20000; L2 0x20008 -> 0x24000; L3 0x24008.
    const va = hex((1n << 36n) | (1n << 25n) | (1n << 14n) | 0x123n);
    const t: Tables = { '0x10008': '0x20003', '0x20008': '0x24003', '0x24008': '0x80000703' };
    const s1 = { tcr_el1: { T0SZ: 17, TG0: '16K', IPS: 5 }, ttbr0_el1: '0x10000' };
    expect(walk({ s2: null, s1, s1tables: t, access: { va } }).pa).toBe(0x80000123n);
    expect(walk({ s2: null, s1, s1tables: { ...t, '0x20008': '0x80000701' }, access: { va } }).pa).toBe(0x80004123n);
    expect(esr(walk({ s2: null, s1, s1tables: { ...t, '0x10008': '0x80000701' }, access: { va } }))).toBe('0x96000005');
  });

  it('64K, T0SZ 22: start level 2, page at level 3, 512 MB block at level 2', () => {
    // VA = 1<<29 | 1<<16 | 0x1234; TTBR 0x10000; L2 0x10008 -> 0x20000; L3 0x20008.
    const va = '0x20011234';
    const t: Tables = { '0x10008': '0x20003', '0x20008': '0x80000703' };
    const s1 = { tcr_el1: { T0SZ: 22, TG0: '64K', IPS: 5 }, ttbr0_el1: '0x10000' };
    expect(walk({ s2: null, s1, s1tables: t, access: { va } }).pa).toBe(0x80001234n);
    expect(walk({ s2: null, s1, s1tables: { ...t, '0x10008': '0x80000701' }, access: { va } }).pa).toBe(0x80011234n);
  });
});

describe('two stages', () => {
  it('translates VA -> IPA 0x80000234 -> PA 0x80000234, every stage-1 fetch through stage 2', () => {
    const o = walk({});
    expect(o.outcome).toBe('ok');
    expect(o.ipa).toBe(0x80000234n);
    expect(o.pa).toBe(0x80000234n);
    expect(o.memattrs).toMatchObject({ memtype: 'Normal', inner: { attrs: 'WB' }, shareability: 'ISH' });
  });

  it('a stage-2 fault on a stage-1 table fetch: S1PTW = 1, the stage-2 level, WnR of the access, HPFAR of the descriptor IPA', () => {
    // IPA 0x1008 (the level-0 descriptor) is no longer mapped at stage 2 level 2: translation fault level 2.
    // ISS = S1PTW 0x80 | DFSC 0x06 -> load 0x92000086; a store keeps WnR = 1 (ASL fault.write) -> 0x920000c6.
    const tables = without(s2Tables4k(), '0x103000');
    const load = walk({ s2tables: tables });
    expect(load.fault).toMatchObject({ stage: 2, s1ptw: true, type: 'translation', level: 2, ipa: 0x1008n, hpfar: 0x10n, far: 0x8040201234n });
    expect(esr(load)).toBe('0x92000086');
    expect(esr(walk({ s2tables: tables, access: { kind: 'store' } }))).toBe('0x920000c6');
  });

  it('with HCR_EL2.PTW = 1 a stage-1 table in stage-2 Device memory is a stage-2 permission fault (S1PTW)', () => {
    // The 2 MB block with MemAttr 0b0001 (Device-nGnRE): 0x7c5.
    const tables = { ...s2Tables4k(), '0x103000': '0x7c5' };
    const o = walk({ s2tables: tables, hcr: { PTW: 1 } });
    expect(o.fault).toMatchObject({ stage: 2, s1ptw: true, type: 'permission', level: 2, hpfar: 0x10n });
    expect(esr(o)).toBe('0x9200008e');
    expect(walk({ s2tables: tables, hcr: { PTW: 0 } }).outcome).toBe('ok');
  });

  it('stage-2 faults on the access at each level, with HPFAR_EL2 = IPA[47:12] << 4', () => {
    (['0x100010', '0x101000', '0x102000'] as const).forEach((k, i) => {
      const o = walk({ s2tables: without(s2Tables4k(), k) });
      expect(o.fault).toMatchObject({ stage: 2, s1ptw: false, type: 'translation', level: i + 1, hpfar: 0x800000n });
      expect(esr(o)).toBe(hex(0x92000005 + i));
    });
  });

  it('stage-2 access flag and address size faults at the leaf', () => {
    expect(esr(walk({ s2tables: { ...s2Tables4k(), '0x102000': '0x800003ff' } }))).toBe('0x9200000b');
    // VTCR_EL2.PS = 0 (32 bits): the page at PA 0x1_0000_0000 is out of range at level 3.
    expect(esr(walk({ s2: { vtcr_el2: { T0SZ: 24, SL0: 1, TG0: '4K', PS: 0 } }, s2tables: { ...s2Tables4k(), '0x102000': '0x1000007ff' } }))).toBe('0x92000003');
  });

  it('VTCR_EL2 problems are translation faults at level 0: invalid SL0, inconsistent SL0, IPA beyond T0SZ', () => {
    // With stage 1 on, the first stage-1 table fetch meets them: S1PTW = 1 -> 0x92000084. With stage 1 off the
    // access itself does: 0x92000004.
    const bad = [
      { vtcr: { T0SZ: 24, SL0: 3, TG0: '4K', PS: 2 }, cpu: {} }, // 4K SL0 = 3 needs FEAT_TTST
      { vtcr: { T0SZ: 24, SL0: 2, TG0: '4K', PS: 2 }, cpu: { pamax: 40 } }, // level 0 needs PAMax >= 44
      { vtcr: { T0SZ: 16, SL0: 0, TG0: '4K', PS: 5 }, cpu: {} }, // 48-bit IPA cannot start at level 2
    ];
    for (const b of bad) {
      expect(esr(walk({ s2: { vtcr_el2: b.vtcr }, cpu: b.cpu }))).toBe('0x92000084');
      // (An aligned VA: with stage 1 off data is Device-nGnRnE, and 0x...234 would be an alignment fault first.)
      expect(esr(walk({ s1: null, s2: { vtcr_el2: b.vtcr }, cpu: b.cpu, access: { va: '0x8040201230' } }))).toBe('0x92000004');
    }
    // Stage-1 output 0x100_0000_0234 has bit 40 set: beyond the 40-bit IPA space.
    expect(esr(walk({ s1tables: { ...s1Tables4k(), '0x4008': '0x10000000703' } }))).toBe('0x92000004');
  });

  it('uses the second of two concatenated level-1 tables for IPA bit 39', () => {
    // Stage 1 off: IPA = VA 0x8000001000; L1 index IPA[39:30] = 512 -> 0x100000 + 512 * 8 = 0x101000, a 1 GB block at 0xc0000000.
    const o = walk({ s1: null, s2tables: { '0x101000': '0xc00007fd' }, access: { va: '0x8000001000' } });
    expect(o.outcome).toBe('ok');
    expect(o.pa).toBe(0xc0001000n);
  });

  it('the seed case by walk: guest Normal-NC page over a stage-2 Device page faults at stage 2 for an unaligned store', () => {
    const s1 = { mair_el1: '0x44' };
    const s2tables = { ...s2Tables4k(), '0x102000': '0x800007c7' }; // MemAttr 0b0001
    const o = walk({ s1, s2tables, access: { kind: 'store', va: '0x8040201239' } });
    expect(esr(o)).toBe('0x92000061');
    expect(o.fault?.ipa).toBe(0x80000239n);
  });
});
