import { describe, expect, it } from 'vitest';
import { PageCache, pagesFor } from '../../../renderer/state/line-pages';

describe('pagesFor', () => {
  it('lists the pages a row range touches', () => {
    expect(pagesFor(0, 10, 500)).toEqual([0]);
    expect(pagesFor(490, 510, 500)).toEqual([0, 1]);
    expect(pagesFor(500, 1000, 500)).toEqual([1]);
    expect(pagesFor(5, 5, 500)).toEqual([]);
  });
});

describe('PageCache', () => {
  it('returns rows of loaded pages and evicts the least recently used', () => {
    const c = new PageCache<string>(2);
    c.set(0, ['a0', 'a1']);
    c.set(1, ['b0', 'b1']);
    expect(c.row(3, 2)).toBe('b1');
    c.get(0); // page 0 is now the most recent
    c.set(2, ['c0']);
    expect([c.has(0), c.has(1), c.has(2)]).toEqual([true, false, true]);
    expect(c.row(2, 2)).toBeUndefined();
    expect(c.size).toBe(2);
  });
});
