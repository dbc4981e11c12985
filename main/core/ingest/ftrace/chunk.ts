// Events are stored in columnar chunks of up to CHUNK_EVENTS events, one row per chunk: a SQLite row per
// event costs about 1 µs on this class of machine (PERFORMANCE.md: 1.05 M rows/s at best, 0.6-0.8 M measured
// here with 7-10 columns), which alone would exceed the ingest budget of 1 µs per line. A chunk row holds
// the numeric columns packed in one blob, the events' text (text traces: the raw lines as read, parsed again
// on read; binary traces: the raw records), and its time range and event names, so a time window or an
// event name selects chunks by SQL and only those are decoded (Perfetto stores its tables in columns for
// the same reason). Keeping the raw lines spares cutting and joining a million argument strings at ingest.
//
// Numeric blob layout 1 (the first written), in the platform's byte order (little-endian on every platform
// Faultline runs on); it starts with 8 zero bytes, as the first event's ts delta is 0:
//   f64 tsDelta[n]   ns since the chunk's base timestamp (exact integers)
//   i32 cpu[n]   i32 pid[n]   i32 tgid[n] (-1: unknown)   i32 comm[n]   i32 name[n] (file-local string ids)
//   i32 line[n]      1-based source line (text) or event index (trace.dat)
//   i32 rawEnd[n]    end offset of each event's payload in `raw` (binary traces; absent for text)
//
// Layout 2 (written now; readers take both): the same columns, each packed as narrow as its values allow
// (frame of reference: the column's minimum, then 0, 1, 2 or 4 bytes per value), the time, line and rawEnd
// columns as differences from the previous event (time and lines grow by small steps). Layout 1 spends 36
// bytes per trace.dat event, deflated on the second core at 90 MB/s and stored at about a third of that:
// more than the records themselves; layout 2 spends about 7.
//   u8 2 (the layout), u8 number of int columns, then per column (time first): u8 width (0: every value is
//   the base; 1, 2, 4: unsigned little-endian offsets from the base; 8: f64 values, time only), u8 delta
//   (1: the values are differences from the previous value, the first from 0), f64 base, then the values.

export const CHUNK_EVENTS = 4096;

export interface EncodedChunk {
  readonly seq: number;
  readonly count: number;
  /** Exact timestamp of the first event (bigint beyond 2^53 ns). */
  readonly baseTs: number | bigint;
  readonly minTs: number;
  readonly maxTs: number;
  /** The numeric columns packed (layout 2); packed when first read. */
  readonly columns: Uint8Array;
  /**
   * The same columns unpacked: the compression thread packs them there (storage/event-compressor.ts), which
   * takes the packing off the importing thread. Transferring them there detaches them: read one or the other.
   */
  readonly unpacked: ColumnArrays;
  /** Text traces: the raw lines the events were read from (read again by rereadArgs), or their UTF-8 bytes; else null. */
  readonly args: string | Uint8Array | null;
  /** Text traces: offset in the input just after the last event's lines (the text before can be released). */
  readonly textEnd: number;
  /** Raw event payloads back to back (binary traces), else null. */
  readonly raw: Uint8Array | null;
  /** The distinct name ids, as ",3,7," for an instr() filter. */
  readonly nameSet: string;
}

/** A chunk's numeric columns as built: `ts[i]`, and `ints[c * stride + i]` for the `intCols` int columns. */
export interface ColumnArrays {
  readonly ts: Float64Array;
  readonly ints: Int32Array;
  readonly stride: number;
  readonly count: number;
  readonly intCols: number;
}

export interface DecodedChunk {
  readonly count: number;
  readonly ts: Float64Array;
  readonly cpu: Int32Array;
  readonly pid: Int32Array;
  readonly tgid: Int32Array;
  readonly comm: Int32Array;
  readonly name: Int32Array;
  readonly line: Int32Array;
  readonly rawEnd: Int32Array | null;
}

/** Builds chunks event by event (columns preallocated, raw bytes copied as they come, no object per event). */
export class ChunkBuilder {
  private n = 0;
  private seq = 0;
  private baseTs: number | bigint = 0;
  private baseNum = 0;
  private minTs = Infinity;
  private maxTs = -Infinity;
  private ts = new Float64Array(CHUNK_EVENTS);
  private ints = new Int32Array(CHUNK_EVENTS * 7);
  private textStart = -1;
  private textEnd = 0;
  private raw = new Uint8Array(0);
  /** `raw` as 32-bit words (the same memory). */
  private rawWords = new Int32Array(0);
  private rawLength = 0;
  /** Which name ids the chunk holds (a flag per id, and the ids in order of appearance). */
  private readonly seen: number[] = [];
  private readonly names: number[] = [];

