// Faults & timeline: the timeline on top, the fault list under it. A brush on the timeline filters the list;
// selecting a fault in either selects it in the other (and scrolls it into view). List times keep the
// microseconds printk prints (a window of 10 µs in formatTraceTime's terms gives six decimals).
import { useMemo } from 'react';
import type { BundleDetail, FaultSummary } from '../../../preload/contract';
import { readContext } from '../../state/bundle-context';
import { faultAxes, pickAxis, placeAxis, toFaultItems, type AxisChoice } from '../../state/fault-items';
import { clockName } from '../../state/line-time';
import type { useBundleSelection } from '../../state/selection';
import { formatTraceTime } from '../../viz/timeline-math';
import { FaultList } from '../faults/FaultList';
import { FaultTimeline } from '../timeline/FaultTimeline';
import { KIND_LEGEND } from '../timeline/kind-colors';

/** An axis as the picker lists it: what its times are, and how many faults are on it. */
function axisLabel(c: AxisChoice): string {
  return `${clockName(c.clock, c.file) || 'times without a clock'} (${c.count} ${c.count === 1 ? 'fault' : 'faults'})`;
}

export function FaultsTab(props: { bundle: BundleDetail; faults: readonly FaultSummary[]; sel: ReturnType<typeof useBundleSelection> }): React.JSX.Element {
  const context = useMemo(() => readContext(props.bundle.context), [props.bundle.context]);
  const choices = useMemo(() => faultAxes(props.faults), [props.faults]);
  const current = pickAxis(choices, props.sel.selection.axis);
  const axis = useMemo(() => placeAxis(props.faults, current), [props.faults, current]);
  const items = useMemo(() => toFaultItems(props.faults, axis, context, (t) => formatTraceTime(t, axis.origin, 1e4, axis.clock)), [props.faults, axis, context]);
  const { selection, selectFault } = props.sel;
  const brush = selection.brush;
  const shown = useMemo(() => (brush ? items.filter((f) => f.t !== null && f.t >= brush.start && f.t <= brush.end) : items), [items, brush]);
  return (
    <div className="page-fill faults-tab">
      <FaultTimeline bundleId={props.bundle.id} clock={axis.clock} items={items} origin={axis.origin} end={axis.end} {...props.sel} />
      <div className="legend">
        {KIND_LEGEND.map((k) => (
          <span key={k.cls}>
            <span className={`kind-dot ${k.cls}`} /> {k.label}
          </span>
        ))}
        {choices.length > 1 && current !== undefined ? (
          <label className="muted">
            time:{' '}
            <select value={current.key} onChange={(e) => props.sel.setAxis(e.target.value)} data-testid="time-axis">
              {choices.map((c) => (
                <option key={c.key} value={c.key}>
                  {axisLabel(c)}
                </option>
              ))}
            </select>
          </label>
        ) : (
          axis.clock && <span className="muted">time: {clockName(axis.clock, axis.file)}</span>
        )}
      </div>
      <FaultList
        items={shown}
        selected={selection.faultId}
        onSelect={(id) => selectFault(id, 'list')}
        selectSeq={selection.source === 'list' ? -1 : selection.seq}
        bundleId={props.bundle.id}
      />
    </div>
  );
}
