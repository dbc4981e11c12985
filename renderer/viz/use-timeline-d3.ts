// The timeline's DOM-touching D3, each in a hook with cleanup (D3's "D3 in React": scales and shapes are
// computed in render; only zoom, brush and axes touch the DOM):
//   useZoom   wheel / trackpad / drag on the plot -> a new visible window (clamped to the trace)
//   useBrush  drag on the brush strip -> a selected time range (or none), which filters the lists
//   useAxis   the time axis in the trace's own clock
import { axisTop, brushX, select, zoom, zoomIdentity, type D3ZoomEvent, type ScaleLinear } from 'd3';
import { useEffect, useRef, type RefObject } from 'react';
import { clampDomain, type Domain } from './timeline-math';

/**
 * Zoom and pan over `full`. d3.zoom keeps a transform relative to the full trace; it is turned into a window
 * and back, so keyboard and programmatic changes of `domain` (from outside) keep the transform in step.
 */
export function useZoom(ref: RefObject<SVGRectElement | null>, plotWidth: number, full: Domain, domain: Domain, onDomain: (d: Domain) => void): void {
  const onDomainRef = useRef(onDomain);
  onDomainRef.current = onDomain;
  const behaviour = useRef<ReturnType<typeof zoom<SVGRectElement, unknown>> | null>(null);
  // The window this zoom last reported: when it comes back as `domain`, d3 already holds that transform, and
  // setting it again would interrupt the gesture in progress (wheel and drag state live in the gesture).
  const emitted = useRef<Domain | null>(null);
  const fullSpan = Math.max(1, full.end - full.start);

  useEffect(() => {
    const el = ref.current;
    if (!el || plotWidth <= 0) return;
    const z = zoom<SVGRectElement, unknown>()
      .scaleExtent([1, fullSpan / 1000])
      .extent([
        [0, 0],
        [plotWidth, 1],
      ])
      .translateExtent([
        [0, 0],
        [plotWidth, 1],
      ])
      .on('zoom', (e: D3ZoomEvent<SVGRectElement, unknown>) => {
        if (!e.sourceEvent) return; // our own sync below, not the user
        const t = e.transform;
        const start = full.start + (-t.x / t.k / plotWidth) * fullSpan;
        const next = clampDomain({ start, end: start + fullSpan / t.k }, full);
        emitted.current = next;
        onDomainRef.current(next);
      });
    behaviour.current = z;
    const sel = select(el).call(z);
    return () => {
      sel.on('.zoom', null);
      behaviour.current = null;
    };
  }, [ref, plotWidth, full, fullSpan]);

  useEffect(() => {
    const el = ref.current;
    const z = behaviour.current;
    if (!el || !z || plotWidth <= 0 || domain === emitted.current) return;
    const k = fullSpan / Math.max(1, domain.end - domain.start);
    const x = (-(domain.start - full.start) / fullSpan) * plotWidth * k;
    select(el).call(z.transform, zoomIdentity.translate(x, 0).scale(k));
  }, [ref, domain, full, fullSpan, plotWidth]);
}

/** A brush over the strip: the selected range in ns (through `x`), or null when cleared. */
export function useBrush(
  ref: RefObject<SVGGElement | null>,
  plotWidth: number,
  height: number,
  x: ScaleLinear<number, number>,
  range: Domain | null,
  onBrush: (r: Domain | null) => void,
): void {
  const onBrushRef = useRef(onBrush);
  onBrushRef.current = onBrush;
  const xRef = useRef(x);
  xRef.current = x;
  const behaviour = useRef<ReturnType<typeof brushX<unknown>> | null>(null);

  useEffect(() => {
    const el = ref.current;
    if (!el || plotWidth <= 0) return;
    const b = brushX<unknown>()
      .extent([
        [0, 0],
        [plotWidth, height],
      ])
      .on('end', (e: { selection: [number, number] | null; sourceEvent: unknown }) => {
        if (!e.sourceEvent) return;
        const s = e.selection;
        onBrushRef.current(s ? { start: xRef.current.invert(s[0]), end: xRef.current.invert(s[1]) } : null);
      });
    behaviour.current = b;
    const sel = select(el).call(b);
    return () => {
      sel.on('.brush', null).selectAll('*').remove();
      behaviour.current = null;
    };
  }, [ref, plotWidth, height]);

  // keep the drawn selection where the range is, as the window moves
  useEffect(() => {
    const el = ref.current;
    const b = behaviour.current;
    if (!el || !b) return;
    const px = range ? ([Math.max(0, x(range.start)), Math.min(plotWidth, x(range.end))] as [number, number]) : null;
    select(el).call(b.move, px && px[1] > px[0] ? px : null);
  }, [ref, range, x, plotWidth]);
}

/** The time axis along the top of the plot. */
export function useAxis(ref: RefObject<SVGGElement | null>, x: ScaleLinear<number, number>, plotWidth: number, format: (ns: number) => string): void {
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const axis = axisTop(x)
      .ticks(Math.max(2, Math.floor(plotWidth / 120)))
      .tickFormat((v) => format(Number(v)));
    const sel = select(el).call(axis);
    return () => {
      sel.selectAll('*').remove();
    };
  }, [ref, x, plotWidth, format]);
}
