// What the tokenizer found in each line beyond what storage keeps (line-block.ts keeps the text, time,
// CPU, PID and level): where the message starts, whether the line was prefixed, its clock, host and
// identifier. A thread that splits and tokenizes a log sends these columns with the line blocks it
// packed, so the receiver rebuilds every LogLine from the two without reading the text again; and whether
// the line's message fails the fault gate, so that the receiver need not look at most lines at all. Typed
// arrays travel between threads without a copy. Problems found on the way (invalid UTF-8, cut lines,
// binary junk, journal lines that are not JSON) travel with them.
import type { Clock } from './timestamps';
import type { LogLine } from './log-line';

export interface LineProblemNote {
  readonly kind: string;
  readonly lineNo: number;
  readonly detail: string;
}

export interface LineTokens {
  readonly count: number;
  /** Where the message starts in the line's text. */
  readonly messageStart: Int32Array;
  /** Bit 0: prefixed; bits 1-2: clock (CLOCKS index); bit 3: quiet (the message fails the fault gate). */
  readonly flags: Uint8Array;
  /** Index into `strings`, -1: none. */
  readonly host: Int32Array;
  readonly ident: Int32Array;
  readonly strings: readonly string[];
  readonly problems: readonly LineProblemNote[];
}

const CLOCKS: readonly (Clock | null)[] = [null, 'monotonic', 'realtime', 'time-of-day'];
const PREFIXED = 1;
const QUIET = 8;

function clockCode(c: Clock | null): number {
  return c === null ? 0 : c === 'monotonic' ? 1 : c === 'realtime' ? 2 : 3;
}

/** Fills the tokens of a run of lines, in order. */
export class LineTokensBuilder {
  private readonly messageStart: Int32Array;
  private readonly flags: Uint8Array;
  private readonly host: Int32Array;
  private readonly ident: Int32Array;
  private readonly strings: string[] = [];
  private readonly stringIndex = new Map<string, number>();
  private readonly problems: LineProblemNote[] = [];
  /**
   * The last host and identifier with their indexes. The tokenizer hands out the same string object for a
   * repeated one; kept apart because host and identifier alternate (one cache for both never matched).
   */
  private lastHost: string | null = null;
  private lastHostIndex = -1;
  private lastIdent: string | null = null;
  private lastIdentIndex = -1;
  count = 0;

  constructor(readonly capacity: number) {
    this.messageStart = new Int32Array(capacity);
    this.flags = new Uint8Array(capacity);
    this.host = new Int32Array(capacity);
    this.ident = new Int32Array(capacity);
  }

  /** `quiet`: the line's message fails the fault gate (kernel-log/openers.ts mayMatter). */
  add(line: LogLine, quiet: boolean): void {
    this.addTokens(line.text.length - line.message.length, line.clock, line.prefixed, line.host, line.ident, quiet);
  }

  /** The same from the tokenizer's cursor (LogLineTokenizer.scan), with no LogLine built. */
  addTokens(messageStart: number, clock: Clock | null, prefixed: boolean, host: string | null, ident: string | null, quiet: boolean): void {
    const i = this.count++;
    this.messageStart[i] = messageStart;
    this.flags[i] = (prefixed ? PREFIXED : 0) | (clockCode(clock) << 1) | (quiet ? QUIET : 0);
    if (host !== this.lastHost) {
      this.lastHost = host;
      this.lastHostIndex = this.intern(host);
    }
    if (ident !== this.lastIdent) {
      this.lastIdent = ident;
      this.lastIdentIndex = this.intern(ident);
    }
    this.host[i] = this.lastHostIndex;
    this.ident[i] = this.lastIdentIndex;
  }

  problem(kind: string, lineNo: number, detail: string): void {
    this.problems.push({ kind, lineNo, detail });
  }

  get hasProblems(): boolean {
    return this.problems.length > 0;
  }

  /** The tokens (arrays cut to the lines added); the builder is not to be used after. */
  finish(): LineTokens {
    const n = this.count;
    const cut = <T extends { slice(a: number, b: number): T }>(a: T): T => (n === this.capacity ? a : a.slice(0, n));
    return {
      count: n,
      messageStart: cut(this.messageStart),
      flags: cut(this.flags),
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

/** Whether the k-th line began with a log prefix. */
export function isPrefixed(t: LineTokens, k: number): boolean {
  return (t.flags[k]! & PREFIXED) !== 0;
}

/**
 * Whether the k-th line may be offered to a sink's skip(): its message fails the fault gate, and it and
 * the line after it are prefixed.
 */
export function mayBeSkipped(t: LineTokens, k: number): boolean {
  return k + 1 < t.count && (t.flags[k]! & (QUIET | PREFIXED)) === (QUIET | PREFIXED) && (t.flags[k + 1]! & PREFIXED) !== 0;
}

/** Whether the j-th and k-th lines both name a host or both do not, and both have a clock or both not. */
export function skipAlike(t: LineTokens, j: number, k: number): boolean {
  return hasHostAt(t, j) === hasHostAt(t, k) && hasClockAt(t, j) === hasClockAt(t, k);
}

/** Whether the k-th line's message fails the fault gate. */
export function isQuiet(t: LineTokens, k: number): boolean {
  return (t.flags[k]! & QUIET) !== 0;
}

/** Whether the k-th line named a host, and whether it had a clock. */
export function hasHostAt(t: LineTokens, k: number): boolean {
  return t.host[k]! >= 0;
}

export function hasClockAt(t: LineTokens, k: number): boolean {
  return clockCodeAt(t, k) !== 0;
}

/** The CLOCKS index of the k-th line (bits 1-2 of its flags). */
function clockCodeAt(t: LineTokens, k: number): number {
  return (t.flags[k]! >> 1) & 3;
}

/** The typed arrays of some tokens, for a transfer list. */
export function tokenBuffers(t: LineTokens): ArrayBuffer[] {
  return [t.messageStart, t.flags, t.host, t.ident].map((a) => a.buffer as ArrayBuffer);
}

/** The k-th line of `t` as the tokenizer gave it, from its tokens and what storage kept of it. */
export function tokenizedLine(
  t: LineTokens,
  k: number,
  lineNo: number,
  text: string,
  tsNs: bigint | null,
  cpu: number | null,
  pid: number | null,
  level: number | null,
): LogLine {
  const start = t.messageStart[k]!;
  const host = t.host[k]!;
  const ident = t.ident[k]!;
  return {
    text,
    lineNo,
    message: start === 0 ? text : text.slice(start),
    tsNs,
    clock: CLOCKS[clockCodeAt(t, k)]!,
    cpu,
    pid,
    level,
    host: host < 0 ? null : t.strings[host]!,
    ident: ident < 0 ? null : t.strings[ident]!,
    prefixed: isPrefixed(t, k),
  };
}
