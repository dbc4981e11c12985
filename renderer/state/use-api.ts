// Calls one contract operation and follows its state. A request of `null` means "not yet" (a dependency is
// still loading). The last value stays visible while a new request runs; a response to an old request is
// dropped. `reload()` runs the same request again (after an ingest, say).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { OpName, RequestOf, ResponseOf } from '../../preload/contract';
import { api } from '../api';
import { errorMessage, type Load } from './load';

export function useApi<K extends OpName>(op: K, request: RequestOf<K> | null): Load<ResponseOf<K>> & { reload: () => void } {
  const key = request === null ? null : JSON.stringify(request);
  const [load, setLoad] = useState<Load<ResponseOf<K>>>({ state: 'loading', previous: null });
  const [generation, setGeneration] = useState(0);
  const last = useRef<ResponseOf<K> | null>(null);

  useEffect(() => {
    if (key === null) return;
    let live = true;
    setLoad({ state: 'loading', previous: last.current });
    api.invoke(op, JSON.parse(key) as RequestOf<K>).then(
      (value) => {
        if (!live) return;
        last.current = value;
        setLoad({ state: 'ready', value });
      },
      (e: unknown) => live && setLoad({ state: 'error', ...errorMessage(e) }),
    );
    return () => {
      live = false;
    };
  }, [op, key, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { ...load, reload };
}
