// The Log tab: the timeline on top (its cursor marks the time of the lines in view), the log under it.
import { useCallback, useMemo, useState } from 'react';
import type { BundleDetail, FaultSummary } from '../../../preload/contract';
import { readContext } from '../../state/bundle-context';
import { faultAxis, toFaultItems } from '../../state/fault-items';
import type { LogTarget } from '../../state/route';
import type { useBundleSelection } from '../../state/selection';
import { formatTraceTime, type Domain } from '../../viz/timeline-math';
import { LogTab } from '../log/LogTab';
import { FaultTimeline } from '../timeline/FaultTimeline';

export function LogPane(props: { bundle: BundleDetail; faults: readonly FaultSummary[]; target: LogTarget | undefined; sel: ReturnType<typeof useBundleSelection> }): React.JSX.Element {
  const context = useMemo(() => readContext(props.bundle.context), [props.bundle.context]);
  const axisKey = props.sel.selection.axis;
  const axis = useMemo(() => faultAxis(props.faults, axisKey), [props.faults, axisKey]);
  const items = useMemo(() => toFaultItems(props.faults, axis, context, (t) => formatTraceTime(t, axis.origin, 1e4, axis.clock)), [props.faults, axis, context]);
  const [cursor, setCursor] = useState<Domain | null>(null);
  const onVisibleTimes = useCallback(
    (first: string | null, last: string | null, clock: string | null, file: string | null) => {
      // An earlier boot's axis is of one log's boot (fault-items.ts faultAxis).
      if (first === null || last === null || clock !== axis.clock || (axis.file !== null && file !== axis.file)) return setCursor(null);
      const a = Number(BigInt(first) - axis.origin);
      const b = Number(BigInt(last) - axis.origin);
      setCursor((c) => (c && c.start === a && c.end === b ? c : { start: Math.min(a, b), end: Math.max(a, b) }));
    },
    [axis],
  );
  return (
    <div className="page-fill log-pane">
      {items.some((f) => f.t !== null) && <FaultTimeline bundleId={props.bundle.id} clock={axis.clock} items={items} origin={axis.origin} end={axis.end} cursor={cursor} {...props.sel} />}
      <LogTab bundle={props.bundle} target={props.target} faults={props.faults} sel={props.sel} onVisibleTimes={onVisibleTimes} />
    </div>
  );
}