  constructor(
    private readonly binary: boolean,
    private readonly emit: (c: EncodedChunk) => void,
    /** Text traces: the input text between two offsets (FtraceTokenizer.textBetween). */
    private readonly textOf: (start: number, end: number) => string | Uint8Array = () => '',
  ) {}

  /**
   * Binary traces: where the times given to addRaw count from (tracedat/ring-buffer.ts TimeBase). A chunk's
   * base is stored whole (then a bigint) and its events as exact steps from it.
   */
  epoch = 0n;

  private begin(ts: number, tsBig: bigint | null, cpu: number, pid: number, tgid: number, comm: number, name: number, line: number): number {
    const i = this.n;
    if (i === 0) {
      this.baseTs = tsBig ?? (this.epoch === 0n ? ts : this.epoch + BigInt(ts));
      this.baseNum = ts;
    }
    // An exact time after a chunk base that is a number (the chunk began below 2^53 ns): its step from the
    // base is exact as a bigint difference, not as a difference of rounded doubles.
    this.ts[i] = tsBig !== null ? Number(tsBig - (typeof this.baseTs === 'bigint' ? this.baseTs : BigInt(this.baseTs))) : ts - this.baseNum;
    if (ts < this.minTs) this.minTs = ts;
    if (ts > this.maxTs) this.maxTs = ts;
    const ints = this.ints;
    ints[i] = cpu;
    ints[CHUNK_EVENTS + i] = pid;
    ints[2 * CHUNK_EVENTS + i] = tgid;
    ints[3 * CHUNK_EVENTS + i] = comm;
    ints[4 * CHUNK_EVENTS + i] = name;
    ints[5 * CHUNK_EVENTS + i] = line;
    if (this.seen[name] !== this.seq + 1) {
      this.seen[name] = this.seq + 1;
      this.names.push(name);
    }
    return i;
  }

  private end(i: number): void {
    this.n = i + 1;
    if (this.n === CHUNK_EVENTS) this.flush();
  }

  /** An event of a text trace, read from the input text [start, end). */
  addText(ts: number, tsBig: bigint | null, cpu: number, pid: number, tgid: number, comm: number, name: number, line: number, start: number, end: number): void {
    const i = this.begin(ts, tsBig, cpu, pid, tgid, comm, name, line);
    if (this.textStart === -1) this.textStart = start;
    if (end > this.textEnd) this.textEnd = end;
    this.end(i);
  }

  /**
   * An event of a binary trace: its record bytes `page[start, end)` are copied. `words`, when given, is the
   * page as 32-bit words (`words[k]` holds bytes 4k to 4k + 3): ring-buffer records are word-aligned and
   * whole words long, so they are copied a word at a time (4x fewer loads and stores).
   */
  addRaw(ts: number, cpu: number, pid: number, comm: number, name: number, index: number, page: Uint8Array, start: number, end: number, words: Int32Array | null = null): void {
    const i = this.begin(ts, null, cpu, pid, -1, comm, name, index);
    const len = end - start;
    if (this.rawLength + len > this.raw.length) {
      const bigger = new Uint8Array(Math.max(this.raw.length * 2, this.rawLength + len, 1 << 16));
      bigger.set(this.raw.subarray(0, this.rawLength));
      this.raw = bigger;
      this.rawWords = new Int32Array(bigger.buffer, 0, bigger.length >> 2);
    }
    // Records are a few dozen bytes: a loop is cheaper than a subarray view per record.
    const raw = this.raw;
    let o = this.rawLength;
    if (len > 128) raw.set(page.subarray(start, end), o);
    else if (words !== null && ((start | len | o) & 3) === 0) {
      const rw = this.rawWords;
      let w = o >> 2;
      for (let k = start >> 2, e = end >> 2; k < e; k++) rw[w++] = words[k]!;
    } else for (let k = start; k < end; k++) raw[o++] = page[k]!;
    this.rawLength += len;
    this.ints[6 * CHUNK_EVENTS + i] = this.rawLength;
    this.end(i);
  }

