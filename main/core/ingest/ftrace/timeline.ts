// Timeline summaries computed at ingest: per track, event counts in time buckets at every zoom level, so
// that any zoom of a 10-million-event trace reads a few small arrays instead of the events (Perfetto and
// KernelShark do the same: zoomed-out views read summaries, narrow windows read events).
//
// Bucket widths are 1 µs · 4^level, aligned to absolute time (bucket = floor(ts / width)), so the levels of
// every file of a bundle line up. Counts accumulate at the finest level that keeps a track's span within
// MAX_BUCKETS buckets; when the trace outgrows it, every track is folded into the next level (4 buckets -> 1).
// The coarser levels are derived at the end.

export const LEVEL0_WIDTH_NS = 1000;
export const LEVEL_FACTOR = 4;
/** Buckets across the whole trace at the finest stored level: 64 Ki (a 256 KiB array per track). */
export const MAX_BUCKETS = 65_536;

export function levelWidthNs(level: number): number {
  return LEVEL0_WIDTH_NS * LEVEL_FACTOR ** level;
}

export type TrackKind = 'cpu' | 'vm' | 'vcpu' | 'event' | 'fault' | 'thread';

/** One track's buckets at one level: counts[i] is bucket `first + i`. */
export interface LevelSeries {
  readonly level: number;
  readonly first: number;
  readonly counts: Uint32Array;
  /** Host time (ns) of the KVM exits that ended in each bucket, for vCPU and VM tracks. */
  readonly hostNs: Float64Array | null;
}

class Series {
  first = 0;
  counts: Uint32Array = new Uint32Array(0);
  hostNs: Float64Array | null = null;
  empty = true;
}

export class TimelineAccumulator {
  /** The accumulation level; grows as the trace's span grows. */
  level = 0;
  private width = LEVEL0_WIDTH_NS;
  private lo = Infinity;
  private hi = -Infinity;
  private readonly ids: string[] = [];
  private readonly series: Series[] = [];
  private readonly byId = new Map<string, number>();

  /** The handle of track `kind:key`, created on first use. */
  track(kind: TrackKind, key: string): number {
    const id = kind + ':' + key;
    let t = this.byId.get(id);
    if (t === undefined) {
      t = this.series.length;
      this.byId.set(id, t);
      this.ids.push(id);
      this.series.push(new Series());
    }
    return t;
  }

  /** The bucket of `tsNs` at the current level (folding every track first if the span outgrew it). */
  bucket(tsNs: number): number {
    let b = Math.floor(tsNs / this.width);
    if (b < this.lo || b > this.hi) {
      this.lo = Math.min(this.lo, b);
      this.hi = Math.max(this.hi, b);
      while (this.hi - this.lo + 1 > MAX_BUCKETS) this.coarsen();
      b = Math.floor(tsNs / this.width);
    }
    return b;
  }

  /** Counts one event in bucket `b` (from bucket()) of `track`; `hostNs` adds exit time to the bucket. */
  addAt(track: number, b: number, hostNs = 0): void {
    const s = this.series[track]!;
    if (s.empty) {
      s.first = b;
      s.counts = new Uint32Array(64);
      s.empty = false;
    }
    let i = b - s.first;
    if (i < 0 || i >= s.counts.length) {
      this.grow(s, b);
      i = b - s.first;
    }
    s.counts[i]! += 1;
    if (hostNs !== 0) {
      if (s.hostNs === null || s.hostNs.length !== s.counts.length) s.hostNs = resizeFloat(s.hostNs, s.counts.length);
      s.hostNs[i]! += hostNs;
    }
  }

  /** Convenience for tests and small inputs: track + bucket + addAt. */
  add(kind: TrackKind, key: string, tsNs: number, hostNs = 0): void {
    const t = this.track(kind, key);
    this.addAt(t, this.bucket(tsNs), hostNs);
  }

  /**
   * Every track at every level from the accumulation level up to the level where one bucket holds the whole
   * trace: all tracks have the same levels, so a query at any level sees every track.
   */
  finish(): Map<string, LevelSeries[]> {
    let top = this.level;
    for (let lo = this.lo, hi = this.hi; hi > lo; top++) {
      lo = Math.floor(lo / LEVEL_FACTOR);
      hi = Math.floor(hi / LEVEL_FACTOR);
    }
    const out = new Map<string, LevelSeries[]>();
    for (let t = 0; t < this.series.length; t++) {
      const s = this.series[t]!;
      if (s.empty) continue;
      const id = this.ids[t]!;
      const levels: LevelSeries[] = [];
      let cur = trim(this.level, s);
      levels.push(cur);
      while (cur.level < top) {
        cur = fold(cur);
        levels.push(cur);
      }
      out.set(id, levels);
    }
    return out;
  }

