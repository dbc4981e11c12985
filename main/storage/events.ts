// Trace events read (migration 0003): the event queries (list by time window and event name, KVM exit
// statistics) and a trace's removal. Chunks are decoded here; the layout is core's (chunk.ts), the writer
// event-writer.ts, the codecs event-compressor.ts.
import { brotliDecompressSync, inflateRawSync } from 'node:zlib';
import { writeTransaction, type Db } from './db';
import type { TraceSource } from './event-writer';
import { decodeColumns } from '../core/ingest/ftrace/chunk';
import { rereadArgsByLine } from '../core/ingest/ftrace/reread';
import { parseEventFields } from '../core/ingest/ftrace/generic-fields';
import type { Fields } from '../core/ingest/ftrace/kvm-events';
import { createStoredRenderer, type StoredRenderer } from '../core/ingest/tracedat/stored';

export interface EventQuery {
  readonly bundleId: number;
  readonly event?: string | undefined;
  /** Inclusive time window, integer ns. */
  readonly fromNs?: bigint | undefined;
  readonly toNs?: bigint | undefined;
  readonly offset?: number;
  readonly limit?: number;
}

export interface EventRow {
  readonly timeNs: bigint;
  readonly cpu: number;
  readonly pid: number;
  readonly tgid: number | null;
  readonly comm: string;
  readonly event: string;
  readonly args: string;
  readonly fields: Fields;
  readonly file: string;
  /** Source line (text traces) or event index (trace.dat). */
  readonly line: number;
}

interface FileRow {
  readonly fileId: number;
  readonly path: string;
  readonly source: TraceSource;
}

interface ChunkMeta {
  readonly id: bigint;
  readonly first_event: bigint;
  readonly count: bigint;
  readonly base_ts: bigint;
  readonly min_ts: bigint;
  readonly max_ts: bigint;
}

interface ChunkRow extends ChunkMeta {
  readonly codec: bigint;
  readonly columns: Buffer;
  readonly args: Buffer | string | null;
  readonly raw: Buffer | null;
}

/** A stored chunk's numeric blob, texts and raw records, inflated (codecs: event-compressor.ts). */
export function unpackChunk(r: { codec: bigint | number; columns: Buffer; args: Buffer | string | null; raw: Buffer | null }): {
  columns: Buffer;
  args: string | null;
  raw: Buffer | null;
} {
  const codec = Number(r.codec);
  if (codec === 0) return { columns: r.columns, args: r.args === null ? null : String(r.args), raw: r.raw };
  if (codec !== 1 && codec !== 2) throw new Error(`trace chunk codec ${codec} is not known`);
  const inflate = codec === 1 ? inflateRawSync : brotliDecompressSync;
  return {
    columns: inflate(r.columns),
    args: r.args === null ? null : inflate(r.args as Buffer).toString('utf8'),
    raw: r.raw === null ? null : inflate(r.raw),
  };
}

function traceFiles(db: Db, bundleId: number): FileRow[] {
  return db
    .prepare(
      `SELECT t.file_id AS fileId, f.path, t.source FROM trace_files t JOIN files f ON f.id = t.file_id
        WHERE t.bundle_id = ? ORDER BY t.file_id`,
    )
    .all(bundleId) as FileRow[];
}

function strings(db: Db, fileId: number, kind: 0 | 1): string[] {
  const rows = db.prepare(`SELECT id, text FROM trace_strings WHERE file_id = ? AND kind = ?`).all(fileId, kind) as { id: number; text: string }[];
  const out: string[] = [];
  for (const r of rows) out[r.id] = r.text;
  return out;
}

/**
 * Events of a bundle in file order (each file in its own time order), optionally one event name and a time
 * window, paged by offset/limit. Only the chunks whose time range and name set match are decoded.
 */
export function listEvents(db: Db, q: EventQuery): EventRow[] {
  const out: EventRow[] = [];
  const limit = q.limit ?? 100;
  if (limit <= 0) return out;
  for (const e of eventsOf(db, q)) {
    out.push(e);
    if (out.length >= limit) break;
  }
  return out;
}

