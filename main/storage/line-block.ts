// The stored form of log lines (migration 0004): runs of consecutive lines of one file packed into one row,
// so that storing a line costs a few typed-array writes instead of an SQLite row (one row per line held
// ingest near 300k lines/s: ../shared/docs/PERFORMANCE.md puts a row at ~0.8-1.7 µs, and two cores have
// 2 µs per line in all at the 1M lines/s target). A block is two blobs:
//
//   meta  header (8 bytes): u8 version (2), u8 flags, u16 zero, u32 count n; then, little-endian,
//         int64 ts_ns  x n   if flags & HAS_TS     (TS_NULL where a line has no time)
//         uint32 chars x n                         (each text's length in UTF-16 code units)
//         int32 cpu    x n   if flags & HAS_CPU    (-1: none)
//         int32 pid    x n   if flags & HAS_PID    (-1: none)
//         int8 level   x n   if flags & HAS_LEVEL  (-1: none)
//   text  the n texts one after the other, each but the last followed by an LF, UTF-8 (texts may hold
//         any character, newlines included)
//
// Columns a whole block lacks are left out (most dmesg lines carry no CPU or PID). Used by the importing
// thread and by the line reader thread alike.
//
// Version 2 separates the texts with one LF each (version 1, still read, had no separator): the texts of
// a run of lines read from a log are then one piece of the decoded input, stored without being cut into
// lines and joined again. A text may itself hold an LF (a journal message): the lengths say where each
// ends, the separator is only skipped.
import { Buffer, isAscii } from 'node:buffer';

export const BLOCK_VERSION = 2;
/** Lines per block: a page of the log view decodes one or two blocks (~60 KB of text). */
export const BLOCK_LINES = 1000;
/** A block is closed early once its texts reach this many characters (a file of very long lines). */
export const BLOCK_MAX_CHARS = 1 << 20;

const HAS_TS = 1;
const HAS_CPU = 2;
const HAS_PID = 4;
const HAS_LEVEL = 8;
const HEADER = 8;
const TWO_32 = 2 ** 32;
/** The host's byte order: ts32 holds an int64's low half first only on a little-endian host. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** The int64 that stands for "no time" (no kernel timestamp is -2^63 ns). */
export const TS_NULL = -(2n ** 63n);

export interface EncodedBlock {
  readonly meta: Uint8Array;
  readonly text: Uint8Array;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8');

function anyAtLeastZero(a: Int32Array | Int8Array, from: number, n: number): boolean {
  for (let i = from; i < from + n; i++) if (a[i]! >= 0) return true;
  return false;
}

/** Packs rows [from, from + n) of `c`; `texts` is those rows' texts joined by LF (LineColumns.joined). */
export function encodeBlock(c: LineColumns, from: number, n: number, texts: string): EncodedBlock {
  let hasTs = false;
  for (let i = from; i < from + n; i++) {
    if (c.tsNull[i] === 0) {
      hasTs = true;
      break;
    }
  }
  const hasCpu = anyAtLeastZero(c.cpu, from, n);
  const hasPid = anyAtLeastZero(c.pid, from, n);
  const hasLevel = anyAtLeastZero(c.level, from, n);
  const size = HEADER + (hasTs ? 8 * n : 0) + 4 * n + (hasCpu ? 4 * n : 0) + (hasPid ? 4 * n : 0) + (hasLevel ? n : 0);
  const buf = new ArrayBuffer(size);
  const head = new DataView(buf, 0, HEADER);
  head.setUint8(0, BLOCK_VERSION);
  head.setUint8(1, (hasTs ? HAS_TS : 0) | (hasCpu ? HAS_CPU : 0) | (hasPid ? HAS_PID : 0) | (hasLevel ? HAS_LEVEL : 0));
  head.setUint32(4, n, true);
  let at = HEADER;
  if (hasTs) {
    const ts = new BigInt64Array(buf, at, n);
    ts.set(c.ts.subarray(from, from + n));
    for (let i = 0; i < n; i++) if (c.tsNull[from + i] === 1) ts[i] = TS_NULL;
    at += 8 * n;
  }
  new Int32Array(buf, at, n).set(c.textLength.subarray(from, from + n));
  at += 4 * n;
  if (hasCpu) {
    new Int32Array(buf, at, n).set(c.cpu.subarray(from, from + n));
    at += 4 * n;
  }
  if (hasPid) {
    new Int32Array(buf, at, n).set(c.pid.subarray(from, from + n));
    at += 4 * n;
  }
  if (hasLevel) new Int8Array(buf, at, n).set(c.level.subarray(from, from + n));
  return { meta: new Uint8Array(buf), text: encoder.encode(texts) };
}

/** One row of `line_blocks`: lines first..first + count - 1 of a file, id = lineId(file, first). */
export interface BlockRow {
  readonly firstLine: number;
  readonly count: number;
  readonly meta: Uint8Array;
  readonly text: Uint8Array;
}

/**
 * Cuts the rows of a batch into blocks: a block ends after BLOCK_LINES lines, once its texts reach
 * BLOCK_MAX_CHARS, and wherever line numbers are not consecutive.
 */
export function* batchBlocks(c: LineColumns): Generator<BlockRow> {
  const count = c.count;
  let from = 0;
  while (from < count) {
    let n = 1;
    let chars = c.textLength[from]!;
    while (from + n < count && n < BLOCK_LINES && chars < BLOCK_MAX_CHARS && c.lineNo[from + n] === c.lineNo[from + n - 1]! + 1) {
      chars += c.textLength[from + n]!;
      n++;
    }
    const { meta, text } = encodeBlock(c, from, n, c.joined(from, n));
    yield { firstLine: c.lineNo[from]!, count: n, meta, text };
    from += n;
  }
}

/**
 * Column buffers for a batch of lines, filled one line at a time (null numbers as -1). A line's text is
 * kept as where it is in the text it was read from: lines that follow each other there, one LF apart,
 * make one run, and a block's texts are then one slice of that text (`joined`).
 */
export class LineColumns {
  readonly lineNo: Int32Array;
  readonly ts: BigInt64Array;
  /** `ts` as 32-bit halves (setTime). */
  private readonly ts32: Uint32Array;
  /** The last time base split into halves. */
  private base = 0n;
  private baseLo = 0;
  private baseHi = 0;
  readonly tsNull: Uint8Array;
  readonly cpu: Int32Array;
  readonly pid: Int32Array;
  readonly level: Int8Array;
  readonly textLength: Int32Array;
  /** Row i's text is runText[run[i]] from textStart[i] on, textLength[i] characters long. */
  private readonly run: Int32Array;
  private readonly textStart: Int32Array;
  private readonly runText: string[] = [];
  /** Where the last row's text ends in its run's text. */
  private lastEnd = -1;
  count = 0;

