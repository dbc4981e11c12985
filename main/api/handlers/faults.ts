// faults:list / faults:get: a bundle's fault records as the UI shows them (main/storage/faults.ts).
import type { FaultDetail, FaultKindName, FaultPage, FaultSummary, ParsedRequestOf, SourceLine } from '../../../preload/contract';
import { recordClock } from '../../core/ingest/boot-clock';
import { getBundle } from '../../storage/bundles';
import { getFault, listFaults, type FaultRow } from '../../storage/faults';
import { pageLines } from '../../storage/lines';
import type { ApiContext } from '../context';
import { notFound } from '../errors';

/** Longest stretch of source lines a detail returns (a record plus its context). */
const MAX_SOURCE_LINES = 2000;

const dec = (v: bigint | null): string | null => (v === null ? null : v.toString());

export function toSummary(f: FaultRow): FaultSummary {
  return {
    id: f.id,
    bundleId: f.bundleId,
    kind: f.kind as FaultKindName,
    esr: f.esr,
    el: f.el === 1 || f.el === 2 ? f.el : null,
    far: f.far,
    ipa: f.ipa,
    pc: f.pc,
    cpu: f.cpu,
    pid: f.pid,
    comm: f.comm,
    timeNs: dec(f.timeNs),
    clock: recordClock(f.clock),
    kernel: f.kernel,
    file: f.file,
    line: f.line,
    endLine: f.endLine,
    count: f.count,
    firstNs: dec(f.firstNs),
    lastNs: dec(f.lastNs),
    headline: (f.text.split('\n')[0] ?? '').slice(0, 300),
  };
}

export const faultHandlers = {
  'faults:list': (ctx: ApiContext, req: ParsedRequestOf<'faults:list'>): FaultPage => {
    if (!getBundle(ctx.db, req.bundleId)) throw notFound(`bundle ${req.bundleId}`);
    const { rows, total } = listFaults(ctx.db, {
      bundleId: req.bundleId,
      offset: req.offset,
      limit: req.limit,
      ...(req.kind ? { kind: req.kind } : {}),
      ...(req.search ? { search: req.search } : {}),
    });
    return { total, offset: req.offset, items: rows.map(toSummary) };
  },

  'faults:get': (ctx: ApiContext, req: ParsedRequestOf<'faults:get'>): FaultDetail => {
    const f = getFault(ctx.db, req.id);
    if (!f) throw notFound(`fault ${req.id}`);
    const from = Math.max(1, f.line - req.context);
    const count = Math.min(MAX_SOURCE_LINES, f.endLine + req.context - from + 1);
    const lines: SourceLine[] = pageLines(ctx.db, f.fileId, from, count).map((l) => ({
      lineNo: l.lineNo,
      timeNs: dec(l.tsNs),
      text: l.text,
      inRecord: l.lineNo >= f.line && l.lineNo <= f.endLine,
    }));
    return {
      ...toSummary(f),
      text: f.text,
      decode: f.decodeJson === null ? null : (JSON.parse(f.decodeJson) as Record<string, unknown>),
      extra: JSON.parse(f.extraJson) as Record<string, unknown>,
      source: { file: f.file, lines },
    };
  },
};
