// A scrolling element that mounts only the rows in view (virtual-range.ts does the math). A small hook rather
// than a library: rows have one fixed height here, which makes the windowing a few lines of exact arithmetic,
// with nothing to measure and no dependency to keep up to date.
import { useCallback, useEffect, useRef, useState } from 'react';
import { scrollTopForRow, visibleRange, type VisibleRange } from './virtual-range';

export function useVirtualRows(count: number, rowHeight: number): {
  ref: React.RefObject<HTMLDivElement | null>;
  range: VisibleRange;
  viewportHeight: number;
  scrollToIndex: (index: number, align?: 'auto' | 'center') => void;
} {
  const ref = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [viewportHeight, setViewportHeight] = useState(600);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const onScroll = (): void => setScrollTop(el.scrollTop);
    const observer = new ResizeObserver(() => setViewportHeight(el.clientHeight));
    el.addEventListener('scroll', onScroll, { passive: true });
    observer.observe(el);
    setViewportHeight(el.clientHeight);
    return () => {
      el.removeEventListener('scroll', onScroll);
      observer.disconnect();
    };
  }, []);

  const scrollToIndex = useCallback(
    (index: number, align: 'auto' | 'center' = 'auto') => {
      const el = ref.current;
      if (!el || index < 0) return;
      const top = scrollTopForRow(index, rowHeight, el.clientHeight, el.scrollTop, align);
      if (top !== el.scrollTop) {
        el.scrollTop = top;
        // the browser clamps to the content's height: keep what it really did
        setScrollTop(el.scrollTop);
      }
    },
    [rowHeight],
  );

  return { ref, range: visibleRange(scrollTop, viewportHeight, rowHeight, count), viewportHeight, scrollToIndex };
}
