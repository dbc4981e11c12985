import { describe, expect, it } from 'vitest';
import { nextIndexForKey, scrollTopForRow, visibleRange } from '../../../renderer/viz/virtual-range';

describe('visibleRange', () => {
  it('mounts only the rows in view plus the overscan', () => {
    // 20 px rows, a 200 px viewport scrolled to 1000 px shows rows 50..59; overscan 5 each side.
    expect(visibleRange(1000, 200, 20, 10_000, 5)).toEqual({ start: 45, end: 65, offsetTop: 900, totalHeight: 200_000 });
  });

  it('clamps at both ends and when the list is shorter than the viewport', () => {
    expect(visibleRange(0, 200, 20, 10_000, 5)).toMatchObject({ start: 0, end: 15 });
    expect(visibleRange(1e9, 200, 20, 100, 5)).toMatchObject({ start: 85, end: 100, offsetTop: 1700 });
    expect(visibleRange(0, 500, 20, 3, 5)).toEqual({ start: 0, end: 3, offsetTop: 0, totalHeight: 60 });
    expect(visibleRange(0, 500, 20, 0, 5)).toEqual({ start: 0, end: 0, offsetTop: 0, totalHeight: 0 });
  });

  it('covers every visible pixel for any scroll position', () => {
    for (let top = 0; top < 5000; top += 37) {
      const r = visibleRange(top, 333, 24, 1000, 0);
      expect(r.start * 24).toBeLessThanOrEqual(top);
      expect(r.end * 24).toBeGreaterThanOrEqual(Math.min(top + 333, 24_000));
    }
  });
});

describe('scrollTopForRow', () => {
  it('leaves the scroll position alone when the row is visible', () => {
    expect(scrollTopForRow(5, 20, 200, 0)).toBe(0);
  });
  it('scrolls to the nearest edge', () => {
    expect(scrollTopForRow(20, 20, 200, 0)).toBe(220); // row 20 ends at 420; 420 - 200
    expect(scrollTopForRow(2, 20, 200, 100)).toBe(40);
  });
  it('centres a row on request', () => {
    expect(scrollTopForRow(100, 20, 200, 0, 'center')).toBe(2000 - 90);
    expect(scrollTopForRow(1, 20, 200, 0, 'center')).toBe(0);
  });
});

describe('nextIndexForKey', () => {
  it('moves by one, by a page, and to the ends, clamped', () => {
    expect(nextIndexForKey('ArrowDown', 3, 10, 4)).toBe(4);
    expect(nextIndexForKey('ArrowUp', 0, 10, 4)).toBe(0);
    expect(nextIndexForKey('PageDown', 8, 10, 4)).toBe(9);
    expect(nextIndexForKey('Home', 8, 10, 4)).toBe(0);
    expect(nextIndexForKey('End', 0, 10, 4)).toBe(9);
    expect(nextIndexForKey('x', 0, 10, 4)).toBeNull();
    expect(nextIndexForKey('ArrowDown', 0, 0, 4)).toBeNull();
  });
});
