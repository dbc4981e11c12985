// Timestamps to integer nanoseconds, once, from the digits (STYLE.md §9): never parseFloat(x) * 1e9.
//
// Clocks: a kernel log carries either the monotonic clock (seconds since boot: dmesg `[   1.234567]`,
// journalctl -o short-monotonic, ftrace) or a wall clock (syslog and journal dates, dmesg -T/-H). Wall
// clocks without a zone (syslog, dmesg -T) are read as if they were UTC: consistent within a bundle, and
// the UI never pretends to know the host's zone. `time-of-day` is a wall clock with no date at all
// (`14:04:59 h63 kernel:`): nanoseconds since midnight.

export type Clock = 'monotonic' | 'realtime' | 'time-of-day';

const NS_PER_S = 1_000_000_000;
const NS_PER_S_BIG = 1_000_000_000n;
/** Below this many seconds, seconds * 1e9 + fraction stays an exact double (2^53 ns is ~104 days). */
export const SAFE_SECONDS = 9_000_000;
const POW10 = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000];

/**
 * A fraction of a second given by its first `digits` digits (0-15) read as an integer (`"123456"`:
 * 123456, 6), in ns. Digits beyond nanoseconds are dropped.
 */
export function fractionNs(fraction: number, digits: number): number {
  return digits > 9 ? Math.floor(fraction / POW10[digits - 9]!) : fraction * POW10[9 - digits]!;
}

/**
 * `seconds` and the fraction digits (`"123456"` = 0.123456 s, any length 0-15) as integer ns.
 * Digits beyond nanoseconds are ignored.
 */
export function secondsToNs(seconds: number, fraction: number, fractionDigits: number): bigint {
  const fracNs = fractionNs(fraction, fractionDigits);
  if (seconds < SAFE_SECONDS) return BigInt(seconds * NS_PER_S + fracNs);
  return BigInt(seconds) * NS_PER_S_BIG + BigInt(fracNs);
}

/** What readSeconds last read (one reader at a time: JavaScript runs one thread per isolate). */
const read = { seconds: 0, fraction: 0, fractionDigits: 0 };

/** Reads `sssss.ffffff` (leading spaces allowed) from `s[start, end)` into `read`; false if it is not one. */
function readSeconds(s: string, start: number, end: number): boolean {
  let i = start;
  while (i < end && s.charCodeAt(i) === 32) i++;
  let seconds = 0;
  let intDigits = 0;
  for (; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) break;
    seconds = seconds * 10 + (c - 48);
    intDigits++;
  }
  if (intDigits === 0 || intDigits > 12) return false;
  read.seconds = seconds;
  read.fraction = 0;
  read.fractionDigits = 0;
  if (i === end) return true;
  if (s.charCodeAt(i) !== 46) return false;
  i++;
  let fraction = 0;
  let fracDigits = 0;
  for (; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
    if (fracDigits < 15) fraction = fraction * 10 + (c - 48);
    fracDigits++;
  }
  read.fraction = fraction;
  read.fractionDigits = Math.min(fracDigits, 15);
  return true;
}

/**
 * Reads `sssss.ffffff` (leading spaces allowed, as dmesg pads) from `s[start, end)` into ns, or null when
 * those characters are not such a number. Written with char codes: this runs for every dmesg line.
 */
export function parseSecondsField(s: string, start: number, end: number): bigint | null {
  return readSeconds(s, start, end) ? secondsToNs(read.seconds, read.fraction, read.fractionDigits) : null;
}

/**
 * The same as a number of ns, for the values a number holds exactly (below SAFE_SECONDS, ~104 days): no
 * BigInt made. -1 when the text is not such a number, -2 when it is too big (parseSecondsField reads it).
 */
export function parseSecondsNs(s: string, start: number, end: number): number {
  if (!readSeconds(s, start, end)) return -1;
  if (read.seconds >= SAFE_SECONDS) return -2;
  return read.seconds * NS_PER_S + fractionNs(read.fraction, read.fractionDigits);
}

const MONTHS: Readonly<Record<string, number>> = {
  Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11,
};

/** `May` -> 4 (0-based, as Date.UTC takes it); null for anything else. */
export function monthIndex(name: string): number | null {
  return MONTHS[name] ?? null;
}

export interface CivilTime {
  readonly year: number;
  /** 0-based month. */
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  /** Fraction digits as written (`"123456"`), or '' for none. */
  readonly fraction: string;
  /** Offset from UTC in minutes (`+02:00` = 120), 0 when the text has no zone. */
  readonly offsetMinutes: number;
}

/** A civil date and time as ns since the Unix epoch, UTC. */
export function civilToNs(t: CivilTime): bigint {
  const ms = Date.UTC(t.year, t.month, t.day, t.hour, t.minute, t.second) - t.offsetMinutes * 60_000;
  const digits = Math.min(t.fraction.length, 9);
  const fracNs = digits === 0 ? 0 : Number(t.fraction.slice(0, digits)) * POW10[9 - digits]!;
  return BigInt(ms) * 1_000_000n + BigInt(fracNs);
}

/** `HH:MM:SS(.ffffff)` as ns since midnight. */
export function timeOfDayToNs(hour: number, minute: number, second: number, fraction: string): bigint {
  const digits = Math.min(fraction.length, 9);
  const fracNs = digits === 0 ? 0 : Number(fraction.slice(0, digits)) * POW10[9 - digits]!;
  return BigInt((hour * 3600 + minute * 60 + second) * NS_PER_S + fracNs);
}

/** `+0200`, `+02:00`, `-05`, `Z` -> minutes east of UTC; null when not a zone. */
export function parseZoneOffset(text: string): number | null {
  if (text === 'Z' || text === 'z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(text);
  if (!m) return null;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? '0');
  return m[1] === '-' ? -minutes : minutes;
}
