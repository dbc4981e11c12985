// Every fault of a bundle, read in pages of 1000 (the list groups, filters and searches them in memory; the
// ingest folds repeated trace faults into one record, so even large bundles have few thousand records). The
// first page says how many there are; the others are asked for together.
import { useEffect, useState } from 'react';
import type { FaultSummary } from '../../preload/contract';
import { api } from '../api';
import { errorMessage, type Load } from './load';

const PAGE = 1000;
/** A ceiling so that a pathological bundle cannot exhaust the renderer's memory. */
export const MAX_FAULTS = 200_000;

export function useBundleFaults(bundleId: number): Load<{ faults: readonly FaultSummary[]; total: number }> {
  const [load, setLoad] = useState<Load<{ faults: readonly FaultSummary[]; total: number }>>({ state: 'loading', previous: null });
  useEffect(() => {
    let live = true;
    setLoad({ state: 'loading', previous: null });
    (async () => {
      const first = await api.invoke('faults:list', { bundleId, offset: 0, limit: PAGE });
      const wanted = Math.min(first.total, MAX_FAULTS);
      const offsets: number[] = [];
      for (let at = first.items.length; first.items.length > 0 && at < wanted; at += PAGE) offsets.push(at);
      const rest = await Promise.all(offsets.map((offset) => api.invoke('faults:list', { bundleId, offset, limit: PAGE })));
      return { faults: [first, ...rest].flatMap((p) => p.items).slice(0, wanted), total: first.total };
    })().then(
      (value) => live && setLoad({ state: 'ready', value }),
      (e: unknown) => live && setLoad({ state: 'error', ...errorMessage(e) }),
    );
    return () => {
      live = false;
    };
  }, [bundleId]);
  return load;
}
