// Trace events (migration 0003): the chunk writer the importers use, and the event queries (list by time
// window and event name, KVM exit statistics). Chunks are decoded here; the layout is core's (chunk.ts).
import { brotliCompress, brotliDecompressSync, constants as zlibConstants, inflateRawSync } from 'node:zlib';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import { writeTransaction, type Db } from './db';
import { loadCommitted } from './checkpointer';
import { decodeColumns, encodeColumns, type EncodedChunk } from '../core/ingest/ftrace/chunk';
import { rereadArgsByLine } from '../core/ingest/ftrace/reread';
import type { AssembledTrace } from '../core/ingest/ftrace/trace-summary';
import { parseEventFields } from '../core/ingest/ftrace/generic-fields';
import type { Fields } from '../core/ingest/ftrace/kvm-events';
import { createStoredRenderer, type StoredRenderer, type StoredTraceMeta } from '../core/ingest/tracedat/stored';

export type TraceSource = 'ftrace-text' | 'trace-dat';

/** Chunks written per transaction: few commits, bounded memory. */
const CHUNKS_PER_TRANSACTION = 8;
/** Chunks being compressed at most; the importer waits (drain) beyond this. */
const MAX_PENDING = 4;

// Stored chunks' codecs (trace_chunks.codec): 0 none, 1 raw deflate at level 1 (written before 2026-11-24,
// still read), 2 brotli at quality 0. Brotli's quality 0 compresses these chunks as well as deflate's level 1
// (3.7:1 on trace.dat records and columns, 9:1 on text lines, against 3.65 and 11:1) in 40% of its CPU time;
// it inflates 15% slower, under 0.3 ms a chunk. The compression thread shares two cores with the reader and
// the importing thread: its CPU is the ingest's.
const CODEC = 2;
const brotli = promisify(brotliCompress);
const brotliOptions = (size: number) => ({ params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 0, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: size } });

export interface TraceFileInfo {
  readonly dialect: string | null;
  readonly clock: string | null;
  readonly cpus: number | null;
}

interface PackedChunk {
  readonly c: EncodedChunk;
  readonly columns: Uint8Array;
  readonly args: Uint8Array | null;
  readonly raw: Uint8Array | null;
}