/** The same events as a stream (offset applied, no limit): for exports of any size. */
export function* eventsOf(db: Db, q: EventQuery): Generator<EventRow> {
  let skip = q.offset ?? 0;
  const from = q.fromNs ?? -(2n ** 63n);
  const to = q.toNs ?? 2n ** 63n - 1n;
  for (const f of traceFiles(db, q.bundleId)) {
    const names = strings(db, f.fileId, 1);
    const nameId = q.event === undefined ? -1 : names.indexOf(q.event);
    if (q.event !== undefined && nameId === -1) continue;
    const comms = strings(db, f.fileId, 0);
    const stmt = db
      .prepare(
        `SELECT id, first_event, count, base_ts, min_ts, max_ts FROM trace_chunks
          WHERE file_id = ? AND max_ts >= ? AND min_ts <= ? AND (? = -1 OR instr(name_set, ?) > 0)
          ORDER BY seq`,
      )
      .safeIntegers(true);
    const blobs = db.prepare(`SELECT codec, columns, args, raw FROM trace_chunks WHERE id = ?`).safeIntegers(true);
    const render = f.source === 'trace-dat' ? binaryRenderer(db, f.fileId) : null;
    // The chunk list first, each chunk's data when it is read: a generator must not hold a statement open
    // while its consumer waits, nor all the data at once.
    const list = stmt.all(f.fileId, from, to, nameId, `,${nameId},`) as ChunkMeta[];
    for (const m of list) {
      const c = { ...m, ...(blobs.get(m.id) as Omit<ChunkRow, keyof ChunkMeta>) } as ChunkRow;
      const count = Number(c.count);
      // A chunk wholly inside the window and without a name filter is skipped without decoding.
      if (nameId === -1 && skip >= count && c.min_ts >= from && c.max_ts <= to) {
        skip -= count;
        continue;
      }
      const batch: EventRow[] = [];
      skip = readChunk(c, count, { from, to, nameId, names, comms, file: f.path, render }, skip, Infinity, batch);
      yield* batch;
    }
  }
}

interface ReadContext {
  readonly from: bigint;
  readonly to: bigint;
  readonly nameId: number;
  readonly names: readonly string[];
  readonly comms: readonly string[];
  readonly file: string;
  readonly render: StoredRenderer | null;
}

/** Appends a chunk's matching events to `out` after skipping `skip` of them; returns what is left to skip. */
function readChunk(row: ChunkRow, count: number, ctx: ReadContext, skip: number, limit: number, out: EventRow[]): number {
  const c = { ...row, ...unpackChunk(row) };
  const binary = c.raw !== null;
  const d = decodeColumns(c.columns, count, binary);
  // Text traces store the raw lines: read them again with the same tokenizer.
  const texts = binary ? null : rereadArgsByLine(c.args ?? '');
  // Text chunks start at their first event's line: an event's arguments are those read on its own line.
  const firstLine = count > 0 ? d.line[0]! : 0;
  const base = c.base_ts;
  for (let i = 0; i < count && out.length < limit; i++) {
    if (ctx.nameId !== -1 && d.name[i] !== ctx.nameId) continue;
    const ts = base + BigInt(d.ts[i]!);
    if (ts < ctx.from || ts > ctx.to) continue;
    if (skip > 0) {
      skip--;
      continue;
    }
    const event = ctx.names[d.name[i]!] ?? '';
    let args: string;
    let fields: Fields;
    if (texts !== null) {
      args = texts.get(d.line[i]! - firstLine + 1) ?? '';
      fields = parseEventFields(event, args);
    } else {
      const start = i === 0 ? 0 : d.rawEnd![i - 1]!;
      const r = ctx.render!.render(c.raw!.subarray(start, d.rawEnd![i]!));
      args = r.args;
      fields = r.fields;
    }
    const tgid = d.tgid[i]!;
    out.push({
      timeNs: ts,
      cpu: d.cpu[i]!,
      pid: d.pid[i]!,
      tgid: tgid === -1 ? null : tgid,
      comm: ctx.comms[d.comm[i]!] ?? '',
      event,
      args,
      fields,
      file: ctx.file,
      line: d.line[i]!,
    });
  }
  return skip;
}

