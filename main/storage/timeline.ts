// Timeline summaries (migration 0003): the per-track, per-level bucket counts written at ingest, and the
// query the timeline view asks at every zoom: `timelineBuckets(db, bundleId, { fromNs, toNs, buckets })`
// returns, for each track, `buckets` counts over [fromNs, toNs]. It reads one level's blob slice per track
// and file (the finest level not finer than the requested bucket width), or, for a window holding few
// events and asking for more detail than the finest level has, the events themselves.
import { writeTransaction, type Db } from './db';
import type { TrackSeries } from '../core/ingest/ftrace/trace-summary';
import { levelWidthNs } from '../core/ingest/ftrace/timeline';
import { decodeColumns } from '../core/ingest/ftrace/chunk';
import { unpackChunk } from './events';

export type TrackKind = TrackSeries['kind'];

/** Windows with at most this many events are counted from the events when the summaries are too coarse. */
export const RAW_EVENT_LIMIT = 200_000;

export function writeTimeline(db: Db, bundleId: number, fileId: number, tracks: readonly TrackSeries[]): void {
  const upsert = db.prepare(`INSERT INTO timeline_tracks (bundle_id, kind, key, label) VALUES (?, ?, ?, ?) ON CONFLICT (bundle_id, kind, key) DO NOTHING`);
  const idOf = db.prepare(`SELECT id FROM timeline_tracks WHERE bundle_id = ? AND kind = ? AND key = ?`).pluck();
  const ins = db.prepare(
    `INSERT INTO timeline_series (track_id, file_id, level, first_bucket, buckets, total, counts, host_ns) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const levels = tracks.flatMap((t) => t.levels.map((l) => l.level));
  writeTransaction(db, () => {
    if (levels.length > 0) {
      db.prepare(`UPDATE trace_files SET min_level = ?, max_level = ? WHERE file_id = ?`).run(Math.min(...levels), Math.max(...levels), fileId);
    }
    for (const t of tracks) {
      upsert.run(bundleId, t.kind, t.key, t.label);
      const trackId = idOf.get(bundleId, t.kind, t.key) as number;
      for (const l of t.levels) {
        let total = 0;
        for (const c of l.counts) total += c;
        ins.run(
          trackId, fileId, l.level, l.first, l.counts.length, total,
          Buffer.from(l.counts.buffer, l.counts.byteOffset, l.counts.byteLength),
          l.hostNs === null ? null : Buffer.from(l.hostNs.buffer, l.hostNs.byteOffset, l.hostNs.byteLength),
        );
      }
    }
  });
}

export interface TimelineQuery {
  readonly fromNs: bigint;
  readonly toNs: bigint;
  /** Number of output buckets (pixels, typically). */
  readonly buckets: number;
}

export interface TimelineTrack {
  readonly kind: TrackKind;
  readonly key: string;
  readonly label: string;
  readonly counts: number[];
  /** Host time (ns) of the KVM exits that ended in each bucket (vCPU and VM tracks), else null. */
  readonly hostNs: number[] | null;
}

export interface TimelineResult {
  readonly fromNs: bigint;
  readonly toNs: bigint;
  readonly bucketNs: number;
  /** 'summary' with the level read, or 'events' when counted from the events. */
  readonly source: 'summary' | 'events';
  readonly level: number | null;
  readonly tracks: TimelineTrack[];
}

interface SeriesRow {
  readonly kind: TrackKind;
  readonly key: string;
  readonly label: string;
  readonly level: number;
  readonly first_bucket: number;
  readonly buckets: number;
  readonly counts: Buffer;
  readonly host_ns: Buffer | null;
}

/** Time span of a bundle's trace events, or null when it has none. */
export function traceSpan(db: Db, bundleId: number): { fromNs: bigint; toNs: bigint } | null {
  const r = db
    .prepare(`SELECT min(min_ts) AS a, max(max_ts) AS b FROM trace_files WHERE bundle_id = ? AND events > 0`)
    .safeIntegers(true)
    .get(bundleId) as { a: bigint | null; b: bigint | null };
  return r.a === null || r.b === null ? null : { fromNs: r.a, toNs: r.b };
}

/** All tracks of a bundle, in display order: VMs, vCPUs, CPUs, fault kinds, event names. */
export function listTracks(db: Db, bundleId: number): { kind: TrackKind; key: string; label: string }[] {
  return db
    .prepare(
      `SELECT kind, key, label FROM timeline_tracks WHERE bundle_id = ?
        ORDER BY CASE kind WHEN 'vm' THEN 0 WHEN 'vcpu' THEN 1 WHEN 'cpu' THEN 2 WHEN 'fault' THEN 3 ELSE 4 END,
                 CAST(key AS INTEGER), key`,
    )
    .all(bundleId) as { kind: TrackKind; key: string; label: string }[];
}

function emptyTracks(db: Db, bundleId: number, n: number, withHost: boolean): Map<string, TimelineTrack> {
  const out = new Map<string, TimelineTrack>();
  for (const t of listTracks(db, bundleId)) {
    const host = withHost && (t.kind === 'vcpu' || t.kind === 'vm') ? new Array<number>(n).fill(0) : null;
    out.set(`${t.kind}:${t.key}`, { ...t, counts: new Array<number>(n).fill(0), hostNs: host });
  }
  return out;
}

/** The finest and coarsest level per file (every track of a file has all of them). */
function fileLevels(db: Db, bundleId: number): Map<number, { min: number; max: number }> {
  const rows = db
    .prepare(`SELECT file_id AS fileId, min_level AS lo, max_level AS hi FROM trace_files WHERE bundle_id = ? AND min_level IS NOT NULL`)
    .all(bundleId) as { fileId: number; lo: number; hi: number }[];
  return new Map(rows.map((r) => [r.fileId, { min: r.lo, max: r.hi }]));
}

/** Counts per track in `q.buckets` buckets over [fromNs, toNs]. */
export function timelineBuckets(db: Db, bundleId: number, q: TimelineQuery): TimelineResult {
  const n = Math.max(1, Math.min(q.buckets, 100_000));
  const span = Number(q.toNs - q.fromNs) + 1;
  const bucketNs = span / n;
  const levels = fileLevels(db, bundleId);
  let wanted = 0;
  while (levelWidthNs(wanted + 1) <= bucketNs) wanted++;
  // The summaries cannot resolve buckets narrower than their finest level: count the events instead, if few.
  const tooCoarse = [...levels.values()].some((l) => levelWidthNs(l.min) > bucketNs);
  if (tooCoarse && estimateEvents(db, bundleId, q, levels) <= RAW_EVENT_LIMIT) return fromEvents(db, bundleId, q, n, bucketNs);
  const tracks = emptyTracks(db, bundleId, n, true);
  const rows = db.prepare(
    `SELECT t.kind, t.key, t.label, s.level, s.first_bucket, s.buckets, s.counts, s.host_ns
       FROM timeline_tracks t JOIN timeline_series s INDEXED BY timeline_series_by_track ON s.track_id = t.id
      WHERE t.bundle_id = ? AND s.level = ? AND s.file_id = ? AND s.first_bucket <= ? AND s.first_bucket + s.buckets > ?`,
  );
  let used: number | null = null;
  for (const [fileId, l] of levels) {
    const level = Math.min(Math.max(l.min, wanted), l.max);
    used = used === null ? level : Math.max(used, level);
    const w = levelWidthNs(level);
    const lo = Math.floor(Number(q.fromNs) / w);
    const hi = Math.floor(Number(q.toNs) / w);
    for (const r of rows.iterate(bundleId, level, fileId, hi, lo) as IterableIterator<SeriesRow>) addSeries(tracks, r, lo, hi, w, q.fromNs, bucketNs, n);
  }
  return { fromNs: q.fromNs, toNs: q.toNs, bucketNs, source: 'summary', level: used, tracks: [...tracks.values()] };
}

/** Adds a stored series' buckets in [lo, hi] to the output buckets containing their midpoints. */
function addSeries(tracks: Map<string, TimelineTrack>, r: SeriesRow, lo: number, hi: number, w: number, from: bigint, bucketNs: number, n: number): void {
  const t = tracks.get(`${r.kind}:${r.key}`);
  if (t === undefined) return;
  const a = Math.max(lo, r.first_bucket);
  const b = Math.min(hi, r.first_bucket + r.buckets - 1);
  if (a > b) return;
  const counts = new Uint32Array(r.counts.buffer.slice(r.counts.byteOffset, r.counts.byteOffset + r.counts.byteLength));
  const host = r.host_ns === null ? null : new Float64Array(r.host_ns.buffer.slice(r.host_ns.byteOffset, r.host_ns.byteOffset + r.host_ns.byteLength));
  const f = Number(from);
  for (let bucket = a; bucket <= b; bucket++) {
    const c = counts[bucket - r.first_bucket]!;
    if (c === 0) continue;
    const mid = bucket * w + w / 2;
    const i = Math.min(n - 1, Math.max(0, Math.floor((mid - f) / bucketNs)));
    t.counts[i]! += c;
    if (host !== null && t.hostNs !== null) t.hostNs[i]! += host[bucket - r.first_bucket] ?? 0;
  }
}

/**
 * An upper bound of the events in the window: the CPU tracks' buckets that overlap it, at the level whose
 * buckets are as wide as the window (one or two buckets per track to read).
 */
function estimateEvents(db: Db, bundleId: number, q: TimelineQuery, levels: ReadonlyMap<number, { min: number; max: number }>): number {
  const windowNs = Number(q.toNs - q.fromNs) + 1;
  const stmt = db.prepare(
    `SELECT s.first_bucket, s.buckets, s.counts FROM timeline_tracks t JOIN timeline_series s INDEXED BY timeline_series_by_track ON s.track_id = t.id
      WHERE t.bundle_id = ? AND t.kind = 'cpu' AND s.level = ? AND s.file_id = ? AND s.first_bucket <= ? AND s.first_bucket + s.buckets > ?`,
  );
  let total = 0;
  for (const [fileId, l] of levels) {
    let level = l.min;
    while (level < l.max && levelWidthNs(level) < windowNs) level++;
    const w = levelWidthNs(level);
    const lo = Math.floor(Number(q.fromNs) / w);
    const hi = Math.floor(Number(q.toNs) / w);
    for (const r of stmt.iterate(bundleId, level, fileId, hi, lo) as IterableIterator<{ first_bucket: number; buckets: number; counts: Buffer }>) {
      const counts = new Uint32Array(r.counts.buffer.slice(r.counts.byteOffset, r.counts.byteOffset + r.counts.byteLength));
      for (let b = Math.max(lo, r.first_bucket); b <= Math.min(hi, r.first_bucket + r.buckets - 1); b++) total += counts[b - r.first_bucket]!;
    }
  }
  return total;
}

interface ThreadRow {
  readonly tid: number;
  readonly vm_pid: number | null;
  readonly is_vcpu: number;
}

/** Exact counts from the events of a narrow window (numeric columns only; no text is decoded). */
function fromEvents(db: Db, bundleId: number, q: TimelineQuery, n: number, bucketNs: number): TimelineResult {
  const tracks = emptyTracks(db, bundleId, n, false);
  const files = db.prepare(`SELECT file_id AS fileId FROM trace_files WHERE bundle_id = ?`).all(bundleId) as { fileId: number }[];
  const span = Number(q.toNs - q.fromNs);
  for (const f of files) {
    // Per file: the tracks each CPU, event name and thread counts into, resolved once.
    const byName: number[][][] = [];
    for (const r of db.prepare(`SELECT id, text FROM trace_strings WHERE file_id = ? AND kind = 1`).all(f.fileId) as { id: number; text: string }[]) {
      const fault = r.text === 'kvm_guest_fault' ? tracks.get('fault:kvm_guest_fault') : r.text === 'kvm_mmio_nisv' ? tracks.get('fault:kvm_nisv') : undefined;
      byName[r.id] = [tracks.get(`event:${r.text}`), fault].filter((t) => t !== undefined).map((t) => t!.counts);
    }
    const byThread = new Map<number, number[][]>();
    for (const t of db.prepare(`SELECT tid, vm_pid, is_vcpu FROM trace_threads WHERE file_id = ?`).all(f.fileId) as ThreadRow[]) {
      const list = [t.is_vcpu === 1 ? tracks.get(`vcpu:${t.tid}`) : undefined, t.vm_pid !== null ? tracks.get(`vm:${t.vm_pid}`) : undefined];
      byThread.set(t.tid, list.filter((x) => x !== undefined).map((x) => x!.counts));
    }
    const byCpu = new Map<number, number[] | undefined>();
    const chunks = db
      .prepare(`SELECT count, base_ts, codec, columns, raw IS NOT NULL AS binary FROM trace_chunks WHERE file_id = ? AND max_ts >= ? AND min_ts <= ? ORDER BY seq`)
      .safeIntegers(true)
      .all(f.fileId, q.fromNs, q.toNs) as { count: bigint; base_ts: bigint; codec: bigint; columns: Buffer; binary: bigint }[];
    for (const c of chunks) {
      const { columns } = unpackChunk({ codec: c.codec, columns: c.columns, args: null, raw: null });
      const d = decodeColumns(columns, Number(c.count), c.binary === 1n);
      const base = Number(c.base_ts - q.fromNs);
      for (let i = 0; i < d.count; i++) {
        const rel = base + d.ts[i]!;
        if (rel < 0 || rel > span) continue;
        const b = Math.min(n - 1, Math.floor(rel / bucketNs));
        const cpu = d.cpu[i]!;
        let ct = byCpu.get(cpu);
        if (!byCpu.has(cpu)) {
          ct = tracks.get(`cpu:${cpu}`)?.counts;
          byCpu.set(cpu, ct);
        }
        if (ct !== undefined) ct[b]! += 1;
        for (const arr of byName[d.name[i]!] ?? []) arr[b]! += 1;
        for (const arr of byThread.get(d.pid[i]!) ?? []) arr[b]! += 1;
      }
    }
  }
  return { fromNs: q.fromNs, toNs: q.toNs, bucketNs, source: 'events', level: null, tracks: [...tracks.values()] };
}
