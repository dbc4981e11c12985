// The rows of the timeline: labels, density bars and fault markers. Plain React SVG from the pure layout
// (timeline-math.ts); clicking a marker selects its fault.
import type { ScaleLinear } from 'd3';
import { useMemo } from 'react';
import { densityBars, densityPath, layoutMarkers, type Bucket, type Domain } from '../../viz/timeline-math';
import { kindColorClass } from './kind-colors';

export interface TrackView {
  readonly id: string;
  readonly label: string;
  /** `file` (a source of faults), `vm`, `vcpu`, `cpu`. */
  readonly kind: string;
  readonly buckets: readonly Bucket[];
}

export interface FaultMark {
  readonly id: number;
  readonly t: number;
  readonly kind: string;
  /** The track the fault belongs on; null puts it on the first track. */
  readonly track: string | null;
}

/** A label cut to `max` characters from the left (the end of a file name says the most). */
export function fitLabel(label: string, max: number): string {
  return label.length <= max ? label : `…${label.slice(label.length - max + 1)}`;
}

export function TimelineTracks(props: {
  tracks: readonly TrackView[];
  faults: readonly FaultMark[];
  x: ScaleLinear<number, number>;
  plotWidth: number;
  top: number;
  trackHeight: number;
  selected: number | null;
  onSelect: (id: number) => void;
  cursor: Domain | null;
}): React.JSX.Element {
  const { x, plotWidth, top, trackHeight } = props;
  let maxCount = 1;
  for (const t of props.tracks) for (const b of t.buckets) if (b.count > maxCount) maxCount = b.count;
  const byTrack = new Map<string, FaultMark[]>();
  const ids = new Set(props.tracks.map((t) => t.id));
  const firstId = props.tracks[0]?.id ?? '';
  for (const f of props.faults) {
    const key = f.track !== null && ids.has(f.track) ? f.track : firstId;
    const list = byTrack.get(key);
    if (list) list.push(f);
    else byTrack.set(key, [f]);
  }
  const scale = (ns: number): number => x(ns);
  // density paths are the costly part: recomputed only when the data, the scale or the sizes change, not on
  // every selection or hover
  const paths = useMemo(
    () => props.tracks.map((t, row) => (t.buckets.length ? densityPath(densityBars(t.buckets, (ns) => x(ns), plotWidth, trackHeight - 6, maxCount), top + row * trackHeight + trackHeight - 2) : '')),
    [props.tracks, x, plotWidth, trackHeight, maxCount, top],
  );
  return (
    <g className="timeline-tracks">
      {props.cursor && x(props.cursor.end) >= 0 && x(props.cursor.start) <= plotWidth && (
        <rect
          className="timeline-cursor"
          data-testid="timeline-cursor"
          x={Math.max(0, x(props.cursor.start))}
          y={top}
          width={Math.max(2, Math.min(plotWidth, x(props.cursor.end)) - Math.max(0, x(props.cursor.start)))}
          height={props.tracks.length * trackHeight}
        />
      )}
      {props.tracks.map((t, row) => {
        const y = top + row * trackHeight;
        const markers = layoutMarkers(byTrack.get(t.id) ?? [], scale, plotWidth);
        return (
          <g key={t.id} className="timeline-track" data-track={t.id}>
            <text x={-8} y={y + trackHeight / 2 + 4} className={`track-label track-${t.kind}`}>
              <title>{t.label}</title>
              {fitLabel(t.label, 22)}
            </text>
            <line x1={0} x2={plotWidth} y1={y + trackHeight} y2={y + trackHeight} className="track-rule" />
            {paths[row] ? <path className="density" d={paths[row]} /> : null}
            {markers.map((m) => {
              const isSel = props.selected !== null && m.ids.includes(props.selected);
              return (
                <g
                  key={m.ids[0]}
                  className={`fault-marker ${kindColorClass(m.kind)}${isSel ? ' selected' : ''}`}
                  transform={`translate(${m.x},${y + trackHeight / 2})`}
                  data-fault-ids={m.ids.join(' ')}
                  data-testid={isSel ? 'timeline-selected-marker' : undefined}
                  onClick={() => props.onSelect(m.ids[0] as number)}
                >
                  <title>{`${m.kind}${m.ids.length > 1 ? ` and ${m.ids.length - 1} more` : ''}`}</title>
                  <path d="M0,-7 L6,0 L0,7 L-6,0 Z" />
                  {m.ids.length > 1 && (
                    <text y={-9} className="marker-count">
                      {m.ids.length}
                    </text>
                  )}
                </g>
              );
            })}
          </g>
        );
      })}
    </g>
  );
}