export interface ExitStatRow {
  readonly vmPid: number | null;
  readonly tid: number;
  readonly comm: string | null;
  readonly ret: string;
  readonly esrEc: number;
  readonly ecName: string;
  readonly count: number;
  readonly totalNs: number;
  readonly minNs: number;
  readonly maxNs: number;
}

/** KVM exits by vCPU, exit type and exception class, with the time spent in the host, most time first. */
export function listExitStats(db: Db, bundleId: number): ExitStatRow[] {
  return db
    .prepare(
      `SELECT s.vm_pid AS vmPid, s.tid, th.comm, s.ret, s.esr_ec AS esrEc, s.ec_name AS ecName, sum(s.count) AS count,
              sum(s.total_ns) AS totalNs, min(s.min_ns) AS minNs, max(s.max_ns) AS maxNs
         FROM kvm_exit_stats s LEFT JOIN trace_threads th ON th.file_id = s.file_id AND th.tid = s.tid
        WHERE s.bundle_id = ?
        GROUP BY s.vm_pid, s.tid, s.ret, s.esr_ec
        ORDER BY totalNs DESC`,
    )
    .all(bundleId) as ExitStatRow[];
}

// Renderers per database and file: formats and kallsyms are parsed once per process.
const renderers = new WeakMap<Db, Map<number, StoredRenderer>>();

function binaryRenderer(db: Db, fileId: number): StoredRenderer {
  let perDb = renderers.get(db);
  if (perDb === undefined) {
    perDb = new Map();
    renderers.set(db, perDb);
  }
  let r = perDb.get(fileId);
  if (r === undefined) {
    const m = db.prepare(`SELECT big_endian AS bigEndian, long_size AS longSize, formats, kallsyms FROM trace_dat_meta WHERE file_id = ?`).get(fileId) as
      | { bigEndian: number; longSize: number; formats: string; kallsyms: string }
      | undefined;
    r = createStoredRenderer({
      bigEndian: m?.bigEndian === 1,
      longSize: m?.longSize === 4 ? 4 : 8,
      formatsJson: m?.formats ?? '[]',
      kallsyms: m?.kallsyms ?? '',
    });
    perDb.set(fileId, r);
  }
  return r;
}

/**
 * The events of a trace whose import stopped before TraceEventWriter.finish (an importer's unexpected
 * error): its chunks cannot be read without the names, threads and counts finish() writes (they listed
 * with empty names), so they go with the file's other trace rows. Returns how many events went; 0 for a
 * trace that was finished (or never started).
 */
export function dropUnfinishedTrace(db: Db, fileId: number): number {
  return writeTransaction(db, () => {
    const f = db.prepare(`SELECT events FROM trace_files WHERE file_id = ?`).get(fileId) as { events: number } | undefined;
    if (f === undefined || f.events > 0) return 0;
    return removeTrace(db, fileId);
  });
}

/** Removes everything stored of a file's trace (events, names, threads, exit statistics, timeline); returns the events removed. */
export function removeTrace(db: Db, fileId: number): number {
  return writeTransaction(db, () => {
    const stored = db.prepare(`SELECT coalesce(sum(count), 0) FROM trace_chunks WHERE file_id = ?`).pluck().get(fileId) as number;
    for (const table of ['trace_chunks', 'trace_strings', 'trace_threads', 'kvm_exit_stats', 'timeline_series', 'trace_dat_meta', 'trace_files']) {
      db.prepare(`DELETE FROM ${table} WHERE file_id = ?`).run(fileId);
    }
    return stored;
  });
}

/** Total events of a bundle's trace files. */
export function countTraceEvents(db: Db, bundleId: number): number {
  return (db.prepare(`SELECT coalesce(sum(events), 0) FROM trace_files WHERE bundle_id = ?`).pluck().get(bundleId) as number) ?? 0;
}
