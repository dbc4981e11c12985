// The timeline: one row per track (source, CPU, VM, vCPU) with its event density from the ingest summaries,
// fault markers coloured by kind, the time axis in the trace's clock with a brush on it, and zoom/pan by
// wheel, trackpad, drag and keyboard. It draws what it is given; the container fetches buckets per window.
import { scaleLinear } from 'd3';
import { useCallback, useMemo, useRef } from 'react';
import { useElementWidth } from '../../viz/use-element-width';
import { useAxis, useBrush, useZoom } from '../../viz/use-timeline-d3';
import { formatSpan, formatTraceTime, type Domain } from '../../viz/timeline-math';
import { TimelineTracks, type FaultMark, type TrackView } from './TimelineTracks';
import { useTimelineKeys } from './use-timeline-keys';

export const LABEL_WIDTH = 170;
export const TRACK_HEIGHT = 24;
const AXIS_HEIGHT = 30;

export interface TimelineProps {
  tracks: readonly TrackView[];
  faults: readonly FaultMark[];
  origin: bigint;
  full: Domain;
  domain: Domain;
  onDomain: (d: Domain) => void;
  brush: Domain | null;
  onBrush: (r: Domain | null) => void;
  selected: number | null;
  onSelect: (id: number) => void;
  /** A range to show as a band (the lines the log view shows), or null. */
  cursor?: Domain | null;
  loading: boolean;
  /** The clock of the times (FaultClock): how they are written. */
  clock?: string | null;
}

export function Timeline(props: TimelineProps): React.JSX.Element {
  const box = useRef<HTMLDivElement>(null);
  const width = useElementWidth(box, 1000);
  const plotWidth = Math.max(100, width - LABEL_WIDTH - 8);
  // many tracks (a 64-CPU host) get thinner rows, down to 12 px; the plot scrolls beyond that
  const trackHeight = Math.max(12, Math.min(TRACK_HEIGHT, Math.floor(320 / Math.max(1, props.tracks.length))));
  const height = AXIS_HEIGHT + Math.max(1, props.tracks.length) * trackHeight + 4;
  const x = useMemo(() => scaleLinear().domain([props.domain.start, props.domain.end]).range([0, plotWidth]), [props.domain, plotWidth]);
  const span = props.domain.end - props.domain.start;
  const clock = props.clock ?? null;
  const format = useCallback((ns: number) => formatTraceTime(ns, props.origin, span, clock), [props.origin, span, clock]);
  // The axis ticks on round values of the trace's own clock: a scale over absolute times (a double is exact to
  // well under a microsecond for any uptime, and to 256 ns for wall-clock times, plenty for placing ticks).
  const offset = Number(props.origin);
  const xAbs = useMemo(() => scaleLinear().domain([props.domain.start + offset, props.domain.end + offset]).range([0, plotWidth]), [props.domain, plotWidth, offset]);
  const formatAbs = useCallback((abs: number) => formatTraceTime(abs - offset, props.origin, span, clock), [offset, props.origin, span, clock]);

  const zoomRef = useRef<SVGRectElement>(null);
  const brushRef = useRef<SVGGElement>(null);
  const axisRef = useRef<SVGGElement>(null);
  useZoom(zoomRef, plotWidth, props.full, props.domain, props.onDomain);
  useBrush(brushRef, plotWidth, AXIS_HEIGHT - 4, x, props.brush, props.onBrush);
  useAxis(axisRef, xAbs, plotWidth, formatAbs);
  const onKeyDown = useTimelineKeys(props);

  return (
    <div
      ref={box}
      className={`timeline${props.loading ? ' loading' : ''}`}
      tabIndex={0}
      onKeyDown={onKeyDown}
      data-testid="timeline"
      data-domain={`${props.domain.start},${props.domain.end}`}
      data-brush={props.brush ? `${props.brush.start},${props.brush.end}` : ''}
      aria-label="Timeline: + and − zoom, arrows pan, 0 resets, n and p step through faults, Esc clears the selection"
    >
      <div className="timeline-head muted">
        <span>
          {format(props.domain.start)} – {format(props.domain.end)} ({formatSpan(span, clock)})
        </span>
        {props.brush && (
          <span data-testid="timeline-brush-label">
            selected {format(props.brush.start)} – {format(props.brush.end)}{' '}
            <button type="button" className="chip" onClick={() => props.onBrush(null)}>
              clear
            </button>
          </span>
        )}
        {props.loading && <span className="spinner" aria-hidden="true" />}
      </div>
      <div className="timeline-scroll">
      <svg width={width} height={height} className="timeline-svg">
        <g transform={`translate(${LABEL_WIDTH},0)`}>
          <rect ref={zoomRef} className="timeline-zoom" x={0} y={AXIS_HEIGHT} width={plotWidth} height={height - AXIS_HEIGHT} />
          <TimelineTracks
            tracks={props.tracks}
            faults={props.faults}
            x={x}
            plotWidth={plotWidth}
            top={AXIS_HEIGHT}
            trackHeight={trackHeight}
            selected={props.selected}
            onSelect={props.onSelect}
            cursor={props.cursor ?? null}
          />
          <g ref={axisRef} className="timeline-axis" transform={`translate(0,${AXIS_HEIGHT - 2})`} />
          <g ref={brushRef} className="timeline-brush" transform="translate(0,0)" />
        </g>
      </svg>
      </div>
    </div>
  );
}
