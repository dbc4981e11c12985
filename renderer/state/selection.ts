// What is selected in a bundle, shared by the timeline, the fault list and the log view: one fault, a brushed
// time range, the timeline's window. `seq` counts selections that come from elsewhere, so that the view
// which did not make the selection scrolls to it.
import { useCallback, useState } from 'react';
import type { Domain } from '../viz/timeline-math';

export type SelectionSource = 'timeline' | 'list' | 'log' | 'link';

export interface BundleSelection {
  readonly faultId: number | null;
  readonly source: SelectionSource | null;
  readonly seq: number;
  readonly brush: Domain | null;
  readonly window: Domain | null;
  /** The time axis picked (fault-items.ts AxisChoice.key); null: the one most faults are on. */
  readonly axis: string | null;
}

export function useBundleSelection(): {
  selection: BundleSelection;
  selectFault: (id: number | null, source: SelectionSource) => void;
  setBrush: (d: Domain | null) => void;
  setWindow: (d: Domain | null) => void;
  setAxis: (key: string | null) => void;
} {
  const [selection, setSelection] = useState<BundleSelection>({ faultId: null, source: null, seq: 0, brush: null, window: null, axis: null });
  const selectFault = useCallback((id: number | null, source: SelectionSource) => setSelection((s) => ({ ...s, faultId: id, source, seq: s.seq + 1 })), []);
  const setBrush = useCallback((brush: Domain | null) => setSelection((s) => ({ ...s, brush })), []);
  const setWindow = useCallback((window: Domain | null) => setSelection((s) => ({ ...s, window })), []);
  // A brush and a window are times on the axis they were made on.
  const setAxis = useCallback((axis: string | null) => setSelection((s) => ({ ...s, axis, brush: null, window: null })), []);
  return { selection, selectFault, setBrush, setWindow, setAxis };
}
