// Events are stored in columnar chunks of up to CHUNK_EVENTS events, one row per chunk: a SQLite row per
// event costs about 1 µs on this class of machine (PERFORMANCE.md: 1.05 M rows/s at best, 0.6-0.8 M measured
// here with 7-10 columns), which alone would exceed the ingest budget of 1 µs per line. A chunk row holds
// the numeric columns packed in one blob, the events' text (text traces: the raw lines as read, parsed again
// on read; binary traces: the raw records), and its time range and event names, so a time window or an
// event name selects chunks by SQL and only those are decoded (Perfetto stores its tables in columns for
// the same reason). Keeping the raw lines spares cutting and joining a million argument strings at ingest.
//
// Numeric blob layout, in the platform's byte order (little-endian on every platform Faultline runs on):
//   f64 tsDelta[n]   ns since the chunk's base timestamp (exact integers)
//   i32 cpu[n]   i32 pid[n]   i32 tgid[n] (-1: unknown)   i32 comm[n]   i32 name[n] (file-local string ids)
//   i32 line[n]      1-based source line (text) or event index (trace.dat)
//   i32 rawEnd[n]    end offset of each event's payload in `raw` (binary traces; absent for text)

export const CHUNK_EVENTS = 4096;

export interface EncodedChunk {
  readonly seq: number;
  readonly count: number;
  /** Exact timestamp of the first event (bigint beyond 2^53 ns). */
  readonly baseTs: number | bigint;
  readonly minTs: number;
  readonly maxTs: number;
  readonly columns: Uint8Array;
  /** Text traces: the raw lines the events were read from (read again by rereadArgs), or their UTF-8 bytes; else null. */
  readonly args: string | Uint8Array | null;
  /** Text traces: offset in the input just after the last event's lines (the text before can be released). */
  readonly textEnd: number;
  /** Raw event payloads back to back (binary traces), else null. */
  readonly raw: Uint8Array | null;
  /** The distinct name ids, as ",3,7," for an instr() filter. */
  readonly nameSet: string;
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
  private readonly ts = new Float64Array(CHUNK_EVENTS);
  private readonly ints = new Int32Array(CHUNK_EVENTS * 7);
  private textStart = -1;
  private textEnd = 0;
  private raw = new Uint8Array(0);
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

  private begin(ts: number, tsBig: bigint | null, cpu: number, pid: number, tgid: number, comm: number, name: number, line: number): number {
    const i = this.n;
    if (i === 0) {
      this.baseTs = tsBig ?? ts;
      this.baseNum = ts;
    }
    this.ts[i] = tsBig !== null && typeof this.baseTs === 'bigint' ? Number(tsBig - this.baseTs) : ts - this.baseNum;
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

  /** An event of a binary trace: its record bytes `page[start, end)` are copied. */
  addRaw(ts: number, cpu: number, pid: number, comm: number, name: number, index: number, page: Uint8Array, start: number, end: number): void {
    const i = this.begin(ts, null, cpu, pid, -1, comm, name, index);
    const len = end - start;
    if (this.rawLength + len > this.raw.length) {
      const bigger = new Uint8Array(Math.max(this.raw.length * 2, this.rawLength + len, 1 << 16));
      bigger.set(this.raw.subarray(0, this.rawLength));
      this.raw = bigger;
    }
    // Records are a few dozen bytes: a loop is cheaper than a subarray view per record.
    const raw = this.raw;
    let o = this.rawLength;
    if (len <= 128) for (let k = start; k < end; k++) raw[o++] = page[k]!;
    else raw.set(page.subarray(start, end), o);
    this.rawLength += len;
    this.ints[6 * CHUNK_EVENTS + i] = this.rawLength;
    this.end(i);
  }

  /** Emits the events added so far as a chunk (no-op when empty). */
  flush(): void {
    const n = this.n;
    if (n === 0) return;
    const intCols = this.binary ? 7 : 6;
    const columns = new Uint8Array(n * 8 + n * 4 * intCols);
    columns.set(new Uint8Array(this.ts.buffer, 0, n * 8), 0);
    for (let c = 0; c < intCols; c++) {
      columns.set(new Uint8Array(this.ints.buffer, c * CHUNK_EVENTS * 4, n * 4), n * 8 + c * n * 4);
    }
    this.emit({
      seq: this.seq++,
      count: n,
      baseTs: this.baseTs,
      minTs: this.minTs,
      maxTs: this.maxTs,
      columns,
      args: this.binary ? null : this.textOf(this.textStart, this.textEnd),
      textEnd: this.textEnd,
      raw: this.binary ? this.raw.slice(0, this.rawLength) : null,
      nameSet: ',' + this.names.join(',') + ',',
    });
    this.n = 0;
    this.minTs = Infinity;
    this.maxTs = -Infinity;
    this.textStart = -1;
    this.rawLength = 0;
    this.names.length = 0;
  }
}

/** Views over a stored chunk's numeric blob (copied to aligned memory). */
export function decodeColumns(blob: Uint8Array, count: number, binary: boolean): DecodedChunk {
  const buf = new ArrayBuffer(blob.length);
  new Uint8Array(buf).set(blob);
  const n = count;
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
