// Trace event storage (migration 0003): chunks written and read back, filters, paging, timeline queries at
// every zoom agreeing with the events, and the query plans of the hot queries.
import { describe, expect, it } from 'vitest';
import { openDatabase, schemaVersion, type Db } from '../../main/storage/db';
import { insertBundle, insertFile } from '../../main/storage/bundles';
import { deflateRawSync } from 'node:zlib';
import { countTraceEvents, eventsOf, listEvents, listExitStats, unpackChunk } from '../../main/storage/events';
import { TraceEventWriter } from '../../main/storage/event-writer';
import { timelineBuckets, traceSpan, writeTimeline } from '../../main/storage/timeline';
import { migration as m0003 } from '../../main/storage/migrations/0003-trace-events';
import { TraceAssembler } from '../../main/core/ingest/ftrace/assembler';
import { CHUNK_EVENTS } from '../../main/core/ingest/ftrace/chunk';
import { FtraceTokenizer } from '../../main/core/ingest/ftrace/tokenizer';

/** A trace of `n` events: kvm_entry/kvm_exit on 2 vCPU threads of VM 100, every 100 ns on alternating CPUs. */
async function store(db: Db, n: number, t0 = 5_000_000_000): Promise<number> {
  const bundleId = insertBundle(db, { name: 'b', sourcePath: '/b', fingerprint: `f${Math.random()}`, createdAt: 'now' });
  const fileId = insertFile(db, bundleId, 'trace', 'ftrace-text', 0);
  const writer = new TraceEventWriter(db, bundleId, fileId, 'ftrace-text');
  const tok: FtraceTokenizer = new FtraceTokenizer(
    { event: (e, line, endLine, start, end) => asm.addText(e, line, endLine, start, end), marker: () => undefined, other: () => undefined, wrapped: () => undefined },
    true,
  );
  const asm = new TraceAssembler('trace', false, (c) => writer.chunk(c), (a, b) => tok.textBetween(a, b));
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const vcpu = i % 2;
    const exit = Math.floor(i / 2) % 2 === 0;
    const ns = t0 + i * 100;
    // 9 fraction digits: the ns are exact (the kernel prints 6; trace tools may print more)
    const ts = `${Math.floor(ns / 1e9)}.${String(ns % 1e9).padStart(9, '0')}`;
    const args = exit ? `TRAP: HSR_EC: 0x0024 (DABT_LOW), PC: 0x${(1000 + i).toString(16).padStart(16, '0')}` : `PC: 0x${(1000 + i).toString(16).padStart(16, '0')}`;
    lines.push(`       CPU ${vcpu}/KVM-${101 + vcpu}     (    100) [00${vcpu}] d..1. ${ts}: ${exit ? 'kvm_exit' : 'kvm_entry'}: ${args}`);
  }
  tok.push(lines.join('\n') + '\n');
  tok.end();
  const trace = asm.finish();
  await writer.finish(trace, { dialect: 'tracefs', clock: null, cpus: 2 });
  writeTimeline(db, bundleId, fileId, trace.tracks);
  return bundleId;
}

describe('migration 0003 trace-events', () => {
  it('creates the tables; deleting a bundle removes its events, strings and timeline', async () => {
    const db = openDatabase(':memory:');
    expect(schemaVersion(db)).toBeGreaterThanOrEqual(m0003.version);
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['trace_files', 'trace_strings', 'trace_chunks', 'trace_dat_meta', 'trace_threads', 'kvm_exit_stats', 'timeline_tracks', 'timeline_series']));
    const id = await store(db, 100);
    expect(countTraceEvents(db, id)).toBe(100);
    db.prepare(`DELETE FROM bundles WHERE id = ?`).run(id);
    for (const t of ['trace_files', 'trace_strings', 'trace_chunks', 'trace_threads', 'kvm_exit_stats', 'timeline_tracks', 'timeline_series']) {
      expect(db.prepare(`SELECT count(*) FROM ${t}`).pluck().get(), t).toBe(0);
    }
    db.close();
  });
});