  private grow(s: Series, b: number): void {
    // Events arrive mostly in time order: room is left after the last bucket, not before the first.
    const start = Math.min(s.first, b);
    const needed = Math.max(s.first + s.counts.length, b + 1) - start;
    const size = Math.max(needed, Math.min(needed * 2, MAX_BUCKETS));
    const counts = new Uint32Array(size);
    counts.set(s.counts, s.first - start);
    if (s.hostNs !== null) {
      const host = new Float64Array(size);
      host.set(s.hostNs.subarray(0, s.counts.length), s.first - start);
      s.hostNs = host;
    }
    s.first = start;
    s.counts = counts;
  }

  private coarsen(): void {
    this.level++;
    this.width *= LEVEL_FACTOR;
    this.lo = Math.floor(this.lo / LEVEL_FACTOR);
    this.hi = Math.floor(this.hi / LEVEL_FACTOR);
    for (const s of this.series) {
      if (s.empty) continue;
      const folded = fold({ level: this.level - 1, first: s.first, counts: s.counts, hostNs: s.hostNs });
      s.first = folded.first;
      s.counts = folded.counts.length > 0 ? folded.counts : new Uint32Array(1);
      s.hostNs = folded.hostNs;
    }
  }
}

function resizeFloat(a: Float64Array | null, n: number): Float64Array {
  const out = new Float64Array(n);
  if (a !== null) out.set(a.subarray(0, Math.min(a.length, n)));
  return out;
}

/** Drops the empty buckets at both ends. */
function trim(level: number, s: Series): LevelSeries {
  let a = 0;
  let b = s.counts.length;
  while (a < b && s.counts[a] === 0) a++;
  while (b > a && s.counts[b - 1] === 0) b--;
  return {
    level,
    first: s.first + a,
    counts: s.counts.slice(a, b),
    hostNs: s.hostNs === null ? null : resizeFloat(s.hostNs.subarray(a, Math.min(b, s.hostNs.length)), b - a),
  };
}

/** The next level: 4 buckets into 1, aligned to absolute time. */
export function fold(s: LevelSeries): LevelSeries {
  const first = Math.floor(s.first / LEVEL_FACTOR);
  const last = Math.floor((s.first + s.counts.length - 1) / LEVEL_FACTOR);
  const counts = new Uint32Array(Math.max(last - first + 1, 0));
  const host = s.hostNs === null ? null : new Float64Array(counts.length);
  // Bucket first + i goes to floor((first + i) / 4) - first: the target advances every LEVEL_FACTOR
  // buckets, counted from the first bucket's place in its group (this runs for every track at every
  // coarsening of a long trace: no division per bucket).
  const phase = s.first - first * LEVEL_FACTOR;
  const src = s.counts;
  for (let i = 0, j = 0, k = phase; i < src.length; i++) {
    counts[j]! += src[i]!;
    if (++k === LEVEL_FACTOR) {
      k = 0;
      j++;
    }
  }
  if (host !== null) {
    const h = s.hostNs!;
    const n = Math.min(h.length, src.length);
    for (let i = 0, j = 0, k = phase; i < n; i++) {
      host[j]! += h[i]!;
      if (++k === LEVEL_FACTOR) {
        k = 0;
        j++;
      }
    }
  }
  return { level: s.level + 1, first, counts, hostNs: host };
}

/** The bucket-wise sum of tracks' levels (all from one accumulator, so their first levels are the same). */
export function sumLevels(tracks: readonly (readonly LevelSeries[])[]): LevelSeries[] {
  const bases = tracks.map((t) => t[0]).filter((t): t is LevelSeries => t !== undefined);
  if (bases.length === 0) return [];
  let base = bases[0]!;
  for (const b of bases.slice(1)) base = sumOne(base, b);
  const topLevel = Math.max(...tracks.map((t) => t[t.length - 1]?.level ?? 0));
  const out = [base];
  let top = base;
  while (top.level < topLevel) {
    top = fold(top);
    out.push(top);
  }
  return out;
}

function sumOne(x: LevelSeries, y: LevelSeries): LevelSeries {
  const first = Math.min(x.first, y.first);
  const last = Math.max(x.first + x.counts.length, y.first + y.counts.length);
  const counts = new Uint32Array(last - first);
  const host = x.hostNs === null && y.hostNs === null ? null : new Float64Array(last - first);
  for (const s of [x, y]) {
    const o = s.first - first;
    for (let i = 0; i < s.counts.length; i++) {
      counts[o + i]! += s.counts[i]!;
      if (host !== null && s.hostNs !== null) host[o + i]! += s.hostNs[i] ?? 0;
    }
  }
  return { level: x.level, first, counts, hostNs: host };
}
