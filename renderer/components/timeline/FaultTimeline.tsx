// The bundle's timeline: the fault markers of every timed fault on the track of their source, the event
// density of the trace per VM, vCPU and CPU from the ingest's summaries (fetched per window, so a 10-million-
// event trace costs one small query per zoom), the window and brush shared with the fault list and the log.
import { useEffect, useMemo } from 'react';
import type { FaultItem } from '../../state/fault-item';
import { fileTrackId, fullDomain, tracksFromFaults } from '../../state/fault-tracks';
import type { BundleSelection, SelectionSource } from '../../state/selection';
import { densityTracks } from '../../state/trace-tracks';
import { useTraceDensity } from '../../state/use-trace-density';
import { bucketCountFor, centreOn, type Domain } from '../../viz/timeline-math';
import { Timeline } from './Timeline';
import type { FaultMark, TrackView } from './TimelineTracks';


/** Buckets per request: one per two pixels of a 1200-pixel plot. */
const BUCKETS = bucketCountFor(1200);

export function FaultTimeline(props: {
  bundleId: number;
  /** The clock of the faults' axis: trace density is drawn when it is the kernel's since-boot clock (or none). */
  clock: string | null;
  items: readonly FaultItem[];
  origin: bigint;
  end: number;
  selection: BundleSelection;
  selectFault: (id: number | null, source: SelectionSource) => void;
  setBrush: (d: Domain | null) => void;
  setWindow: (d: Domain | null) => void;
  cursor?: Domain | null;
}): React.JSX.Element {
  const traceOnAxis = props.clock === null || props.clock === 'monotonic';
  const density = useTraceDensity(props.bundleId, props.origin, traceOnAxis ? props.selection.window : null, BUCKETS);
  const whole = traceOnAxis && density.whole && density.whole.source !== 'empty' ? density.whole : null;
  const full = useMemo(() => {
    const f = fullDomain(props.end, props.origin);
    if (!whole) return f;
    const a = Number(BigInt(whole.fromNs) - props.origin);
    const b = Number(BigInt(whole.toNs) - props.origin);
    return props.items.some((i) => i.t !== null) ? { start: Math.min(f.start, a), end: Math.max(f.end, b) } : { start: a, end: Math.max(b, a + 1000) };
  }, [props.end, props.origin, whole, props.items]);
  const tracks: TrackView[] = useMemo(() => {
    const files = tracksFromFaults(props.items).map((t) => ({ ...t, kind: 'file', buckets: [] }));
    const current = traceOnAxis ? density.current : null;
    return [...files, ...(current ? densityTracks(current, props.origin) : [])];
  }, [props.items, traceOnAxis, density.current, props.origin]);
  const marks: FaultMark[] = useMemo(
    () => props.items.filter((f) => f.t !== null).map((f) => ({ id: f.id, t: f.t as number, kind: f.kind, track: fileTrackId(f.file) })),
    [props.items],
  );
  const domain = props.selection.window ?? full;
  // a fault selected elsewhere (the list, the log, a link) comes into view if it is outside the window
  const { faultId, source, seq } = props.selection;
  const selectedT = props.items.find((f) => f.id === faultId)?.t ?? null;
  const { setWindow } = props;
  useEffect(() => {
    if (source === 'timeline' || selectedT === null) return;
    if (selectedT < domain.start || selectedT > domain.end) setWindow(centreOn(selectedT, domain.end - domain.start, full));
    // only when a new selection arrives (seq), not when the window moves
  }, [seq]);
  return (
    <Timeline
      tracks={tracks.length ? tracks : [{ id: 'none', label: 'no timed faults', kind: 'file', buckets: [] }]}
      faults={marks}
      origin={props.origin}
      full={full}
      domain={domain}
      onDomain={props.setWindow}
      brush={props.selection.brush}
      onBrush={props.setBrush}
      selected={props.selection.faultId}
      onSelect={(id) => props.selectFault(id, 'timeline')}
      cursor={props.cursor ?? null}
      loading={density.loading}
      clock={props.clock}
    />
  );
}
