// Trace events written (migration 0003): the chunk writer the importers use, one per trace file, which
// stores each chunk once compressed (event-compressor.ts) and, at the end, what the assembler found (strings,
// threads, exit statistics); and a trace.dat's rendering metadata. The queries are events.ts.
import { writeTransaction, type Db } from './db';
import { loadCommitted } from './checkpointer';
import { CODEC, compressor, type PackedChunk } from './event-compressor';
import type { EncodedChunk } from '../core/ingest/ftrace/chunk';
import type { AssembledTrace } from '../core/ingest/ftrace/trace-summary';
import type { StoredTraceMeta } from '../core/ingest/tracedat/stored';

export type TraceSource = 'ftrace-text' | 'trace-dat';

/** Chunks written per transaction: few commits, bounded memory. */
const CHUNKS_PER_TRANSACTION = 8;
/** Chunks being compressed at most; the importer waits (drain) beyond this. */
const MAX_PENDING = 4;

export interface TraceFileInfo {
  readonly dialect: string | null;
  readonly clock: string | null;
  readonly cpus: number | null;
}

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
