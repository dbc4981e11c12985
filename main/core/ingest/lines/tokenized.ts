// Tokenized log lines as columns: what one thread hands another after splitting and tokenizing a log, so
// that the receiver gets every LogLine back without reading the text again. Typed arrays travel between
// threads without a copy; the texts go as one string. Problems found on the way (invalid UTF-8, cut
// lines, binary junk, journal lines that are not JSON) travel with the lines they were found on.
import type { Clock } from './timestamps';
import type { LogLine } from './log-line';

export interface LineProblemNote {
  readonly kind: string;
  readonly lineNo: number;
  readonly detail: string;
}

export interface TokenizedBatch {
  readonly firstLine: number;
  readonly count: number;
  /** Every text is ASCII (the producer knows it from the bytes: a cheaper way across threads). */
  readonly ascii: boolean;
  /** Every line's text, one after the other; `textLength` says where each ends. */
  readonly texts: string;
  readonly textLength: Int32Array;
  /** Where the message starts in the line's text. */
  readonly messageStart: Int32Array;
  readonly ts: BigInt64Array;
  /** Bit 0: no time; bit 1: prefixed; bits 2-3: clock (CLOCKS index). */
  readonly flags: Uint8Array;
  /** -1: none. */
  readonly cpu: Int32Array;
  readonly pid: Int32Array;
  readonly level: Int8Array;
  /** Index into `strings`, -1: none. */
  readonly host: Int32Array;
  readonly ident: Int32Array;
  readonly strings: readonly string[];
  readonly problems: readonly LineProblemNote[];
}

const CLOCKS: readonly (Clock | null)[] = [null, 'monotonic', 'realtime', 'time-of-day'];
const NO_TS = 1;
const PREFIXED = 2;

function clockCode(c: Clock | null): number {
  return c === null ? 0 : c === 'monotonic' ? 1 : c === 'realtime' ? 2 : 3;
}

/** Fills one batch, line by line, in order (line numbers consecutive from the first). */
export class TokenizedBatchBuilder {
  private readonly textLength: Int32Array;
  private readonly messageStart: Int32Array;
  private readonly ts: BigInt64Array;
  private readonly flags: Uint8Array;
  private readonly cpu: Int32Array;
  private readonly pid: Int32Array;
  private readonly level: Int8Array;
  private readonly host: Int32Array;
  private readonly ident: Int32Array;
  private readonly texts: string[] = [];
  private readonly strings: string[] = [];
  private readonly stringIndex = new Map<string, number>();
  private readonly problems: LineProblemNote[] = [];
  private firstLine = 0;
  count = 0;

  /** `ascii`: whether every text added will be ASCII; `notAscii()` takes it back. */
  constructor(
    readonly capacity: number,
    private ascii = false,
  ) {
    this.textLength = new Int32Array(capacity);
    this.messageStart = new Int32Array(capacity);
    this.ts = new BigInt64Array(capacity);
    this.flags = new Uint8Array(capacity);
    this.cpu = new Int32Array(capacity);
    this.pid = new Int32Array(capacity);
    this.level = new Int8Array(capacity);
    this.host = new Int32Array(capacity);
    this.ident = new Int32Array(capacity);
  }

  notAscii(): void {
    this.ascii = false;
  }

  get hasProblems(): boolean {
    return this.problems.length > 0;
  }

  get full(): boolean {
    return this.count === this.capacity;
  }

  /** `messageStart`: where in `text` the message begins (the tokenizer's cursor). */
  add(text: string, messageStart: number, lineNo: number, tsNs: bigint | null, clock: Clock | null, prefixed: boolean, cpu: number | null, pid: number | null, level: number | null, host: string | null, ident: string | null): void {
    const i = this.count++;
    if (i === 0) this.firstLine = lineNo;
    else if (lineNo !== this.firstLine + i) throw new Error(`tokenized batch: line ${lineNo} after line ${this.firstLine + i - 1}`);
    this.texts.push(text);
    this.textLength[i] = text.length;
    this.messageStart[i] = messageStart;
    if (tsNs !== null) this.ts[i] = tsNs;
    this.flags[i] = (tsNs === null ? NO_TS : 0) | (prefixed ? PREFIXED : 0) | (clockCode(clock) << 2);
    this.cpu[i] = cpu ?? -1;
    this.pid[i] = pid ?? -1;
    this.level[i] = level ?? -1;
    this.host[i] = this.intern(host);
    this.ident[i] = this.intern(ident);
  }

  problem(kind: string, lineNo: number, detail: string): void {
    this.problems.push({ kind, lineNo, detail });
  }

  /** The batch (its arrays cut to the lines added); the builder is not to be used after. */
  finish(): TokenizedBatch {
    const n = this.count;
    const cut = <T extends { slice(a: number, b: number): T }>(a: T): T => (n === this.capacity ? a : a.slice(0, n));
    return {
      firstLine: this.firstLine,
      count: n,
      ascii: this.ascii,
      texts: this.texts.join(''),
      textLength: cut(this.textLength),
      messageStart: cut(this.messageStart),
      ts: cut(this.ts),
      flags: cut(this.flags),
      cpu: cut(this.cpu),
      pid: cut(this.pid),
      level: cut(this.level),
      host: cut(this.host),
      ident: cut(this.ident),
      strings: this.strings,
      problems: this.problems,
    };
  }

  private intern(s: string | null): number {
    if (s === null) return -1;
    let k = this.stringIndex.get(s);
    if (k === undefined) {
      k = this.strings.length;
      this.strings.push(s);
      this.stringIndex.set(s, k);
    }
    return k;
  }
}

/** The typed arrays of a batch, for a transfer list. */
export function batchBuffers(b: TokenizedBatch): ArrayBuffer[] {
  return [b.textLength, b.messageStart, b.ts, b.flags, b.cpu, b.pid, b.level, b.host, b.ident].map((a) => a.buffer as ArrayBuffer);
}

/** Every line of a batch as the tokenizer gave it, in order. */
export function batchLines(b: TokenizedBatch): LogLine[] {
  const out = new Array<LogLine>(b.count);
  const { texts, textLength, messageStart, ts, flags, cpu, pid, level, host, ident, strings } = b;
  let offset = 0;
  for (let i = 0; i < b.count; i++) {
    const len = textLength[i]!;
    const text = texts.slice(offset, offset + len);
    offset += len;
    const start = messageStart[i]!;
    const f = flags[i]!;
    out[i] = {
      text,
      lineNo: b.firstLine + i,
      message: start === 0 ? text : text.slice(start),
      tsNs: f & NO_TS ? null : ts[i]!,
      clock: CLOCKS[(f >> 2) & 3]!,
      cpu: cpu[i]! < 0 ? null : cpu[i]!,
      pid: pid[i]! < 0 ? null : pid[i]!,
      level: level[i]! < 0 ? null : level[i]!,
      host: host[i]! < 0 ? null : strings[host[i]!]!,
      ident: ident[i]! < 0 ? null : strings[ident[i]!]!,
      prefixed: (f & PREFIXED) !== 0,
    };
  }
  return out;
}
