// Sweeps of the two big tables: every exception class and every fault status code.
// Expected values: Arm ARM DDI0487 M.a.a ESR_ELx EC list and DFSC/IFSC encodings (as DOMAIN.md §2 lists
// them), Linux arch/arm64/include/asm/esr.h ESR_ELx_EC_* names.
import { describe, expect, it } from 'vitest';
import { DATA_FAULT_CODES, decodeEsr, describeFsc, EXCEPTION_CLASSES, INSTRUCTION_FAULT_CODES } from '../../../main/core/esr/index';

// Arm ARM: unallocated EC values.
const UNALLOCATED = [0x02, 0x0b, 0x0f, 0x10, 0x1b, 0x23, 0x29, 0x2a, 0x2b, 0x2e, 0x36, 0x37, 0x39, 0x3b, 0x3e, 0x3f];

// esr.h (v6.13): ESR_ELx_EC_<name> values.
const LINUX_NAMES: Readonly<Record<number, string>> = {
  0x00: 'UNKNOWN', 0x01: 'WFx', 0x03: 'CP15_32', 0x04: 'CP15_64', 0x05: 'CP14_MR', 0x06: 'CP14_LS', 0x07: 'FP_ASIMD',
  0x08: 'CP10_ID', 0x09: 'PAC', 0x0a: 'OTHER', 0x0c: 'CP14_64', 0x0d: 'BTI', 0x0e: 'ILL', 0x11: 'SVC32', 0x12: 'HVC32',
  0x13: 'SMC32', 0x15: 'SVC64', 0x16: 'HVC64', 0x17: 'SMC64', 0x18: 'SYS64', 0x19: 'SVE', 0x1a: 'ERET', 0x1c: 'FPAC',
  0x1d: 'SME', 0x1f: 'IMP_DEF', 0x20: 'IABT_LOW', 0x21: 'IABT_CUR', 0x22: 'PC_ALIGN', 0x24: 'DABT_LOW', 0x25: 'DABT_CUR',
  0x26: 'SP_ALIGN', 0x27: 'MOPS', 0x28: 'FP_EXC32', 0x2c: 'FP_EXC64', 0x2d: 'GCS', 0x2f: 'SERROR', 0x30: 'BREAKPT_LOW',
  0x31: 'BREAKPT_CUR', 0x32: 'SOFTSTP_LOW', 0x33: 'SOFTSTP_CUR', 0x34: 'WATCHPT_LOW', 0x35: 'WATCHPT_CUR', 0x38: 'BKPT32',
  0x3a: 'VECTOR32', 0x3c: 'BRK64',
};

describe('exception classes', () => {
  it('has 64 rows, allocated exactly where the Arm ARM allocates', () => {
    expect(EXCEPTION_CLASSES).toHaveLength(64);
    const unallocated = EXCEPTION_CLASSES.filter((r) => !r.allocated).map((r) => r.code);
    expect(unallocated).toEqual(UNALLOCATED);
  });

  it('uses the Linux ESR_ELx_EC_* names, and names the three Linux lacks', () => {
    for (const row of EXCEPTION_CLASSES) {
      if (LINUX_NAMES[row.code]) expect(row.name, `EC 0x${row.code.toString(16)}`).toBe(LINUX_NAMES[row.code]);
    }
    expect([0x14, 0x1e, 0x3d].map((ec) => EXCEPTION_CLASSES[ec]?.name)).toEqual(['SYS128', 'GPC', 'PROFILING']);
  });

  it.each(EXCEPTION_CLASSES.map((r) => r.code))('EC 0x%s decodes with an ISS tree covering bits [24:0]', (ec) => {
    const d = decodeEsr(BigInt((ec << 26) | (1 << 25)));
    expect(d.ec).toBe(ec);
    expect(d.ecInfo.allocated).toBe(!UNALLOCATED.includes(ec));
    const iss = d.fields.find((f) => f.name === 'ISS');
    const covered = (iss?.children ?? []).reduce((n, f) => n + (f.hi - f.lo + 1), 0);
    expect(covered).toBe(25);
    expect(d.warnings.some((w) => w.includes('unallocated'))).toBe(UNALLOCATED.includes(ec));
  });

  it('flags classes the given ESR_ELx cannot hold', () => {
    const hvc64 = 0x5a000000n; // EC 0x16, IL=1
    expect(decodeEsr(hvc64, { el: 1 }).warnings.join()).toMatch(/only reported in ESR_EL2 or ESR_EL3, not in ESR_EL1/);
    expect(decodeEsr(hvc64, { el: 2 }).warnings).toEqual([]);
    const gpc = BigInt((0x1e << 26) | (1 << 25));
    expect(decodeEsr(gpc, { el: 2 }).warnings.join()).toMatch(/only reported in ESR_EL3/);
  });
});