describe('events', () => {
  it('reads events back with their time, thread, name, text and parsed KVM fields', async () => {
    const db = openDatabase(':memory:');
    const id = await store(db, 10);
    const rows = listEvents(db, { bundleId: id, limit: 3 });
    expect(rows.map((r) => [r.timeNs, r.cpu, r.pid, r.tgid, r.comm, r.event, r.line])).toEqual([
      [5_000_000_000n, 0, 101, 100, 'CPU 0/KVM', 'kvm_exit', 1],
      [5_000_000_100n, 1, 102, 100, 'CPU 1/KVM', 'kvm_exit', 2],
      [5_000_000_200n, 0, 101, 100, 'CPU 0/KVM', 'kvm_entry', 3],
    ]);
    expect(rows[0]!.fields).toEqual({ ret: 'TRAP', esr_ec: 0x24, esr_ec_name: 'DABT_LOW', vcpu_pc: '0x3e8' });
    db.close();
  });

  it('filters by name and time window and pages across chunk boundaries', async () => {
    const db = openDatabase(':memory:');
    const n = CHUNK_EVENTS * 3 + 10;
    const id = await store(db, n);
    const entries = [...eventsOf(db, { bundleId: id, event: 'kvm_entry' })];
    expect(entries.length).toBe(Math.floor(n / 4) * 2 + (n % 4 > 2 ? n % 4 - 2 : 0));
    expect(entries.every((e) => e.event === 'kvm_entry')).toBe(true);
    // events 5000..5009 of the trace, by time
    const from = 5_000_000_000n + 5000n * 100n;
    const win = listEvents(db, { bundleId: id, fromNs: from, toNs: from + 900n, limit: 100 });
    expect(win.map((e) => e.line)).toEqual(Array.from({ length: 10 }, (_, i) => 5001 + i));
    // a page that starts inside the second chunk
    const page = listEvents(db, { bundleId: id, offset: CHUNK_EVENTS + 5, limit: 2 });
    expect(page.map((e) => e.line)).toEqual([CHUNK_EVENTS + 6, CHUNK_EVENTS + 7]);
    db.close();
  });

  it('selects chunks by time through its index', async () => {
    const db = openDatabase(':memory:');
    await store(db, 10);
    const plan = db
      .prepare(`EXPLAIN QUERY PLAN SELECT id FROM trace_chunks WHERE bundle_id = ? AND max_ts >= ? AND min_ts <= ?`)
      .all(1, 0, 1)
      .map((r) => (r as { detail: string }).detail)
      .join('\n');
    expect(plan).toMatch(/USING (COVERING )?INDEX trace_chunks_by_time/);
    const byFile = db
      .prepare(`EXPLAIN QUERY PLAN SELECT id FROM trace_chunks WHERE file_id = ? AND max_ts >= ? AND min_ts <= ? ORDER BY seq`)
      .all(1, 0, 1)
      .map((r) => (r as { detail: string }).detail)
      .join('\n');
    expect(byFile).toMatch(/USING INDEX trace_chunks_by_file/);
    expect(byFile).not.toMatch(/TEMP B-TREE/);
    // the timeline's level rows through the covering index, without reading the blobs to find them
    const series = db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT s.counts FROM timeline_tracks t JOIN timeline_series s INDEXED BY timeline_series_by_track ON s.track_id = t.id
          WHERE t.bundle_id = ? AND s.level = ? AND s.file_id = ? AND s.first_bucket <= ? AND s.first_bucket + s.buckets > ?`,
      )
      .all(1, 0, 1, 0, 0)
      .map((r) => (r as { detail: string }).detail)
      .join('\n');
    expect(series).toMatch(/SEARCH s USING INDEX timeline_series_by_track \(track_id=\? AND level=\? AND file_id=\?/);
    db.close();
  });

  it('reads chunks back whatever codec stored them: none, deflate (older databases), brotli', async () => {
    const db = openDatabase(':memory:');
    const bundleId = await store(db, 5000);
    const want = listEvents(db, { bundleId, limit: 5000 });
    expect(want.length).toBe(5000);
    expect(db.prepare(`SELECT DISTINCT codec FROM trace_chunks`).pluck().all()).toEqual([2]);
    // Re-store each chunk's blobs as a database written before brotli did (1), and uncompressed (0).
    const rows = db.prepare(`SELECT id, codec, columns, args, raw FROM trace_chunks`).all() as { id: number; codec: number; columns: Buffer; args: Buffer | null; raw: Buffer | null }[];
    for (const [codec, squeeze] of [
      [1, (b: Buffer) => deflateRawSync(b, { level: 1 })],
      [0, (b: Buffer) => b],
    ] as const) {
      for (const r of rows) {
        const u = unpackChunk(r);
        db.prepare(`UPDATE trace_chunks SET codec = ?, columns = ?, args = ? WHERE id = ?`).run(codec, squeeze(u.columns), u.args === null ? null : codec === 0 ? u.args : squeeze(Buffer.from(u.args)), r.id);
      }
      expect(listEvents(db, { bundleId, limit: 5000 })).toEqual(want);
    }
    db.prepare(`UPDATE trace_chunks SET codec = 7`).run();
    expect(() => listEvents(db, { bundleId, limit: 5 })).toThrow(/codec 7/);
    db.close();
  });

  it('keeps exit statistics per vCPU: every exit is followed by an entry 200 ns later', async () => {
    const db = openDatabase(':memory:');
    const id = await store(db, 400);
    // per vCPU: 100 exits, 100 entries, each entry 200 ns after its exit (two events in between)
    expect(listExitStats(db, id).map((s) => [s.tid, s.vmPid, s.count, s.totalNs, s.minNs, s.maxNs]).sort()).toEqual([
      [101, 100, 100, 20_000, 200, 200],
      [102, 100, 100, 20_000, 200, 200],
    ]);
    db.close();
  });
});

describe('timeline buckets', () => {
  it('at every zoom the counts add up to the events in the window, from summaries or from the events', async () => {
    const db = openDatabase(':memory:');
    const n = 20_000;
    const id = await store(db, n);
    const span = traceSpan(db, id)!;
    expect(span).toEqual({ fromNs: 5_000_000_000n, toNs: 5_000_000_000n + BigInt((n - 1) * 100) });
    const sumOf = (r: ReturnType<typeof timelineBuckets>, kind: string): number =>
      r.tracks.filter((t) => t.kind === kind).reduce((a, t) => a + t.counts.reduce((x, y) => x + y, 0), 0);
    const wide = timelineBuckets(db, id, { fromNs: span.fromNs, toNs: span.toNs, buckets: 100 });
    expect(wide.source).toBe('summary');
    expect(sumOf(wide, 'cpu')).toBe(n);
    expect(sumOf(wide, 'event')).toBe(n);
    expect(sumOf(wide, 'vm')).toBe(n);
    expect(sumOf(wide, 'vcpu')).toBe(n);
    // a 10 µs window at 1 ns resolution: counted from the events, exactly 100 events
    const from = span.fromNs + 1_000_000n;
    const narrow = timelineBuckets(db, id, { fromNs: from, toNs: from + 9_999n, buckets: 10_000 });
    expect(narrow.source).toBe('events');
    expect(sumOf(narrow, 'cpu')).toBe(100);
    // the first event of the window lands in bucket 0, the second 100 buckets later
    const cpuTracks = narrow.tracks.filter((t) => t.kind === 'cpu');
    const merged = cpuTracks[0]!.counts.map((c, i) => c + cpuTracks[1]!.counts[i]!);
    expect([merged[0], merged[100], merged[50]]).toEqual([1, 1, 0]);
    db.close();
  });
});
