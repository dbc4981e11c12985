// The bundle's timeline: the fault markers of every timed fault on the track of their source, the window
// and brush shared with the fault list and the log (BundleSelection). Event density comes from the ingest's
// summaries when the bundle has traces.
import { useEffect, useMemo } from 'react';
import type { FaultItem } from '../../state/fault-item';
import { fileTrackId, fullDomain, tracksFromFaults } from '../../state/fault-tracks';
import type { BundleSelection, SelectionSource } from '../../state/selection';
import { centreOn, type Domain } from '../../viz/timeline-math';
import { Timeline } from './Timeline';
import type { FaultMark, TrackView } from './TimelineTracks';


export function FaultTimeline(props: {
  items: readonly FaultItem[];
  origin: bigint;
  end: number;
  selection: BundleSelection;
  selectFault: (id: number | null, source: SelectionSource) => void;
  setBrush: (d: Domain | null) => void;
  setWindow: (d: Domain | null) => void;
  cursor?: Domain | null;
}): React.JSX.Element {
  const full = useMemo(() => fullDomain(props.end, props.origin), [props.end, props.origin]);
  const tracks: TrackView[] = useMemo(() => tracksFromFaults(props.items).map((t) => ({ ...t, kind: 'file', buckets: [] })), [props.items]);
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
      loading={false}
    />
  );
}