  constructor(readonly capacity: number) {
    this.lineNo = new Int32Array(capacity);
    this.ts = new BigInt64Array(capacity);
    this.ts32 = new Uint32Array(this.ts.buffer);
    this.tsNull = new Uint8Array(capacity);
    this.cpu = new Int32Array(capacity);
    this.pid = new Int32Array(capacity);
    this.level = new Int8Array(capacity);
    this.textLength = new Int32Array(capacity);
    this.run = new Int32Array(capacity);
    this.textStart = new Int32Array(capacity);
  }

  add(lineNo: number, tsNs: bigint | null, cpu: number | null, pid: number | null, level: number | null, text: string): void {
    this.addIn(lineNo, tsNs, 0, cpu, pid, level, text, 0, text.length);
  }

  /**
   * A line whose time is tsBase + tsOff ns (none when tsBase is null; tsOff a non-negative safe integer,
   * as the tokenizer gives it: no BigInt is made for the sum) and whose text is `text[start, end)`.
   */
  addIn(lineNo: number, tsBase: bigint | null, tsOff: number, cpu: number | null, pid: number | null, level: number | null, text: string, start: number, end: number): void {
    const i = this.count++;
    this.lineNo[i] = lineNo;
    this.tsNull[i] = tsBase === null ? 1 : 0;
    if (tsBase !== null) {
      if (tsOff !== 0 && LITTLE_ENDIAN) this.setTime(i, tsBase, tsOff);
      else this.ts[i] = tsOff === 0 ? tsBase : tsBase + BigInt(tsOff);
    }
    this.cpu[i] = cpu ?? -1;
    this.pid[i] = pid ?? -1;
    this.level[i] = level ?? -1;
    this.textLength[i] = end - start;
    this.textStart[i] = start;
    const runs = this.runText.length;
    if (runs > 0 && this.runText[runs - 1] === text && start === this.lastEnd + 1 && text.charCodeAt(this.lastEnd) === 10) {
      this.run[i] = runs - 1;
    } else {
      this.run[i] = runs;
      this.runText.push(text);
    }
    this.lastEnd = end;
  }

  /** Empties the columns for the next batch (the arrays are kept: every column of a row is written again). */
  clear(): void {
    this.count = 0;
    this.runText.length = 0;
    this.lastEnd = -1;
  }

  /** ts[i] = base + off, written as the two 32-bit halves of the little-endian int64. */
  private setTime(i: number, base: bigint, off: number): void {
    if (base !== this.base) {
      this.base = base;
      const u = BigInt.asUintN(64, base);
      this.baseLo = Number(u & 0xffffffffn);
      this.baseHi = Number(u >> 32n);
    }
    const offLo = off % TWO_32;
    let lo = this.baseLo + offLo;
    let hi = this.baseHi + (off - offLo) / TWO_32;
    if (lo >= TWO_32) {
      lo -= TWO_32;
      hi++;
    }
    this.ts32[2 * i] = lo;
    this.ts32[2 * i + 1] = hi; // stored modulo 2^32: the int64's two's complement
  }

