// Bit positions per the Arm ARM ESR_EL2 diagram (D24.2.45): RES0 [63:56], ISS2 [55:32], EC [31:26], IL [25],
// ISS [24:0]; for a data abort ISV [24], ..., WnR [6], DFSC [5:0]. Value 0x92000061 (DOMAIN.md §2).
import { describe, expect, it } from 'vitest';
import { bitOf, layoutBits, leafFields, type BitField } from '../../../renderer/viz/bit-layout';

const f = (name: string, hi: number, lo: number, children: BitField[] = [], meaningful = true): BitField => ({ name, hi, lo, meaningful, children });
const tree: BitField[] = [
  f('RES0', 63, 56, [], false),
  f('ISS2', 55, 32),
  f('EC', 31, 26),
  f('IL', 25, 25),
  f('ISS', 24, 0, [f('ISV', 24, 24), f('RES0', 23, 14, [], false), f('VNCR', 13, 13), f('FnV', 10, 10), f('EA', 9, 9), f('CM', 8, 8), f('S1PTW', 7, 7), f('WnR', 6, 6), f('DFSC', 5, 0)]),
];

describe('leafFields', () => {
  it('replaces a field with children by its children, high bits first, with a path', () => {
    const leaves = leafFields(tree);
    expect(leaves.map((l) => l.path).slice(0, 6)).toEqual(['RES0', 'ISS2', 'EC', 'IL', 'ISS/ISV', 'ISS/RES0']);
    expect(leaves[leaves.length - 1]?.path).toBe('ISS/DFSC');
  });
});

describe('layoutBits', () => {
  const { cells, bands, rows } = layoutBits('0x92000061', tree);

  it('puts bit 63 top left and bit 0 bottom right, 32 bits per row', () => {
    expect(rows).toBe(2);
    expect(cells[0]).toMatchObject({ bit: 63, row: 0, col: 0 });
    expect(cells.find((c) => c.bit === 32)).toMatchObject({ row: 0, col: 31 });
    expect(cells.find((c) => c.bit === 31)).toMatchObject({ row: 1, col: 0 });
    expect(cells[cells.length - 1]).toMatchObject({ bit: 0, row: 1, col: 31 });
  });

  it('reads the bits of 0x92000061: EC 100100, IL 1, WnR 1, DFSC 100001', () => {
    const bitsOf = (hi: number, lo: number): string =>
      cells.filter((c) => c.bit <= hi && c.bit >= lo).map((c) => c.value).join('');
    expect(bitsOf(31, 26)).toBe('100100');
    expect(bitsOf(25, 25)).toBe('1');
    expect(bitsOf(6, 6)).toBe('1');
    expect(bitsOf(5, 0)).toBe('100001');
    expect(bitsOf(63, 32)).toBe('0'.repeat(32));
  });

  it('lays each field as a band over exactly its bits', () => {
    const ec = bands.find((b) => b.path === 'EC');
    expect(ec).toMatchObject({ row: 1, startCol: 0, endCol: 5 });
    const dfsc = bands.find((b) => b.path === 'ISS/DFSC');
    expect(dfsc).toMatchObject({ row: 1, startCol: 26, endCol: 31 });
    const wnr = cells.find((c) => c.bit === 6);
    expect(bands[wnr!.band]?.name).toBe('WnR');
    // bits 12:11 are in no field of this tree
    expect(cells.find((c) => c.bit === 12)?.band).toBe(-1);
  });

  it('splits a field that crosses a row boundary into two bands of one field', () => {
    const crossing = layoutBits('0xffffffffffffffff', [f('WIDE', 40, 20)]);
    const parts = crossing.bands.filter((b) => b.name === 'WIDE');
    expect(parts.map((b) => [b.row, b.hi, b.lo])).toEqual([
      [0, 40, 32],
      [1, 31, 20],
    ]);
    expect(new Set(parts.map((b) => b.fieldIndex)).size).toBe(1);
  });
});

describe('bitOf', () => {
  it('reads bits above 2^53 exactly', () => {
    expect(bitOf('0x8000000000000000', 63)).toBe(1);
    expect(bitOf('0x8000000000000000', 62)).toBe(0);
    expect(bitOf('0x92000061', 0)).toBe(1);
  });
});
