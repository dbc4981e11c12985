// lines:page / lines:search: a bundle's stored log lines and full-text search over them.
import type { LinePage, LogBoot, ParsedRequestOf, SearchResult } from '../../../preload/contract';
import { earlierBootClock } from '../../core/ingest/boot-clock';
import { getBundle, listFiles } from '../../storage/bundles';
import { fileBootLines } from '../../storage/ingest';
import { linesToIndex, pageLines, searchLines } from '../../storage/lines';
import type { ApiContext } from '../context';
import { notFound } from '../errors';

const dec = (v: bigint | null): string | null => (v === null ? null : v.toString());

function fileClock(ctx: ApiContext, fileId: number): LinePage['clock'] {
  const c = ctx.db.prepare(`SELECT clock FROM files WHERE id = ?`).pluck().get(fileId) as string | null | undefined;
  return c === 'monotonic' || c === 'realtime' || c === 'time-of-day' ? c : null;
}

/**
 * The boots of a log of several, else null. On the since-boot clock each boot has its own
 * (main/core/ingest/boot-clock.ts: the last on `monotonic`); a wall clock goes on across them.
 */
function fileBoots(ctx: ApiContext, fileId: number, clock: LinePage['clock']): LogBoot[] | null {
  const starts = fileBootLines(ctx.db, fileId);
  if (starts.length === 0) return null;
  return [1, ...starts].map((fromLine, k) => ({ fromLine, clock: clock !== 'monotonic' ? clock : k === starts.length ? 'monotonic' : earlierBootClock(starts.length - k) }));
}

export const lineHandlers = {
  'lines:page': (ctx: ApiContext, req: ParsedRequestOf<'lines:page'>): LinePage => {
    if (!getBundle(ctx.db, req.bundleId)) throw notFound(`bundle ${req.bundleId}`);
    const files = listFiles(ctx.db, req.bundleId);
    const file = req.file === undefined ? files.find((f) => f.lines > 0) : files.find((f) => f.path === req.file);
    if (req.file !== undefined && file === undefined) throw notFound(`file ${req.file} in bundle ${req.bundleId}`);
    if (file === undefined) return { file: null, format: null, clock: null, boots: null, totalLines: 0, fromLine: req.fromLine, lines: [] };
    const lines = pageLines(ctx.db, file.id, req.fromLine, req.limit).map((l) => ({
      lineNo: l.lineNo,
      timeNs: dec(l.tsNs),
      cpu: l.cpu,
      pid: l.pid,
      level: l.level,
      text: l.text,
    }));
    const clock = fileClock(ctx, file.id);
    return { file: file.path, format: file.format, clock, boots: fileBoots(ctx, file.id, clock), totalLines: file.lines, fromLine: req.fromLine, lines };
  },

  'lines:search': (ctx: ApiContext, req: ParsedRequestOf<'lines:search'>): SearchResult => {
    if (!getBundle(ctx.db, req.bundleId)) throw notFound(`bundle ${req.bundleId}`);
    const files = listFiles(ctx.db, req.bundleId);
    const pathById = new Map(files.map((f) => [f.id, f.path]));
    const hits = searchLines(ctx.db, [...pathById.keys()], req.query, req.limit).map((h) => ({
      file: pathById.get(h.fileId) ?? '',
      lineNo: h.lineNo,
      timeNs: dec(h.tsNs),
      text: h.text,
    }));
    return { hits, pendingLines: linesToIndex(ctx.db, req.bundleId) };
  },
};
