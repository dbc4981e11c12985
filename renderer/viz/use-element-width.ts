// The width of an element, followed with a ResizeObserver (so drawings lay themselves out to fit).
import { useEffect, useState, type RefObject } from 'react';

export function useElementWidth(ref: RefObject<HTMLElement | null>, initial = 760): number {
  const [width, setWidth] = useState(initial);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const observer = new ResizeObserver((entries) => {
      const w = entries[0]?.contentRect.width;
      if (w) setWidth((old) => (Math.abs(w - old) >= 1 ? Math.floor(w) : old));
    });
    observer.observe(el);
    setWidth(Math.floor(el.getBoundingClientRect().width) || initial);
    return () => observer.disconnect();
  }, [ref, initial]);
  return width;
}
