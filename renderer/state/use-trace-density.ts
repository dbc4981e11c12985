// The trace's event density for the timeline's window, from the ingest's summaries (timeline:buckets): one
// request for the whole trace (which also gives its extent), then one per window, 120 ms after the window
// stops moving. The last answer stays on screen while the next is computed.
import { useEffect, useState } from 'react';
import type { TimelineBuckets } from '../../preload/contract';
import { api } from '../api';
import type { Domain } from '../viz/timeline-math';
import { windowRequest } from './trace-tracks';

export interface TraceDensity {
  readonly whole: TimelineBuckets | null;
  readonly current: TimelineBuckets | null;
  readonly loading: boolean;
}

export function useTraceDensity(bundleId: number, origin: bigint, window: Domain | null, buckets: number): TraceDensity {
  const [whole, setWhole] = useState<TimelineBuckets | null>(null);
  const [current, setCurrent] = useState<TimelineBuckets | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    let live = true;
    api.invoke('timeline:buckets', { bundleId, buckets }).then(
      (r) => {
        if (!live) return;
        setWhole(r);
        setCurrent((c) => c ?? r);
      },
      () => live && setWhole(null),
    );
    return () => {
      live = false;
    };
  }, [bundleId, buckets]);

  const start = window?.start;
  const end = window?.end;
  useEffect(() => {
    if (start === undefined || end === undefined || whole === null || whole.source === 'empty') return;
    let live = true;
    setLoading(true);
    const timer = setTimeout(() => {
      api.invoke('timeline:buckets', { bundleId, buckets, ...windowRequest(start, end, origin) }).then(
        (r) => {
          if (!live) return;
          setCurrent(r);
          setLoading(false);
        },
        () => live && setLoading(false),
      );
    }, 120);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [bundleId, buckets, origin, start, end, whole]);

  return { whole, current: window === null ? whole : current, loading };
}
