// A small static timeline: the trace event density (from the ingest summaries) as a stepped area, and one
// tick per fault coloured by its finding's severity, on the kernel clock. d3-scale and d3-shape compute the
// positions, ticks and path strings without a DOM. Marks that fall on the same pixel column for the same
// finding are drawn once, so 10,000 faults make a figure of at most WIDTH x findings ticks.
import { area, curveStepAfter, scaleLinear } from 'd3';
import { formatTime, plural } from './format';
import { attr, escapeHtml } from './html-escape';
import type { TimelineMark, TimelineModel } from './types';

const WIDTH = 720;
const HEIGHT = 150;
const LEFT = 16;
const RIGHT = 16;
const AXIS_Y = HEIGHT - 28;
const MARK_TOP = 34;
const EVENTS_TOP = 60;
const NS_PER_S = 1e9;

/**
 * Offsets from the start in the unit the span needs (`+1.5 ms`, `+250 us`, `+12 s`), with as many decimals as
 * the tick step has, so that neighbouring labels never read the same.
 */
export function tickLabel(offsetNs: number, spanNs: number, stepNs: number): string {
  const [unit, div] = spanNs >= NS_PER_S ? ['s', NS_PER_S] : spanNs >= 1e6 ? ['ms', 1e6] : ['us', 1e3];
  const step = stepNs / div;
  const decimals = step > 0 ? Math.max(0, Math.min(6, -Math.floor(Math.log10(step) + 1e-9))) : 0;
  const v = offsetNs / div;
  return `${v > 0 ? '+' : ''}${v.toFixed(decimals)} ${unit}`;
}

interface Tick {
  readonly x: number;
  readonly finding: number;
  readonly severity: TimelineMark['severity'];
  readonly count: number;
}

function collapse(marks: readonly TimelineMark[], x: (ns: number) => number, start: bigint): Tick[] {
  const byKey = new Map<string, Tick>();
  for (const m of marks) {
    const px = Math.round(x(Number(m.ns - start)));
    const key = `${px}:${m.finding}`;
    const known = byKey.get(key);
    byKey.set(key, known ? { ...known, count: known.count + m.count } : { x: px, finding: m.finding, severity: m.severity, count: m.count });
  }
  return [...byKey.values()];
}

/**
 * The density as step points: one where the count changes (the step holds until the next point), gaps between
 * buckets drop to zero, and the last bucket's end closes the area. Runs of equal counts make one point.
 */
function stepPoints(t: TimelineModel, x: (ns: number) => number): [number, number][] {
  const points: [number, number][] = [];
  let lastCount: number | null = null;
  let lastEnd: bigint | null = null;
  for (const e of t.events) {
    if (lastEnd !== null && e.startNs > lastEnd && lastCount !== 0) {
      points.push([x(Number(lastEnd - t.startNs)), 0]);
      lastCount = 0;
    }
    if (e.count !== lastCount) points.push([x(Number(e.startNs - t.startNs)), e.count]);
    lastCount = e.count;
    lastEnd = e.endNs;
  }
  if (lastEnd !== null) points.push([x(Number(lastEnd - t.startNs)), 0]);
  return points;
}

/** The timeline figure of a report, or an empty string when nothing in it has a time. */
export function renderTimelineSvg(t: TimelineModel): string {
  const spanNs = Number(t.endNs - t.startNs);
  // A single instant gets one second either side so that its tick sits in the middle.
  const domain: [number, number] = spanNs > 0 ? [0, spanNs] : [-NS_PER_S, NS_PER_S];
  const x = scaleLinear().domain(domain).range([LEFT, WIDTH - RIGHT]);
  const parts: string[] = [];
  if (t.events.length > 0) {
    const max = Math.max(1, ...t.events.map((e) => e.count));
    const y = scaleLinear().domain([0, max]).range([AXIS_Y, EVENTS_TOP]);
    const path = area<[number, number]>()
      .x((p) => p[0])
      .y0(AXIS_Y)
      .y1((p) => y(p[1]))
      .curve(curveStepAfter)
      .digits(1)(stepPoints(t, x));
    parts.push(`<path class="events" d="${path ?? ''}"><title>trace events per interval (max ${max})</title></path>`);
  }
  parts.push(`<line class="axis" x1="${LEFT}" y1="${AXIS_Y}" x2="${WIDTH - RIGHT}" y2="${AXIS_Y}"/>`);
  const ticks = x.ticks(6);
  const step = ticks.length > 1 ? (ticks[1] as number) - (ticks[0] as number) : domain[1] - domain[0];
  for (const v of ticks) {
    const xx = Math.round(x(v) * 10) / 10;
    // Labels at the ends are anchored inwards so that they are not cut by the figure's edge.
    const anchor = xx - LEFT < 24 ? 'start' : WIDTH - RIGHT - xx < 24 ? 'end' : 'middle';
    parts.push(`<line class="tick" x1="${xx}" y1="${AXIS_Y}" x2="${xx}" y2="${AXIS_Y + 4}"/>`);
    parts.push(`<text class="tick-label" x="${xx}" y="${AXIS_Y + 16}" text-anchor="${anchor}">${tickLabel(v, domain[1] - domain[0], step)}</text>`);
  }
  const labelled = new Set<number>();
  for (const tick of collapse(t.marks, x, t.startNs)) {
    parts.push(
      `<line class="fault sev-${tick.severity}" x1="${tick.x}" y1="${MARK_TOP}" x2="${tick.x}" y2="${AXIS_Y}">` +
        `<title>${escapeHtml(`finding ${tick.finding}: ${plural(tick.count, 'fault')}`)}</title></line>`,
    );
    if (!labelled.has(tick.finding)) {
      labelled.add(tick.finding);
      parts.push(`<text class="fault-label" x="${tick.x}" y="${MARK_TOP - 6}" text-anchor="middle">${tick.finding}</text>`);
    }
  }
  const caption = `t0 = ${formatTime(t.startNs, t.clock)}`;
  parts.push(`<text class="t0" x="${LEFT}" y="12">${escapeHtml(caption)}</text>`);
  return (
    `<svg class="timeline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" ` +
    `role="img" ${attr('aria-label', `Timeline from ${formatTime(t.startNs, t.clock)} to ${formatTime(t.endNs, t.clock)}, ${plural(t.marks.length, 'fault')}`)}>` +
    parts.join('') +
    '</svg>'
  );
}