// Arm ARM DFSC encodings: [code, type, level].
const DFSC: ReadonlyArray<readonly [number, string, number | null]> = [
  ...[0, 1, 2, 3].map((l) => [l, 'address_size', l] as const),
  ...[0, 1, 2, 3].map((l) => [4 + l, 'translation', l] as const),
  ...[0, 1, 2, 3].map((l) => [8 + l, 'access_flag', l] as const),
  ...[0, 1, 2, 3].map((l) => [12 + l, 'permission', l] as const),
  [0x10, 'sync_external', null],
  [0x11, 'tag_check', null],
  [0x12, 'sync_external_walk', -2],
  [0x13, 'sync_external_walk', -1],
  ...[0, 1, 2, 3].map((l) => [0x14 + l, 'sync_external_walk', l] as const),
  [0x18, 'parity', null],
  [0x1b, 'parity_walk', -1],
  ...[0, 1, 2, 3].map((l) => [0x1c + l, 'parity_walk', l] as const),
  [0x21, 'alignment', null],
  [0x22, 'gpf_walk', -2],
  [0x23, 'gpf_walk', -1],
  ...[0, 1, 2, 3].map((l) => [0x24 + l, 'gpf_walk', l] as const),
  [0x28, 'gpf', null],
  [0x29, 'address_size', -1],
  [0x2a, 'translation', -2],
  [0x2b, 'translation', -1],
  [0x2c, 'address_size', -2],
  [0x30, 'tlb_conflict', null],
  [0x31, 'atomic_hw_update', null],
  [0x34, 'impdef_lockdown', null],
  [0x35, 'impdef_exclusive', null],
];

describe('fault status codes', () => {
  it('has all 64 DFSC codes with the Arm ARM type and level; the rest reserved', () => {
    expect(DATA_FAULT_CODES).toHaveLength(64);
    const expected = new Map(DFSC.map(([code, type, level]) => [code, { type, level }]));
    for (let code = 0; code < 64; code++) {
      const f = describeFsc(code, { instruction: false });
      const e = expected.get(code);
      expect({ code, type: f.type, level: f.level, reserved: f.reserved }).toEqual(
        e ? { code, type: e.type, level: e.level, reserved: false } : { code, type: 'reserved', level: null, reserved: true },
      );
    }
  });

  it('treats IFSC 0x11, 0x21, 0x34 and 0x35 as reserved (Data Aborts only); every other code as the DFSC', () => {
    expect(INSTRUCTION_FAULT_CODES).toHaveLength(64);
    for (let code = 0; code < 64; code++) {
      const i = describeFsc(code, { instruction: true });
      const d = describeFsc(code, { instruction: false });
      if ([0x11, 0x21, 0x34, 0x35].includes(code)) {
        expect(i.reserved, `IFSC 0x${code.toString(16)}`).toBe(true);
        expect(d.reserved).toBe(false);
      } else {
        expect(i).toEqual(d);
      }
    }
  });

  it('warns about a reserved code in the value, and about a data-only code in an IFSC', () => {
    expect(decodeEsr(0x9600003fn).warnings.join()).toMatch(/DFSC 0x3f/);
    expect(decodeEsr(0x82000021n).warnings.join()).toMatch(/IFSC 0x21.*Data Aborts only/);
    expect(decodeEsr(0x96000021n).warnings).toEqual([]);
  });
});
