// What the prefix readers of the kernel-log line tokenizer (log-line.ts, syslog-prefix.ts, dmesg-prefix.ts)
// share: the tokenizer's options, the per-line parse state (Cursor) and the char-code reads of a line that
// lies inside a bigger text. Small functions on the per-line path, called directly.
import type { Clock } from './timestamps';

export interface TokenizerOptions {
  /** Year for syslog dates that carry none (`May 24 14:33:12`), e.g. from the file's date. */
  readonly yearHint?: number;
  /**
   * The file's date (ms since the epoch; its year is then the hint): a date without a year that the hint's
   * year would put after it, by more than a day (the log's zone is not known), is of the year before. A
   * kern.log or `journalctl` collected on January 3rd holds December's lines of the year before.
   */
  readonly dateHintMs?: number;
  /** The file is `journalctl -o short-monotonic`: `[ 23352.431106] host ident: message`. */
  readonly journalAfterBracket?: boolean;
}

/**
 * Mutable parse state threaded through one line's prefixes. The line's time is tsBase + tsOff ns (none
 * when tsBase is null), kept in two parts so that most lines make no BigInt: dmesg stamps below ~104 days
 * are an offset from 0n, syslog dates an offset from the day's start.
 */
export interface Cursor {
  /** The text the line is in: the line itself, or a bigger text of which it is [start, end). */
  s: string;
  /** Where the line starts and ends in `s`. */
  start: number;
  end: number;
  pos: number;
  tsBase: bigint | null;
  /** A non-negative safe integer. */
  tsOff: number;
  clock: Clock | null;
  cpu: number | null;
  pid: number | null;
  level: number | null;
  host: string | null;
  ident: string | null;
  prefixed: boolean;
}

/**
 * The char code at `i` of the line being read, NaN past its end (as charCodeAt past a string's end): a
 * line is a range of a bigger text (a whole decoded chunk), so the next line's characters must not be read.
 */
export function code(c: Cursor, i: number): number {
  return i < c.end ? c.s.charCodeAt(i) : NaN;
}

/** Where `ch` first is in the line from `from` on, looking at most `span` characters; -1 if not there. */
export function find(c: Cursor, ch: number, from: number, span: number): number {
  const to = Math.min(c.end, from + span);
  for (let i = from; i < to; i++) if (c.s.charCodeAt(i) === ch) return i;
  return -1;
}

/** The rest of the line from `from` as a string of its own (for the regexes of the rarer prefixes). */
export function rest(c: Cursor, from: number): string {
  return from === 0 && c.end === c.s.length ? c.s : c.s.slice(from, c.end);
}

/** The time a scan found, in ns (null: none). */
export function timeOf(c: Readonly<Cursor>): bigint | null {
  return c.tsBase === null ? null : c.tsOff === 0 ? c.tsBase : c.tsBase + BigInt(c.tsOff);
}

export function setTime(c: Cursor, base: bigint, off: number): void {
  c.tsBase = base;
  c.tsOff = off;
}

export function digit(c: Cursor, i: number): number {
  const d = code(c, i) - 48;
  return d >= 0 && d <= 9 ? d : -1;
}

/** `s[start, end)`, as `last` when it is the same text (no new string for a repeated field). */
export function same(last: string, s: string, start: number, end: number): string {
  if (last.length !== end - start) return s.slice(start, end);
  for (let k = 0; k < last.length; k++) if (last.charCodeAt(k) !== s.charCodeAt(start + k)) return s.slice(start, end);
  return last;
}

/** The char codes of `s[start, start + length)`, kept to compare later lines with (startsWithCodes). */
export function codesAt(s: string, start: number, length: number): Uint16Array<ArrayBuffer> {
  const codes = new Uint16Array(length);
  for (let k = 0; k < length; k++) codes[k] = s.charCodeAt(start + k);
  return codes;
}

/**
 * Whether the line has the chars `codes` at `at`. By char codes: String.prototype.startsWith with a
 * position measured ~100 ns for 15 characters here, several times this loop.
 */
export function startsWithCodes(c: Cursor, at: number, codes: Uint16Array): boolean {
  if (at + codes.length > c.end) return false;
  for (let k = 0; k < codes.length; k++) if (codes[k] !== c.s.charCodeAt(at + k)) return false;
  return true;
}
