// The lines of one file of a bundle, loaded page by page as they scroll into view (line-pages.ts), with the
// file's length from the first page. Rows not loaded yet read as undefined (the list shows a placeholder of
// the same height, so nothing jumps when they arrive).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { LogBoot, LogLineView } from '../../preload/contract';
import { api } from '../api';
import { PAGE_SIZE, PageCache, pagesFor } from './line-pages';
import { errorMessage } from './load';

export interface LogLines {
  readonly totalLines: number | null;
  readonly clock: string | null;
  /** A log of several boots: where each begins, and its clock (LinePage.boots); null for one boot. */
  readonly boots: readonly LogBoot[] | null;
  /** The file's format (`journal-json`: its lines are messages alone, their times a column of their own). */
  readonly format: string | null;
  readonly error: string | null;
  /** Line `lineNo` (1-based), if loaded. */
  line(lineNo: number): LogLineView | undefined;
  /** Rows [start, end) are in view: load their pages. */
  need(start: number, end: number): void;
  /** Changes whenever a page arrives (for re-rendering). */
  readonly version: number;
}

export function useLogLines(bundleId: number, file: string | null): LogLines {
  const cache = useRef(new PageCache<LogLineView>(60));
  const pending = useRef(new Set<number>());
  const [version, setVersion] = useState(0);
  const [totalLines, setTotal] = useState<number | null>(null);
  const [clock, setClock] = useState<string | null>(null);
  const [boots, setBoots] = useState<readonly LogBoot[] | null>(null);
  const [format, setFormat] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const generation = useRef(0);

  const load = useCallback(
    (page: number) => {
      if (file === null || cache.current.has(page) || pending.current.has(page)) return;
      pending.current.add(page);
      const gen = generation.current;
      api.invoke('lines:page', { bundleId, file, fromLine: page * PAGE_SIZE + 1, limit: PAGE_SIZE }).then(
        (p) => {
          if (gen !== generation.current) return;
          pending.current.delete(page);
          cache.current.set(page, p.lines);
          setTotal(p.totalLines);
          setClock(p.clock);
          setBoots(p.boots);
          setFormat(p.format);
          setVersion((v) => v + 1);
        },
        (e: unknown) => {
          pending.current.delete(page);
          if (gen === generation.current) setError(errorMessage(e).message);
        },
      );
    },
    [bundleId, file],
  );

  useEffect(() => {
    generation.current += 1;
    cache.current = new PageCache<LogLineView>(60);
    pending.current = new Set();
    setTotal(null);
    setError(null);
    setVersion((v) => v + 1);
    load(0);
  }, [load]);

  const need = useCallback((start: number, end: number) => pagesFor(start, end).forEach(load), [load]);
  const line = useCallback((lineNo: number) => cache.current.row(lineNo - 1), []);
  return { totalLines, clock, boots, format, error, line, need, version };
}
