// Timeline math, pure (tested under Node): the visible window and its changes (zoom, pan, clamp), how many
// buckets to ask the backend for, density bars from bucket counts, fault markers merged where they would
// overlap, and time labels in the trace's own clock. Times are nanoseconds relative to the trace's origin
// as plain numbers: exact below 2^53 ns (104 days), converted once from the API's decimal strings.

/** The clock of a trace whose times are bare counts (preload/contract-ingest.ts FaultClock `counter`). */
const COUNTER_CLOCK = 'counter';

export interface Domain {
  readonly start: number;
  readonly end: number;
}

/** Nanoseconds of a decimal string relative to `origin`, computed in bigint so no digit is lost first. */
export function relNs(ns: string, origin: bigint): number {
  return Number(BigInt(ns) - origin);
}

/** The narrowest window worth showing: 1 µs (the finest bucket of the ingest summaries). */
export const MIN_SPAN_NS = 1_000;

/** Keeps a window inside the trace and at least MIN_SPAN_NS wide, shifting rather than shrinking it. */
export function clampDomain(d: Domain, full: Domain): Domain {
  const fullSpan = Math.max(MIN_SPAN_NS, full.end - full.start);
  const span = Math.min(fullSpan, Math.max(MIN_SPAN_NS, d.end - d.start));
  let start = d.start;
  if (start < full.start) start = full.start;
  if (start + span > full.start + fullSpan) start = full.start + fullSpan - span;
  return { start, end: start + span };
}

/** Zooms by `factor` (< 1 zooms in) around the point at `anchor` (0 = left edge, 1 = right edge). */
export function zoomDomain(d: Domain, factor: number, anchor: number, full: Domain): Domain {
  const span = d.end - d.start;
  const at = d.start + span * anchor;
  const next = span * factor;
  return clampDomain({ start: at - next * anchor, end: at - next * anchor + next }, full);
}

/** Pans by a fraction of the window (negative: to earlier times). */
export function panDomain(d: Domain, fraction: number, full: Domain): Domain {
  const shift = (d.end - d.start) * fraction;
  return clampDomain({ start: d.start + shift, end: d.end + shift }, full);
}

/** A window of `span` centred on `t` (to bring a selected fault into view). */
export function centreOn(t: number, span: number, full: Domain): Domain {
  return clampDomain({ start: t - span / 2, end: t + span / 2 }, full);
}

/** How many buckets to request for a plot `widthPx` wide: one per `pxPerBucket` pixels, at least 1. */
export function bucketCountFor(widthPx: number, pxPerBucket = 2): number {
  return Math.max(1, Math.min(4096, Math.floor(widthPx / pxPerBucket)));
}

export interface Bucket {
  readonly start: number;
  readonly width: number;
  readonly count: number;
}

export interface Bar {
  readonly x: number;
  readonly width: number;
  readonly height: number;
  readonly count: number;
}

/**
 * Density bars of one track: x from the time scale `x` (ns -> px), height by log scale so that a track with a
 * million events in one bucket and one with ten both stay readable. Buckets outside [0, plotWidth] are dropped;
 * every non-empty bucket is at least 1 px wide, so a single event still shows.
 */
export function densityBars(buckets: readonly Bucket[], x: (ns: number) => number, plotWidth: number, trackHeight: number, maxCount: number): Bar[] {
  const top = Math.log1p(Math.max(1, maxCount));
  const bars: Bar[] = [];
  for (const b of buckets) {
    if (b.count <= 0) continue;
    const x0 = x(b.start);
    const x1 = x(b.start + b.width);
    if (x1 < 0 || x0 > plotWidth) continue;
    const left = Math.max(0, x0);
    const width = Math.max(1, Math.min(plotWidth, x1) - left);
    bars.push({ x: left, width, height: Math.max(1, (Math.log1p(b.count) / top) * trackHeight), count: b.count });
  }
  return bars;
}

/**
 * All bars of a track as one path (one DOM node per track instead of one per bucket: 20 tracks of 600 buckets
 * would otherwise be 12,000 nodes to create on every zoom).
 */
export function densityPath(bars: readonly { x: number; width: number; height: number }[], baseline: number): string {
  let d = '';
  for (const b of bars) d += `M${b.x.toFixed(1)},${baseline}v${(-b.height).toFixed(1)}h${b.width.toFixed(1)}v${b.height.toFixed(1)}z`;
  return d;
}

export interface MarkerIn {
  readonly id: number;
  readonly t: number;
  readonly kind: string;
}

export interface Marker {
  readonly x: number;
  readonly kind: string;
  /** The faults this marker stands for (one, or several too close to tell apart at this zoom). */
  readonly ids: readonly number[];
}

/**
 * Fault markers on one track: faults closer than `minGapPx` merge into one marker (of the first fault's kind)
 * that carries all their ids, so a burst of 10 000 faults is a few hundred shapes, not 10 000.
 */
export function layoutMarkers(faults: readonly MarkerIn[], x: (ns: number) => number, plotWidth: number, minGapPx = 4): Marker[] {
  const sorted = [...faults].sort((a, b) => a.t - b.t || a.id - b.id);
  const out: { x: number; kind: string; ids: number[] }[] = [];
  for (const f of sorted) {
    const px = x(f.t);
    if (px < -minGapPx || px > plotWidth + minGapPx) continue;
    const last = out[out.length - 1];
    if (last && px - last.x < minGapPx) last.ids.push(f.id);
    else out.push({ x: px, kind: f.kind, ids: [f.id] });
  }
  return out;
}

/**
 * A time in the trace's clock (seconds since boot for printk and ftrace), with as many decimals as the window
 * needs to tell neighbouring ticks apart: `12.5 s`, `12.345678 s`, `12.345678901 s`. On the `counter` clock
 * (a trace clock that does not count ns: main/core/ingest/boot-clock.ts COUNTER_CLOCK) the bare count.
 */
export function formatTraceTime(ns: number, originNs: bigint, spanNs: number, clock: string | null = null): string {
  const abs = originNs + BigInt(Math.round(ns));
  if (clock === COUNTER_CLOCK) return abs.toString();
  const decimals = Math.min(9, Math.max(0, Math.ceil(9 - Math.log10(Math.max(1, spanNs / 10)))));
  const neg = abs < 0n;
  const a = neg ? -abs : abs;
  const whole = a / 1_000_000_000n;
  const frac = (a % 1_000_000_000n).toString().padStart(9, '0').slice(0, decimals);
  return `${neg ? '-' : ''}${whole}${decimals > 0 ? `.${frac}` : ''} s`;
}

/** A span as people say it: `850 ns`, `12.5 µs`, `3.2 ms`, `4.75 s` (`2000 counts` on the counter clock). */
export function formatSpan(ns: number, clock: string | null = null): string {
  if (clock === COUNTER_CLOCK) return `${Math.round(ns)} counts`;
  if (ns < 1_000) return `${Math.round(ns)} ns`;
  if (ns < 1_000_000) return `${+(ns / 1_000).toPrecision(3)} µs`;
  if (ns < 1_000_000_000) return `${+(ns / 1_000_000).toPrecision(3)} ms`;
  return `${+(ns / 1_000_000_000).toPrecision(3)} s`;
}