  /** Emits the events added so far as a chunk (no-op when empty). */
  flush(): void {
    const n = this.n;
    if (n === 0) return;
    // The chunk takes the column arrays (they may be transferred to the compression thread): new ones here.
    const unpacked: ColumnArrays = { ts: this.ts, ints: this.ints, stride: CHUNK_EVENTS, count: n, intCols: this.binary ? 7 : 6 };
    this.ts = new Float64Array(CHUNK_EVENTS);
    this.ints = new Int32Array(CHUNK_EVENTS * 7);
    this.emit(
      encodedChunk({
        seq: this.seq++,
        count: n,
        baseTs: this.baseTs,
        // Where the times count from an epoch, these are near enough (they only find a window's chunks).
        minTs: this.epoch === 0n ? this.minTs : this.minTs + Number(this.epoch),
        maxTs: this.epoch === 0n ? this.maxTs : this.maxTs + Number(this.epoch),
        unpacked,
        args: this.binary ? null : this.textOf(this.textStart, this.textEnd),
        textEnd: this.textEnd,
        raw: this.binary ? this.raw.slice(0, this.rawLength) : null,
        nameSet: ',' + this.names.join(',') + ',',
      }),
    );
    this.n = 0;
    this.minTs = Infinity;
    this.maxTs = -Infinity;
    this.textStart = -1;
    this.rawLength = 0;
    this.names.length = 0;
  }
}

/** A chunk whose numeric columns are packed (encodeColumns) when first read, unless the compression thread packs them. */
export function encodedChunk(parts: Omit<EncodedChunk, 'columns'>): EncodedChunk {
  let packed: Uint8Array | null = null;
  const u = parts.unpacked;
  return {
    ...parts,
    get columns(): Uint8Array {
      packed ??= encodeColumns(u.ts, u.ints, u.stride, u.count, u.intCols);
      return packed;
    },
  };
}

/** Bytes before each column's values: u8 width, u8 delta, f64 base. */
const HEADER = 10;

/**
 * Packs `n` events' columns (layout 2): `ts[i]`, and `ints[c * stride + i]` for the `intCols` int columns.
 * Self-contained (it uses nothing outside its body but built-ins): the compression thread runs its source
 * text (storage/event-compressor.ts).
 */
