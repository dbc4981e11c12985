// Every fault of a bundle, read in pages of 1000 (the list groups, filters and searches them in memory; the
// ingest folds repeated trace faults into one record, so even large bundles have few thousand records).
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
      const all: FaultSummary[] = [];
      let total = Infinity;
      while (all.length < Math.min(total, MAX_FAULTS)) {
        const page = await api.invoke('faults:list', { bundleId, offset: all.length, limit: PAGE });
        total = page.total;
        all.push(...page.items);
        if (page.items.length === 0) break;
      }
      return { faults: all, total: total === Infinity ? all.length : total };
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