  /** The texts of rows [from, from + n) joined by LF: a slice of one text when they are one run. */
  joined(from: number, n: number): string {
    const to = from + n;
    const pieces: string[] = [];
    for (let i = from; i < to; ) {
      const r = this.run[i]!;
      let j = i;
      while (j + 1 < to && this.run[j + 1] === r) j++;
      pieces.push(this.runText[r]!.slice(this.textStart[i], this.textStart[j]! + this.textLength[j]!));
      i = j + 1;
    }
    return pieces.length === 1 ? pieces[0]! : pieces.join('\n');
  }
}

export interface DecodedLine {
  readonly tsNs: bigint | null;
  readonly cpu: number | null;
  readonly pid: number | null;
  readonly level: number | null;
  readonly text: string;
}

/** A block's text blob as a string. ASCII (most logs) decodes as Latin-1, a copy, where TextDecoder costs more. */
function blockText(text: Uint8Array): string {
  return isAscii(text) ? Buffer.from(text.buffer, text.byteOffset, text.byteLength).toString('latin1') : decoder.decode(text);
}

/** A stored block, read back; `line(i)` is its i-th line (0-based). */
export class DecodedBlock {
  readonly count: number;
  private readonly ts: BigInt64Array | null;
  private readonly chars: Uint32Array;
  private readonly starts: Uint32Array;
  private readonly cpu: Int32Array | null;
  private readonly pid: Int32Array | null;
  private readonly level: Int8Array | null;
  private readonly text: string;

  constructor(meta: Uint8Array, text: Uint8Array) {
    if (meta.length < HEADER) throw new Error('line block: meta shorter than its header');
    // A copy: the blob's bytes need not be aligned for the typed views.
    const buf = meta.slice().buffer;
    const head = new DataView(buf, 0, HEADER);
    const version = head.getUint8(0);
    if (version !== 1 && version !== BLOCK_VERSION) throw new Error(`line block: version ${version} is not known`);
    const flags = head.getUint8(1);
    const n = head.getUint32(4, true);
    const size = HEADER + (flags & HAS_TS ? 8 * n : 0) + 4 * n + (flags & HAS_CPU ? 4 * n : 0) + (flags & HAS_PID ? 4 * n : 0) + (flags & HAS_LEVEL ? n : 0);
    if (meta.length !== size) throw new Error(`line block: meta is ${meta.length} bytes, ${size} expected for ${n} lines`);
    this.count = n;
    let at = HEADER;
    this.ts = flags & HAS_TS ? new BigInt64Array(buf, at, n) : null;
    at += flags & HAS_TS ? 8 * n : 0;
    this.chars = new Uint32Array(buf, at, n);
    at += 4 * n;
    this.cpu = flags & HAS_CPU ? new Int32Array(buf, at, n) : null;
    at += flags & HAS_CPU ? 4 * n : 0;
    this.pid = flags & HAS_PID ? new Int32Array(buf, at, n) : null;
    at += flags & HAS_PID ? 4 * n : 0;
    this.level = flags & HAS_LEVEL ? new Int8Array(buf, at, n) : null;
    this.text = blockText(text);
    const separator = version === 1 ? 0 : 1;
    this.starts = new Uint32Array(n + 1);
    for (let i = 0; i < n; i++) this.starts[i + 1] = this.starts[i]! + this.chars[i]! + separator;
    const expected = n === 0 ? 0 : this.starts[n]! - separator;
    if (expected !== this.text.length) throw new Error(`line block: texts hold ${this.text.length} characters, lengths say ${expected}`);
  }

  textOf(i: number): string {
    return this.text.slice(this.starts[i], this.endOf(i));
  }

  /** All the block's texts, in order, as stored (version 2: joined by LF). */
  get texts(): string {
    return this.text;
  }

  private endOf(i: number): number {
    return this.starts[i]! + this.chars[i]!;
  }

  tsAt(i: number): bigint | null {
    const ts = this.ts === null ? TS_NULL : this.ts[i]!;
    return ts === TS_NULL ? null : ts;
  }

  cpuAt(i: number): number | null {
    return this.cpu === null || this.cpu[i]! < 0 ? null : this.cpu[i]!;
  }

  pidAt(i: number): number | null {
    return this.pid === null || this.pid[i]! < 0 ? null : this.pid[i]!;
  }

  levelAt(i: number): number | null {
    return this.level === null || this.level[i]! < 0 ? null : this.level[i]!;
  }

  line(i: number): DecodedLine {
    return { tsNs: this.tsAt(i), cpu: this.cpuAt(i), pid: this.pidAt(i), level: this.levelAt(i), text: this.textOf(i) };
  }
}
