// Row windowing for virtualized lists with a fixed row height: which rows to mount for a scroll position, and
// where to scroll to bring a row into view. Pure, so it is tested under Node; use-virtual-rows.ts wires it to
// a scrolling element. Fixed heights keep the math exact (no measuring, no layout jumps while data arrives).

export interface VisibleRange {
  /** First mounted row (inclusive) and one past the last (exclusive). */
  readonly start: number;
  readonly end: number;
  /** Pixel offset of row `start` from the top of the content. */
  readonly offsetTop: number;
  /** Height of all rows together: the scroll content's height. */
  readonly totalHeight: number;
}

export function visibleRange(scrollTop: number, viewportHeight: number, rowHeight: number, count: number, overscan = 6): VisibleRange {
  const totalHeight = Math.max(0, count) * rowHeight;
  if (count <= 0 || rowHeight <= 0) return { start: 0, end: 0, offsetTop: 0, totalHeight };
  const top = Math.max(0, Math.min(scrollTop, Math.max(0, totalHeight - viewportHeight)));
  const first = Math.floor(top / rowHeight);
  const last = Math.ceil((top + Math.max(0, viewportHeight)) / rowHeight);
  const start = Math.max(0, first - overscan);
  const end = Math.min(count, last + overscan);
  return { start, end, offsetTop: start * rowHeight, totalHeight };
}

/**
 * The scrollTop that shows row `index`: unchanged when the row is already fully visible, else the nearest
 * edge (`auto`) or the row centred (`center`, used for jumps from elsewhere so the context shows too).
 */
export function scrollTopForRow(
  index: number,
  rowHeight: number,
  viewportHeight: number,
  scrollTop: number,
  align: 'auto' | 'center' = 'auto',
): number {
  const rowTop = index * rowHeight;
  const rowBottom = rowTop + rowHeight;
  if (align === 'center') return Math.max(0, Math.round(rowTop - (viewportHeight - rowHeight) / 2));
  if (rowTop >= scrollTop && rowBottom <= scrollTop + viewportHeight) return scrollTop;
  if (rowTop < scrollTop) return rowTop;
  return Math.max(0, rowBottom - viewportHeight);
}

/** Keyboard movement in a list: the next index for a key, clamped to the list, or null for other keys. */
export function nextIndexForKey(key: string, index: number, count: number, pageRows: number): number | null {
  if (count <= 0) return null;
  const clamp = (i: number): number => Math.max(0, Math.min(count - 1, i));
  switch (key) {
    case 'ArrowDown':
    case 'j':
      return clamp(index + 1);
    case 'ArrowUp':
    case 'k':
      return clamp(index - 1);
    case 'PageDown':
      return clamp(index + Math.max(1, pageRows));
    case 'PageUp':
      return clamp(index - Math.max(1, pageRows));
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}