// Compression runs in a worker thread (the second core) while the main thread parses the next chunk: the
// input buffers are transferred, the compressed ones transferred back. The worker also packs the numeric
// columns (chunk.ts encodeColumns, its source text inlined here: it refers to nothing outside itself), which
// would otherwise cost the importing thread ~0.2 s per 2M events. The worker is plain JavaScript evaluated
// from this string, so it needs no build step in any environment; where a worker cannot start, zlib's
// asynchronous API (libuv's thread pool) is used instead.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
// esbuild's keepNames helper, which encodeColumns' source text calls when run from source with tsx.
const __name = (f) => f;
const { brotliCompressSync, constants } = require('node:zlib');
const encodeColumns = ${encodeColumns.toString()};
const brotli = (b) => brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 0, [constants.BROTLI_PARAM_SIZE_HINT]: b.length } });
const pack = (x) => (x === null ? null : new Uint8Array(brotli(typeof x === 'string' ? Buffer.from(x, 'utf8') : x)));
parentPort.on('message', (m) => {
  const u = m.unpacked;
  const out = [pack(encodeColumns(u.ts, u.ints, u.stride, u.count, u.intCols)), pack(m.args), pack(m.raw)];
  parentPort.postMessage({ id: m.id, out }, out.filter((x) => x !== null).map((x) => x.buffer));
});
`;

class Compressor {
  private worker: Worker | null = null;
  private failed = false;
  private next = 0;
  private readonly waiting = new Map<number, (out: (Uint8Array | null)[]) => void>();

  start(): Worker | null {
    if (this.worker !== null || this.failed) return this.worker;
    try {
      // It holds no JavaScript objects beyond a message: a small young generation keeps its heap small.
      const w = new Worker(WORKER_SOURCE, { eval: true, resourceLimits: { maxYoungGenerationSizeMb: 4 } });
      w.on('message', (m: { id: number; out: (Uint8Array | null)[] }) => {
        const done = this.waiting.get(m.id);
        this.waiting.delete(m.id);
        if (this.waiting.size === 0) w.unref();
        done?.(m.out);
      });
      w.on('error', () => this.fail());
      w.unref();
      this.worker = w;
    } catch {
      this.failed = true;
    }
    return this.worker;
  }

  private fail(): void {
    this.failed = true;
    this.worker = null;
    // Requests in flight are lost with the worker, their chunks' arrays with them: their callers fail
    // (pack), so the import fails with that reason and its events are dropped; later chunks are compressed
    // on the thread pool.
    for (const done of this.waiting.values()) done([]);
    this.waiting.clear();
  }

  async pack(c: EncodedChunk): Promise<PackedChunk> {
    const w = this.start();
    if (w !== null) {
      const id = this.next++;
      const out = await new Promise<(Uint8Array | null)[]>((resolve) => {
        this.waiting.set(id, resolve);
        w.ref();
        // Texts go as UTF-8 bytes: transferring them costs far less than cloning the string.
        const args = c.args === null ? null : typeof c.args === 'string' ? ownBuffer(Buffer.from(c.args, 'utf8')) : ownBytes(c.args);
        const u = c.unpacked;
        const transfer = [u.ts.buffer, u.ints.buffer, ...(args === null ? [] : [args.buffer]), ...(c.raw === null ? [] : [c.raw.buffer])] as ArrayBuffer[];
        w.postMessage({ id, unpacked: u, args, raw: c.raw }, transfer);
      });
      if (out.length === 3) return { c, columns: out[0]!, args: out[1] ?? null, raw: out[2] ?? null };
      throw new Error('the compression worker stopped');
    }
    const view = (u: Uint8Array): Buffer => Buffer.from(u.buffer, u.byteOffset, u.byteLength);
    const squeeze = (b: Buffer): Promise<Buffer> => brotli(b, brotliOptions(b.length));
    const [columns, args, raw] = await Promise.all([
      squeeze(view(c.columns)),
      c.args === null ? null : squeeze(typeof c.args === 'string' ? Buffer.from(c.args, 'utf8') : view(c.args)),
      c.raw === null ? null : squeeze(view(c.raw)),
    ]);
    return { c, columns, args, raw };
  }
}

/** Bytes in an ArrayBuffer of their own (small Buffers share Node's pool, which must not be transferred). */
function ownBuffer(b: Buffer): Uint8Array {
  return b.byteOffset === 0 && b.buffer.byteLength === b.byteLength ? new Uint8Array(b.buffer, 0, b.byteLength) : new Uint8Array(b);
}

/** Bytes that may be transferred: a view over a whole ArrayBuffer of their own, else a copy. */
function ownBytes(u: Uint8Array): Uint8Array {
  return u.byteOffset === 0 && u.buffer.byteLength === u.byteLength && !(u.buffer instanceof SharedArrayBuffer) ? u : new Uint8Array(u);
}

const compressor = new Compressor();

/**
 * Starts the compression thread ahead of the first chunk (an importer calls it when it knows a trace is
 * coming): its start (~0.1 s here) then overlaps the reading of the input instead of holding up the first
 * chunks.
 */
export function warmTraceWriter(): void {
  compressor.start();
}

const blob = (u: Uint8Array): Buffer => (Buffer.isBuffer(u) ? u : Buffer.from(u.buffer, u.byteOffset, u.byteLength));

/**
 * Writes one trace file's chunks as they come (compressed on the thread pool, inserted in order, a few per
 * transaction), then its strings, threads and exit statistics. Call drain() between input chunks.
 */
export class TraceEventWriter {
  private readonly pending: Promise<PackedChunk>[] = [];
  private events = 0;
  private readonly insertChunk;

  constructor(
    private readonly db: Db,
    private readonly bundleId: number,
    private readonly fileId: number,
    source: TraceSource,
  ) {
    db.prepare(`INSERT INTO trace_files (file_id, bundle_id, source) VALUES (?, ?, ?)`).run(fileId, bundleId, source);
    this.insertChunk = db.prepare(
      `INSERT INTO trace_chunks (bundle_id, file_id, seq, first_event, count, base_ts, min_ts, max_ts, name_set, codec, columns, args, raw)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ${CODEC}, ?, ?, ?)`,
    );
  }

  chunk(c: EncodedChunk): void {
    this.pending.push(compressor.pack(c));
  }

  /** Stores the compressed chunks until at most `keep` are still pending. */
  async drain(keep = MAX_PENDING): Promise<void> {
    while (this.pending.length > keep) {
      const n = Math.min(CHUNKS_PER_TRANSACTION, this.pending.length - keep);
      const packed = await Promise.all(this.pending.splice(0, n));
      let bytes = 0;
      writeTransaction(this.db, () => {
        for (const p of packed) {
          const c = p.c;
          this.insertChunk.run(this.bundleId, this.fileId, c.seq, this.events, c.count, c.baseTs, c.minTs, c.maxTs, c.nameSet, blob(p.columns), p.args && blob(p.args), p.raw && blob(p.raw));
          this.events += c.count;
          bytes += p.columns.length + (p.args?.length ?? 0) + (p.raw?.length ?? 0);
        }
      });
      loadCommitted(this.db, bytes);
    }
  }

  /** The rest of what the assembler found: interned strings, threads and VMs, exit statistics. */
  async finish(trace: AssembledTrace, info: TraceFileInfo): Promise<void> {
    await this.drain(0);
    const db = this.db;
    writeTransaction(db, () => {
      const str = db.prepare(`INSERT INTO trace_strings (file_id, kind, id, text) VALUES (?, ?, ?, ?)`);
      trace.comms.forEach((t, i) => str.run(this.fileId, 0, i, t));
      trace.names.forEach((t, i) => str.run(this.fileId, 1, i, t));
      const th = db.prepare(`INSERT INTO trace_threads (file_id, tid, comm, tgid, vm_pid, vcpu_index, is_vcpu) VALUES (?, ?, ?, ?, ?, ?, ?)`);
      for (const t of trace.threads) th.run(this.fileId, t.tid, t.comm, t.tgid, t.vmPid, t.vcpuIndex, t.isVcpu ? 1 : 0);
      const vmOf = new Map(trace.threads.map((t) => [t.tid, t.vmPid]));
      const ex = db.prepare(
        `INSERT INTO kvm_exit_stats (bundle_id, file_id, vm_pid, tid, ret, esr_ec, ec_name, count, total_ns, min_ns, max_ns)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const s of trace.exits) {
        ex.run(this.bundleId, this.fileId, vmOf.get(s.tid) ?? null, s.tid, s.ret, s.esrEc, s.ecName, s.count, s.totalNs, s.minNs, s.maxNs);
      }
      db.prepare(`UPDATE trace_files SET dialect = ?, clock = ?, cpus = ?, events = ?, min_ts = ?, max_ts = ? WHERE file_id = ?`).run(
        info.dialect, info.clock, info.cpus, trace.events,
        trace.events > 0 ? trace.minTs : null, trace.events > 0 ? trace.maxTs : null, this.fileId,
      );
    });
  }
}

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

/** A stored chunk's numeric blob, texts and raw records, inflated. */
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

export interface TraceDatMetaInsert extends StoredTraceMeta {
  readonly pageSize: number;
  readonly version: number;
  readonly printk: string;
}

/** What rendering a trace.dat's stored records needs (formats, kallsyms, byte order). */
export function insertTraceDatMeta(db: Db, fileId: number, m: TraceDatMetaInsert): void {
  db.prepare(
    `INSERT INTO trace_dat_meta (file_id, big_endian, long_size, page_size, version, formats, kallsyms, printk) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(fileId, m.bigEndian ? 1 : 0, m.longSize, m.pageSize, m.version, m.formatsJson, m.kallsyms, m.printk);
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