export function encodeColumns(ts: Float64Array, ints: Int32Array, stride: number, n: number, intCols: number): Uint8Array {
  /** Columns whose values are differences from the previous event (line, rawEnd; time always). */
  const DELTA_COLUMNS = [false, false, false, false, false, true, true];
  /** HEADER above (this body may not refer to it). */
  const COLUMN_HEADER = 10;
  const widthOf = (range: number): number => (range === 0 ? 0 : range <= 0xff ? 1 : range <= 0xffff ? 2 : 4);
  // Unsigned little-endian stores of value - base (or of the step from the previous value - base): a
  // Uint8Array store keeps the low 8 bits, `>>>` takes the value modulo 2^32 first.
  // Written twice, once per source array type, so that each loop reads one typed-array kind (a shared
  // function would be polymorphic in V8 and slower on this hot path).
  function packFloat(out: Uint8Array, at: number, src: Float64Array, n: number, w: number, base: number, delta: boolean): void {
    let last = 0;
    for (let i = 0; i < n; i++) {
      const v = src[i]!;
      const x = (delta ? v - last : v) - base;
      last = v;
      if (w === 1) out[at++] = x;
      else if (w === 2) {
        out[at++] = x;
        out[at++] = x >>> 8;
      } else {
        out[at++] = x;
        out[at++] = x >>> 8;
        out[at++] = x >>> 16;
        out[at++] = x >>> 24;
      }
    }
  }
  function packInt(out: Uint8Array, at: number, src: Int32Array, from: number, n: number, w: number, base: number, delta: boolean): void {
    let last = 0;
    for (let i = 0; i < n; i++) {
      const v = src[from + i]!;
      const x = (delta ? v - last : v) - base;
      last = v;
      if (w === 1) out[at++] = x;
      else if (w === 2) {
        out[at++] = x;
        out[at++] = x >>> 8;
      } else {
        out[at++] = x;
        out[at++] = x >>> 8;
        out[at++] = x >>> 16;
        out[at++] = x >>> 24;
      }
    }
  }
  // Pass 1: per column, the base and width (the time column as deltas when they are exact integers that fit).
  const widths: number[] = [];
  const bases: number[] = [];
  let tsMin = Infinity;
  let tsMax = -Infinity;
  let prev = 0;
  let exact = true;
  for (let i = 0; i < n; i++) {
    const d = ts[i]! - prev;
    prev = ts[i]!;
    if (!Number.isSafeInteger(ts[i]!) || !Number.isSafeInteger(d)) exact = false;
    if (d < tsMin) tsMin = d;
    if (d > tsMax) tsMax = d;
  }
  if (exact && tsMax - tsMin <= 0xffffffff) {
    bases.push(tsMin);
    widths.push(widthOf(tsMax - tsMin));
  } else {
    bases.push(0);
    widths.push(8);
  }
  const deltas: boolean[] = [widths[0] !== 8];
  for (let c = 0; c < intCols; c++) {
    const o = c * stride;
    // Differences of int32 values may span more than 32 bits: then the values themselves (they never do).
    for (const delta of DELTA_COLUMNS[c] ? [true, false] : [false]) {
      let lo = Infinity;
      let hi = -Infinity;
      let last = 0;
      for (let i = 0; i < n; i++) {
        const v = delta ? ints[o + i]! - last : ints[o + i]!;
        last = ints[o + i]!;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      if (hi - lo > 0xffffffff) continue;
      bases.push(lo);
      widths.push(widthOf(hi - lo));
      deltas.push(delta);
      break;
    }
  }
  let size = 2;
  for (const w of widths) size += COLUMN_HEADER + w * n;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out[0] = 2;
  out[1] = intCols;
  let at = 2;
  // Pass 2: the values, a loop per column and width (byte stores).
  for (let c = -1; c < intCols; c++) {
    const w = widths[c + 1]!;
    const base = bases[c + 1]!;
    const delta = deltas[c + 1]!;
    out[at] = w;
    out[at + 1] = delta ? 1 : 0;
    view.setFloat64(at + 2, base, true);
    at += COLUMN_HEADER;
    if (w === 8) {
      for (let i = 0; i < n; i++) view.setFloat64(at + i * 8, ts[i]!, true);
    } else if (w !== 0) {
      if (c === -1) packFloat(out, at, ts, n, w, base, delta);
      else packInt(out, at, ints, c * stride, n, w, base, delta);
    }
    at += w * n;
  }
  return out;
}

/** Views over a stored chunk's numeric blob (either layout; copied to aligned memory). */
export function decodeColumns(blob: Uint8Array, count: number, binary: boolean): DecodedChunk {
  const n = count;
  if (n > 0 && blob[0] === 2) return decodeLayout2(blob, n, binary);
  const buf = new ArrayBuffer(blob.length);
  new Uint8Array(buf).set(blob);
  const col = (c: number): Int32Array => new Int32Array(buf, n * 8 + c * n * 4, n);
  return {
    count: n,
    ts: new Float64Array(buf, 0, n),
    cpu: col(0),
    pid: col(1),
    tgid: col(2),
    comm: col(3),
    name: col(4),
    line: col(5),
    rawEnd: binary ? col(6) : null,
  };
}

// The inverse of packFloat / packInt: little-endian bytes, plus the base, plus the previous value for steps.
function unpackFloat(out: Float64Array, b: Uint8Array, at: number, n: number, w: number, base: number, delta: boolean): void {
  let last = 0;
  for (let i = 0; i < n; i++) {
    const x = w === 0 ? 0 : w === 1 ? b[at + i]! : w === 2 ? b[at + 2 * i]! | (b[at + 2 * i + 1]! << 8) : (b[at + 4 * i]! | (b[at + 4 * i + 1]! << 8) | (b[at + 4 * i + 2]! << 16) | (b[at + 4 * i + 3]! << 24)) >>> 0;
    const v = base + x + (delta ? last : 0);
    out[i] = v;
    last = v;
  }
}

function unpackInt(out: Int32Array, b: Uint8Array, at: number, n: number, w: number, base: number, delta: boolean): void {
  let last = 0;
  for (let i = 0; i < n; i++) {
    const x = w === 0 ? 0 : w === 1 ? b[at + i]! : w === 2 ? b[at + 2 * i]! | (b[at + 2 * i + 1]! << 8) : (b[at + 4 * i]! | (b[at + 4 * i + 1]! << 8) | (b[at + 4 * i + 2]! << 16) | (b[at + 4 * i + 3]! << 24)) >>> 0;
    const v = base + x + (delta ? last : 0);
    out[i] = v;
    last = v;
  }
}

function decodeLayout2(blob: Uint8Array, n: number, binary: boolean): DecodedChunk {
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const intCols = blob[1]!;
  const ts = new Float64Array(n);
  const ints: Int32Array[] = [];
  let at = 2;
  for (let c = -1; c < intCols; c++) {
    const w = blob[at]!;
    const delta = blob[at + 1] === 1;
    const base = view.getFloat64(at + 2, true);
    at += HEADER;
    const out = c === -1 ? ts : new Int32Array(n);
    if (w === 8) for (let i = 0; i < n; i++) out[i] = view.getFloat64(at + i * 8, true);
    else if (out instanceof Float64Array) unpackFloat(out, blob, at, n, w, base, delta);
    else unpackInt(out, blob, at, n, w, base, delta);
    at += w * n;
    if (c !== -1) ints.push(out as Int32Array);
  }
  return {
    count: n,
    ts,
    cpu: ints[0]!,
    pid: ints[1]!,
    tgid: ints[2]!,
    comm: ints[3]!,
    name: ints[4]!,
    line: ints[5]!,
    rawEnd: binary ? ints[6]! : null,
  };
}
