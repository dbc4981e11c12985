import { describe, expect, it } from 'vitest';
import { groupRows, matchesQuery, rowIndexOf } from '../../../renderer/state/group-rows';

interface F {
  id: number;
  kind: string;
  ec: number | null;
}
const faults: F[] = [
  { id: 1, kind: 'mem_abort', ec: 0x25 },
  { id: 2, kind: 'kvm_unsupported_fsc', ec: 0x24 },
  { id: 3, kind: 'vmm_error', ec: null },
  { id: 4, kind: 'kvm_unsupported_fsc', ec: 0x24 },
];

describe('groupRows', () => {
  it('is the flat list without a grouping', () => {
    expect(groupRows(faults, null).map((r) => (r.type === 'item' ? r.item.id : r.key))).toEqual([1, 2, 3, 4]);
  });

  it('puts a header before each group, groups in order of first appearance', () => {
    const rows = groupRows(faults, { keyOf: (f) => f.kind });
    expect(rows.map((r) => (r.type === 'group' ? `# ${r.key} (${r.count})` : r.item.id))).toEqual([
      '# mem_abort (1)',
      1,
      '# kvm_unsupported_fsc (2)',
      2,
      4,
      '# vmm_error (1)',
      3,
    ]);
  });

  it('orders by size, labels keys, gathers items without a key, hides collapsed groups', () => {
    const rows = groupRows(
      faults,
      { keyOf: (f) => (f.ec === null ? null : f.ec.toString(16)), labelOf: (k) => `EC 0x${k}`, noneLabel: 'no ESR', order: 'size' },
      new Set(['24']),
    );
    expect(rows.map((r) => (r.type === 'group' ? `${r.label}${r.collapsed ? ' +' : ''}` : r.item.id))).toEqual(['EC 0x24 +', 'EC 0x25', 1, 'no ESR', 3]);
    expect(rowIndexOf(rows, (f) => f.id === 3)).toBe(4);
    expect(rowIndexOf(rows, (f) => f.id === 2)).toBe(-1);
  });
});

describe('matchesQuery', () => {
  it('needs every term somewhere, ignoring case', () => {
    expect(matchesQuery(['kvm [1234]: Unsupported FSC: EC=0x24', '0x92000061'], 'unsupported 0x9200')).toBe(true);
    expect(matchesQuery(['kvm [1234]: Unsupported FSC'], 'unsupported serror')).toBe(false);
    expect(matchesQuery([null, 'x'], '   ')).toBe(true);
  });
});
