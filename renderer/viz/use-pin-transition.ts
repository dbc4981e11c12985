// D3 in a hook, with cleanup: when the what-if controls move a pin of the lattice, the pin glides from where
// it was to where the model now puts it, so the eye follows what changed. React renders the final position;
// this only animates towards it (and does nothing when the user prefers reduced motion). `transition` and
// `interrupt` are imported by name so that the bundler keeps d3-transition (the d3 package is marked free of
// side effects, and d3-transition adds selection.transition() as one).
import { interrupt, select, transition } from 'd3';
import { useLayoutEffect, useRef, type RefObject } from 'react';

export function usePinTransition(svgRef: RefObject<SVGSVGElement | null>, positions: ReadonlyMap<string, { cx: number; cy: number }>): void {
  const previous = useRef<ReadonlyMap<string, { cx: number; cy: number }>>(new Map());
  useLayoutEffect(() => {
    const svg = svgRef.current;
    const before = previous.current;
    previous.current = positions;
    if (!svg || window.matchMedia('(prefers-reduced-motion: reduce)').matches) return;
    const pins = select(svg).selectAll<SVGGElement, unknown>('g[data-pin-key]');
    pins.each(function () {
      const key = this.dataset['pinKey'] ?? '';
      const from = before.get(key);
      const to = positions.get(key);
      if (!from || !to || (from.cx === to.cx && from.cy === to.cy)) return;
      select(this)
        .attr('transform', `translate(${from.cx},${from.cy})`)
        .transition(transition().duration(250))
        .attr('transform', `translate(${to.cx},${to.cy})`);
    });
    return () => {
      pins.each(function () {
        interrupt(this);
        const to = positions.get(this.dataset['pinKey'] ?? '');
        if (to) this.setAttribute('transform', `translate(${to.cx},${to.cy})`);
      });
    };
  }, [svgRef, positions]);
}
