// The kernel-log line tokenizer: one physical line -> its prefixes (quote marks, printk level, timestamp,
// printk caller, PREEMPT_RT CPU, syslog/journal host and identifier) and the message after them. Every
// dialect of ../shared/docs/DOMAIN.md §4 goes through here; dispatch is on the first character, so the
// common dmesg line costs a few char-code reads and no regex.
import { fractionNs, monthIndex, parseSecondsField, parseSecondsNs, SAFE_SECONDS, civilToNs, timeOfDayToNs, parseZoneOffset, type Clock } from './timestamps';

export interface LogLine {
  /** The physical line as stored (terminator, trailing CRs and ANSI colours removed). */
  readonly text: string;
  readonly lineNo: number;
  /** What follows every prefix. */
  readonly message: string;
  readonly tsNs: bigint | null;
  readonly clock: Clock | null;
  /** PREEMPT_RT `003:` prefix or printk caller `[C3]`. */
  readonly cpu: number | null;
  /** printk caller `[T123]`, syslog `ident[pid]`, journal _PID. */
  readonly pid: number | null;
  /** printk level 0-7 (`<3>`, `kern  :err   :`, journal PRIORITY). */
  readonly level: number | null;
  readonly host: string | null;
  /** syslog identifier: `kernel`, `qemu-system-aarch64`, `NetworkManager`. */
  readonly ident: string | null;
  /** True when the line began with a log prefix (timestamp or syslog header): wrapped lines have none. */
  readonly prefixed: boolean;
}

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

// ISO dates: journal short-iso, dmesg --time-format iso, libvirt/QEMU logs, RFC 3339 syslog:
//   2021-05-24T14:33:12+0200 host kernel: ...
//   2021-05-24T14:33:12,123456+02:00 message            (dmesg --time-format iso)
//   2024-02-28T10:00:05.123456Z qemu-system-aarch64: ...  (QEMU -msg timestamp=on)
//   2024-02-28 10:00:00.000+0000: starting up libvirt ... (libvirt)
const ISO_DATE_RE = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?(:? )/;
// syslog without a date (double-spaced excerpts): `14:04:59 h63 kernel: ...`
const TIME_ONLY_RE = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))? /;
// journal short-full (`journalctl -o short-full`): `Tue 2024-02-27 10:00:05 UTC host kernel: ...`, the zone as
// strftime's %Z prints it (an abbreviation) or a numeric offset; a fraction where the journal gave one.
const FULL_DATE_RE = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))? ([A-Za-z][A-Za-z0-9_/+-]{0,31}|[+-]\d{2}(?::?\d{2})?) /;
// journal short-unix (`journalctl -o short-unix`): seconds since the epoch with µs, `1709028009.654321 host kernel: ...`
const UNIX_TIME_RE = /^(\d{9,11})\.(\d{1,9}) /;
// `ident[pid]: ` alone (QEMU logs put no host): `qemu-system-aarch64: `
const IDENT_RE = /^([^\s:[\]]+)(?:\[(\d+)\])?: /;
// RFC 5424 §6 after its `<PRI>`: VERSION TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA [MSG], `-` for
// a value not given (rsyslog's RSYSLOG_SyslogProtocol23Format):
//   <3>1 2024-05-24T14:33:12.123456+02:00 myhost kernel - - - [ 3000.000100] kvm [2001]: Unsupported FSC: ...
//   groups: 1-6 date and time, 7 fraction, 8 zone, 9 host, 10 app, 11 procid; the message follows the match
const RFC5424_RE =
  /^1 (\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2}) (\S+) (\S+) (\S+) \S+ (?:-|(?:\[(?:[^\]"\\]|\\.|"(?:[^"\\]|\\.)*")*\])+)(?: \uFEFF?|$)/;
// dmesg -x (`--decode`): `kern  :err   : [    1.234567] ...`
const DECODE_RE = /^(kern|user|mail|daemon|auth|syslog|lpr|news|uucp|cron|authpriv|ftp|local[0-7]) *:(emerg|alert|crit|err|warn|notice|info|debug) *: /;
// dmesg -T: `[Mon May 24 14:33:12 2021] `; dmesg -T -d adds the delta to the line before:
// `[Mon May 24 14:33:12 2021 <    0.008924>] ` (util-linux sys-utils/dmesg.c print_record, "[%s <%12.06f>] ").
const CTIME_RE = /^\[[A-Z][a-z]{2} ([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4})(?: < *\d+\.\d+>)?\]/;
// dmesg -H: `[May24 14:33] ` (absolute, minute precision); the lines after it carry `[  +0.000034]` deltas.
const HUMAN_RE = /^\[([A-Z][a-z]{2})(\d{1,2}) (\d{2}):(\d{2})\]/;

const LEVELS: Readonly<Record<string, number>> = { emerg: 0, alert: 1, crit: 2, err: 3, warn: 4, notice: 5, info: 6, debug: 7 };

// `Jan`..`Dec` by their three char codes.
const MONTH_BY_CODE: ReadonlyMap<number, number> = new Map(
  ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'].map((m, i) => [(m.charCodeAt(0) << 16) | (m.charCodeAt(1) << 8) | m.charCodeAt(2), i]),
);

const DAY_MS = 86_400_000;

/**
 * The char code at `i` of the line being read, NaN past its end (as charCodeAt past a string's end): a
 * line is a range of a bigger text (a whole decoded chunk), so the next line's characters must not be read.
 */
function code(c: Cursor, i: number): number {
  return i < c.end ? c.s.charCodeAt(i) : NaN;
}

/** Where `ch` first is in the line from `from` on, looking at most `span` characters; -1 if not there. */
function find(c: Cursor, ch: number, from: number, span: number): number {
  const to = Math.min(c.end, from + span);
  for (let i = from; i < to; i++) if (c.s.charCodeAt(i) === ch) return i;
  return -1;
}

/** The rest of the line from `from` as a string of its own (for the regexes of the rarer prefixes). */
function rest(c: Cursor, from: number): string {
  return from === 0 && c.end === c.s.length ? c.s : c.s.slice(from, c.end);
}

const ZERO_NS = 0n;

/** The time a scan found, in ns (null: none). */
export function timeOf(c: Readonly<Cursor>): bigint | null {
  return c.tsBase === null ? null : c.tsOff === 0 ? c.tsBase : c.tsBase + BigInt(c.tsOff);
}

/**
 * The common dmesg stamp `[    1.234567]` (under SAFE_SECONDS, 1 to 9 digits of fraction, `]` within 40
 * characters) read in one pass: its value in ns, with c.pos moved past the `]`. -1, nothing moved, for
 * any other form: readBracket's general path (which finds the `]`, then reads the digits) reads those,
 * and gives these the same value.
 */
function quickStamp(c: Cursor): number {
  const s = c.s;
  const limit = Math.min(c.end, c.pos + 41);
  let i = c.pos + 1;
  while (i < limit && s.charCodeAt(i) === 32) i++;
  const intStart = i;
  let seconds = 0;
  for (; i < limit; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) break;
    seconds = seconds * 10 + d;
  }
  // Below SAFE_SECONDS (~104 days) the value in ns is a safe integer.
  if (i === intStart || i - intStart > 12 || seconds >= SAFE_SECONDS || i >= limit || s.charCodeAt(i) !== 46 /* . */) return -1;
  const fracStart = ++i;
  let fraction = 0;
  for (; i < limit; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) break;
    fraction = fraction * 10 + d;
  }
  const digits = i - fracStart;
  if (digits === 0 || digits > 9 || i >= limit || s.charCodeAt(i) !== 93 /* ] */) return -1;
  c.pos = i + 1;
  return seconds * 1_000_000_000 + fractionNs(fraction, digits);
}

function setTime(c: Cursor, base: bigint, off: number): void {
  c.tsBase = base;
  c.tsOff = off;
}

function digit(c: Cursor, i: number): number {
  const d = code(c, i) - 48;
  return d >= 0 && d <= 9 ? d : -1;
}

/** `HH:MM:SS` at `i` as seconds of the day, or -1. */
function clockTime(c: Cursor, i: number): number {
  const h1 = digit(c, i), h2 = digit(c, i + 1), m1 = digit(c, i + 3), m2 = digit(c, i + 4), s1 = digit(c, i + 6), s2 = digit(c, i + 7);
  if (h1 < 0 || h2 < 0 || m1 < 0 || m2 < 0 || s1 < 0 || s2 < 0 || code(c, i + 2) !== 58 || code(c, i + 5) !== 58) return -1;
  return (h1 * 10 + h2) * 3600 + (m1 * 10 + m2) * 60 + s1 * 10 + s2;
}

/** `s[start, end)`, as `last` when it is the same text (no new string for a repeated field). */
function same(last: string, s: string, start: number, end: number): string {
  if (last.length !== end - start) return s.slice(start, end);
  for (let k = 0; k < last.length; k++) if (last.charCodeAt(k) !== s.charCodeAt(start + k)) return s.slice(start, end);
  return last;
}

/** The char codes of `s[start, start + length)`, kept to compare later lines with (startsWithCodes). */
function codesAt(s: string, start: number, length: number): Uint16Array<ArrayBuffer> {
  const codes = new Uint16Array(length);
  for (let k = 0; k < length; k++) codes[k] = s.charCodeAt(start + k);
  return codes;
}

/**
 * Whether the line has the chars `codes` at `at`. By char codes: String.prototype.startsWith with a
 * position measured ~100 ns for 15 characters here, several times this loop.
 */
function startsWithCodes(c: Cursor, at: number, codes: Uint16Array): boolean {
  if (at + codes.length > c.end) return false;
  for (let k = 0; k < codes.length; k++) if (codes[k] !== c.s.charCodeAt(at + k)) return false;
  return true;
}

export class LogLineTokenizer {
  private readonly yearHint: number;
  private readonly journalAfterBracket: boolean;
  /** A date without a year was read (the year came from `yearHint`). */
  yearInferred = false;
  /** The latest a date without a year can be (the file's date and a day), in ns; null: no date known. */
  private readonly latestNs: bigint | null;
  private lastDayKey = -1;
  private lastDayNs = 0n;
  /** dmesg -H/-d: the time of the previous line, to which the next delta is added. */
  private lastBase: bigint | null = null;
  private lastOff = 0;
  private lastClock: Clock | null = null;
  /** The last host and identifier read: a log repeats them on every line, so they are shared, not copied. */
  private host = '';
  private ident = '';
  /**
   * `host ident: ` as last read, with the pid it named: a journal or syslog starts nearly every line with
   * the same one, and comparing it whole costs about half of reading it field by field. Kept as char
   * codes: comparing against a typed array measured a third faster than against a slice of a string.
   */
  private lastHostIdent = new Uint16Array(0);
  private lastHostIdentPid: number | null = null;
  /**
   * `Mon DD HH:MM` as the last syslog date read it, with its day and its seconds of the day: a log's lines
   * share it for a minute at a time, so most lines read only their seconds and fraction.
   */
  private lastMinute = new Uint16Array(0);
  private lastMinuteDayNs = 0n;
  private lastMinuteSeconds = 0;
  private lastEpochText = '';
  private lastEpochNs = 0n;
  /** One cursor reused for every line (a line's tokens are read out before the next line). */
  private readonly cursor: Cursor = { s: '', start: 0, end: 0, pos: 0, tsBase: null, tsOff: 0, clock: null, cpu: null, pid: null, level: null, host: null, ident: null, prefixed: false };

  constructor(options: TokenizerOptions = {}) {
    const hint = options.dateHintMs;
    this.yearHint = hint !== undefined ? new Date(hint).getUTCFullYear() : (options.yearHint ?? 1970);
    this.latestNs = hint !== undefined ? BigInt(Math.floor(hint) + DAY_MS) * 1_000_000n : null;
    this.journalAfterBracket = options.journalAfterBracket ?? false;
  }

  tokenize(text: string, lineNo: number): LogLine {
    const c = this.scan(text, 0, text.length);
    return {
      text,
      lineNo,
      message: c.pos === 0 ? text : text.slice(c.pos),
      tsNs: timeOf(c),
      clock: c.clock,
      cpu: c.cpu,
      pid: c.pid,
      level: c.level,
      host: c.host,
      ident: c.ident,
      prefixed: c.prefixed,
    };
  }

  /**
   * The prefixes of the line `text[start, end)` without building its LogLine (the storage path needs only
   * the numbers): the result is this tokenizer's own cursor, valid until the next call. `pos` is where the
   * message starts, in `text`.
   */
  scan(text: string, start: number, end: number): Readonly<Cursor> {
    const c = this.cursor;
    c.s = text;
    c.start = start;
    c.end = end;
    c.pos = start;
    c.tsBase = null;
    c.tsOff = 0;
    c.clock = null;
    c.cpu = null;
    c.pid = null;
    c.level = null;
    c.host = null;
    c.ident = null;
    c.prefixed = false;
    this.readQuote(c);
    this.readLevel(c);
    const ch = code(c, c.pos);
    if (ch === 49 /* 1 */ && c.level !== null && code(c, c.pos + 1) === 32) this.readRfc5424(c);
    else if (ch === 91 /* [ */) this.readBracket(c);
    else if (ch >= 48 && ch <= 57) this.readDigitPrefix(c);
    else if (ch >= 65 && ch <= 90) this.readSyslogDate(c);
    else if (ch >= 97 && ch <= 122) this.readDecode(c);
    if (c.tsBase !== null) {
      this.lastBase = c.tsBase;
      this.lastOff = c.tsOff;
      this.lastClock = c.clock;
    }
    return c;
  }

  // Email and chat quoting: `> `, `>> `, `> > `, `| ` (kept as found in pasted reports).
  private readQuote(c: Cursor): void {
    let ch = code(c, c.pos);
    while (ch === 62 /* > */ || (ch === 124 /* | */ && c.pos === c.start)) {
      c.pos++;
      if (code(c, c.pos) === 32) c.pos++;
      ch = code(c, c.pos);
    }
  }

  // syslog priority `<N>` (kernelci/LAVA dmesg: `<1>[   16.007376] ...`), `<14>` (facility * 8 + level).
  private readLevel(c: Cursor): void {
    if (code(c, c.pos) !== 60 /* < */) return;
    const close = find(c, 62 /* > */, c.pos + 1, 4);
    if (close < 0) return;
    let n = 0;
    for (let i = c.pos + 1; i < close; i++) {
      const d = code(c, i) - 48;
      if (d < 0 || d > 9) return;
      n = n * 10 + d;
    }
    if (close === c.pos + 1) return;
    c.level = n & 7;
    c.pos = close + 1;
    c.prefixed = true;
  }

  /** An RFC 5424 line after its `<PRI>`: the date, host, program and PID, then the kernel's own stamp. */
  private readRfc5424(c: Cursor): void {
    const m = RFC5424_RE.exec(rest(c, c.pos));
    if (m === null) return;
    const offset = m[8] === 'Z' ? 0 : parseZoneOffset(m[8]!);
    setTime(c, civilToNs({ year: Number(m[1]), month: Number(m[2]) - 1, day: Number(m[3]), hour: Number(m[4]), minute: Number(m[5]), second: Number(m[6]), fraction: m[7] ?? '', offsetMinutes: offset ?? 0 }), 0);
    c.clock = 'realtime';
    if (m[9] !== '-') c.host = this.host = m[9]!;
    if (m[10] !== '-') c.ident = this.ident = m[10]!;
    if (/^\d+$/.test(m[11]!)) c.pid = Number(m[11]);
    c.pos += m[0].length;
    this.readInnerBracket(c);
  }

  private readBracket(c: Cursor): void {
    const quick = quickStamp(c);
    if (quick >= 0) {
      setTime(c, ZERO_NS, quick);
      c.clock = 'monotonic';
      c.prefixed = true;
      this.afterBracket(c);
      return;
    }
    const s = c.s;
    // 48: the longest form, dmesg -T -d's `[Mon May 24 14:33:12 2021 <    0.008924>]`, with room for a
    // delta of more than 99999 s (%12.06f widens).
    const close = find(c, 93 /* ] */, c.pos + 1, 48);
    if (close < 0) return;
    const first = code(c, c.pos + 1);
    if (first === 43 /* + */ || first === 60 /* < */) {
      this.readDelta(c, close);
    } else if (first >= 65 && first <= 90) {
      if (this.readBracketDate(c)) this.afterBracket(c);
    } else if (first === 32 || (first >= 48 && first <= 57)) {
      // `[    1.234567]`, `[23352.431106]`, dmesg -d `[    1.234567 <    0.000012>]` (only that form ends
      // `>]`: the search for its `<` would otherwise run over every line's message)
      const lt = code(c, close - 1) === 62 /* > */ ? find(c, 60 /* < */, c.pos + 1, close - c.pos - 1) : -1;
      const end = lt > 0 && lt < close ? trimRight(s, c.pos + 1, lt) : close;
      const ns = parseSecondsNs(s, c.pos + 1, end);
      if (ns === -1) {
        this.readDelta(c, close);
        return;
      }
      setTime(c, ns === -2 ? parseSecondsField(s, c.pos + 1, end)! : ZERO_NS, ns === -2 ? 0 : ns);
      c.clock = 'monotonic';
      c.prefixed = true;
      c.pos = close + 1;
      this.afterBracket(c);
    }
  }

  // Deltas to the line before (util-linux sys-utils/dmesg.c print_record): dmesg -H `[  +0.000034]`
  // ("[  %+8.06f] ", after a `[May24 14:33]` line) and dmesg --time-format delta `[<    0.008924>]`
  // ("[<%12.06f>] "). The line's time is the previous line's plus the delta; none while no line before had
  // one (a log of deltas only has no time, as it gives none).
  private readDelta(c: Cursor, close: number): boolean {
    const s = c.s;
    let i = c.pos + 1;
    while (code(c, i) === 32) i++;
    let end = close;
    if (code(c, i) === 60 /* < */) {
      if (code(c, close - 1) !== 62 /* > */) return false;
      end = close - 1;
      i++;
      while (code(c, i) === 32) i++;
    } else if (code(c, i) === 43 /* + */) {
      i++;
    } else {
      return false;
    }
    const delta = parseSecondsNs(s, i, end);
    if (delta === -1) return false;
    if (this.lastBase !== null) {
      const off = this.lastOff + delta;
      if (delta >= 0 && Number.isSafeInteger(off)) setTime(c, this.lastBase, off);
      else setTime(c, this.lastBase + BigInt(this.lastOff) + parseSecondsField(s, i, end)!, 0);
    }
    c.clock = this.lastClock;
    c.prefixed = true;
    c.pos = close + 1;
    this.afterBracket(c);
    return true;
  }

  // dmesg -T `[Mon May 24 14:33:12 2021]` (-T -d: the date is the time, the delta is dropped) and dmesg -H
  // `[May24 14:33]`.
  private readBracketDate(c: Cursor): boolean {
    const text = rest(c, c.pos);
    let m = CTIME_RE.exec(text);
    if (m) {
      const month = monthIndex(m[1]!);
      if (month === null) return false;
      setTime(c, civilToNs({ year: Number(m[6]), month, day: Number(m[2]), hour: Number(m[3]), minute: Number(m[4]), second: Number(m[5]), fraction: '', offsetMinutes: 0 }), 0);
      c.clock = 'realtime';
      c.prefixed = true;
      c.pos += m[0].length;
      return true;
    }
    m = HUMAN_RE.exec(text);
    if (!m) return false;
    const month = monthIndex(m[1]!);
    if (month === null) return false;
    setTime(c, this.yearlessDay(month, Number(m[2])), (Number(m[3]) * 3600 + Number(m[4]) * 60) * 1_000_000_000);
    this.yearInferred = true;
    c.clock = 'realtime';
    c.prefixed = true;
    c.pos += m[0].length;
    return true;
  }

  // After a bracket timestamp: an optional space, printk caller `[    T1]`/`[ C3]`, PREEMPT_RT CPU
  // `003: `, and (journalctl -o short-monotonic) `host ident: `.
  private afterBracket(c: Cursor): void {
    // Most lines: a space, then the message (no caller, no RT CPU, no journal host).
    if (!this.journalAfterBracket && code(c, c.pos) === 32) {
      const next = code(c, c.pos + 1);
      if (next !== 91 && !(next >= 48 && next <= 57)) {
        c.pos++;
        return;
      }
    }
    if (code(c, c.pos) === 91 /* [ */) this.readCaller(c);
    if (code(c, c.pos) === 32) c.pos++;
    if (code(c, c.pos) === 91 /* [ */) this.readCaller(c);
    this.readRtCpu(c);
    if (this.journalAfterBracket) this.readHostIdent(c);
  }

  // printk caller id (CONFIG_PRINTK_CALLER): `[    T1]` task id, `[    C3]` CPU (in interrupt context).
  private readCaller(c: Cursor): void {
    const close = find(c, 93 /* ] */, c.pos, 13);
    if (close < 0) return;
    let i = c.pos + 1;
    while (code(c, i) === 32) i++;
    const kind = code(c, i);
    if (kind !== 84 /* T */ && kind !== 67 /* C */) return;
    let n = 0;
    let digits = 0;
    for (i++; i < close; i++) {
      const d = code(c, i) - 48;
      if (d < 0 || d > 9) return;
      n = n * 10 + d;
      digits++;
    }
    if (digits === 0) return;
    if (kind === 84) c.pid = n;
    else c.cpu = n;
    c.pos = close + 1;
  }

  // PREEMPT_RT kernels print the CPU after the timestamp: `[  122.336254] 003: BUG: ...`.
  private readRtCpu(c: Cursor): void {
    const p = c.pos;
    const d0 = code(c, p) - 48;
    const d1 = code(c, p + 1) - 48;
    const d2 = code(c, p + 2) - 48;
    if (d0 < 0 || d0 > 9 || d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) return;
    if (code(c, p + 3) !== 58 /* : */) return;
    const after = code(c, p + 4);
    if (after !== 32 && !Number.isNaN(after)) return;
    c.cpu = d0 * 100 + d1 * 10 + d2;
    c.pos = p + (after === 32 ? 5 : 4);
  }

  // `host ident[pid]: ` (`h63 kernel: `, `host qemu-kvm[4321]: `), by char codes.
  private readHostIdent(c: Cursor): void {
    const s = c.s;
    if (this.lastHostIdent.length > 0 && startsWithCodes(c, c.pos, this.lastHostIdent)) {
      c.host = this.host;
      c.ident = this.ident;
      if (this.lastHostIdentPid !== null && c.pid === null) c.pid = this.lastHostIdentPid;
      c.pos += this.lastHostIdent.length;
      this.readInnerBracket(c);
      return;
    }
    const n = c.end;
    let i = c.pos;
    for (; i < n; i++) {
      const ch = code(c, i);
      if (ch === 32) break;
      if (ch === 58 || ch === 91 || ch === 93) return; // : [ ]
    }
    if (i === c.pos || i >= n) return;
    const identStart = i + 1;
    let j = identStart;
    let pid = -1;
    for (; j < n; j++) {
      const ch = code(c, j);
      if (ch === 58 /* : */) break;
      if (ch === 32 || ch === 93) return;
      if (ch === 91 /* [ */) {
        const close = find(c, 93 /* ] */, j, n - j);
        if (close < 0 || code(c, close + 1) !== 58) return;
        pid = Number(s.slice(j + 1, close));
        if (!Number.isInteger(pid)) return;
        break;
      }
    }
    if (j >= n || j === identStart) return;
    c.host = this.host = same(this.host, s, c.pos, i);
    c.ident = this.ident = same(this.ident, s, identStart, j);
    let end = pid >= 0 ? find(c, 93 /* ] */, j, n - j) + 2 : j + 1;
    if (pid >= 0 && c.pid === null) c.pid = pid;
    if (code(c, end) === 32) end++;
    // Kept only when the space after the colon was there: then the same characters read the same way.
    this.lastHostIdent = codesAt(s, c.pos, code(c, end - 1) === 32 ? end - c.pos : 0);
    this.lastHostIdentPid = pid >= 0 ? pid : null;
    c.pos = end;
    this.readInnerBracket(c);
  }

  // rsyslog kern.log keeps the kernel's own prefix after `kernel: `, as the kernel formats it for syslog(2)
  // (kernel/printk/printk.c info_print_prefix: print_time "[%5lu.%06lu]", then with CONFIG_PRINTK_CALLER
  // print_caller "[%6s]" right after it, then one space):
  //   ... kernel: [ 1234.567890] usb ...
  //   ... kernel: [    7.913815][ T1918] kvm [1918]: Unsupported FSC: ...
  //   ... kernel: [ T1918] kvm [1918]: ...                               (printk.time=0)
  // The line's clock stays the syslog one, the inner stamp is dropped from the message (a fault record
  // keeps it beside its time: kernelStampInside); the caller id is read as after a dmesg stamp.
  private readInnerBracket(c: Cursor): void {
    const s = c.s;
    if (code(c, c.pos) !== 91 || c.ident !== 'kernel') return;
    const close = find(c, 93 /* ] */, c.pos, 21);
    if (close < 0) return;
    if (parseSecondsNs(s, c.pos + 1, close) !== -1) c.pos = close + 1;
    if (code(c, c.pos) === 91 /* [ */) this.readCaller(c);
    if (code(c, c.pos) === 32 && c.pos > close) c.pos++;
  }

  // Lines starting with a digit: ISO dates, time-only syslog, or a bare PREEMPT_RT CPU prefix.
  private readDigitPrefix(c: Cursor): void {
    const iso = c.end - c.pos >= 19 && code(c, c.pos + 4) === 45 ? ISO_DATE_RE.exec(rest(c, c.pos)) : null;
    if (iso) {
      const offset = iso[8] === undefined ? 0 : parseZoneOffset(iso[8]);
      const ns = civilToNs({
        year: Number(iso[1]), month: Number(iso[2]) - 1, day: Number(iso[3]),
        hour: Number(iso[4]), minute: Number(iso[5]), second: Number(iso[6]),
        fraction: iso[7] ?? '', offsetMinutes: offset ?? 0,
      });
      setTime(c, ns, 0);
      c.clock = 'realtime';
      c.prefixed = true;
      c.pos += iso[0].length;
      // libvirt writes `<date>: message`; journal short-iso `<date> host ident: message`. dmesg --time-format
      // iso writes the message right after the date, its fraction after a comma (util-linux dmesg.c
      // print_timestamp: "%04d-%02d-%02dT%02d:%02d:%02d,%06ld%+03d:%02d"): no host or ident to read there,
      // and `arm-smmu-v3 arm-smmu-v3.2.auto: event …` or `CPU: 1 PID: …` are the kernel's words.
      if (iso[9] === ' ' && iso[0].charCodeAt(19) !== 44 /* , */) this.readHostOrIdent(c);
      return;
    }
    if (this.readUnixTime(c)) return;
    const tod = code(c, c.pos + 2) === 58 ? TIME_ONLY_RE.exec(rest(c, c.pos)) : null;
    if (tod) {
      setTime(c, timeOfDayToNs(Number(tod[1]), Number(tod[2]), Number(tod[3]), tod[4] ?? ''), 0);
      c.clock = 'time-of-day';
      c.prefixed = true;
      c.pos += tod[0].length;
      this.readHostOrIdent(c);
      return;
    }
    this.readRtCpu(c);
  }

  // journal short-unix: `1709028009.654321 host ident: `. Only with the host and identifier after it (a bare
  // number with a fraction opens many other lines).
  private readUnixTime(c: Cursor): boolean {
    const tenth = code(c, c.pos + 9);
    if (c.end - c.pos < 12 || !(tenth === 46 || (tenth >= 48 && tenth <= 57))) return false;
    const m = UNIX_TIME_RE.exec(rest(c, c.pos));
    if (!m) return false;
    const start = c.pos;
    c.pos += m[0].length;
    this.readHostIdent(c);
    if (c.ident === null) {
      c.pos = start;
      return false;
    }
    const frac = m[2]!;
    setTime(c, this.epochSecond(m[1]!), fractionNs(Number(frac), frac.length));
    c.clock = 'realtime';
    c.prefixed = true;
    return true;
  }

  /** `seconds` since the epoch in ns (cached: consecutive lines share their second). */
  private epochSecond(seconds: string): bigint {
    if (seconds !== this.lastEpochText) {
      this.lastEpochText = seconds;
      this.lastEpochNs = BigInt(seconds) * 1_000_000_000n;
    }
    return this.lastEpochNs;
  }

  private readHostOrIdent(c: Cursor): void {
    const before = c.pos;
    this.readHostIdent(c);
    if (c.pos !== before) return;
    const m = IDENT_RE.exec(rest(c, c.pos));
    if (!m) return;
    c.ident = m[1]!;
    if (m[2] !== undefined) c.pid = Number(m[2]);
    c.pos += m[0].length;
  }

  // Capitalized first word: a syslog/journal date (`May 24 14:33:12 host kernel: `, `May  4 ...`,
  // `May 24 14:33:12.123456 ...`), read by char codes: the prefix of every line of a journal export.
  private readSyslogDate(c: Cursor): void {
    const p = c.pos;
    let q: number;
    let dayNs: bigint;
    let secondOfDay: number;
    const m = this.lastMinute;
    if (m.length > 0 && startsWithCodes(c, p, m) && code(c, p + m.length) === 58 /* : */) {
      // The minute of the line before: only the seconds are new.
      q = p + m.length + 1;
      const s1 = digit(c, q);
      const s2 = digit(c, q + 1);
      if (s1 < 0 || s2 < 0) return;
      dayNs = this.lastMinuteDayNs;
      secondOfDay = this.lastMinuteSeconds + s1 * 10 + s2;
      q += 2;
    } else {
      if (code(c, p + 3) !== 32) return;
      const month = MONTH_BY_CODE.get((code(c, p) << 16) | (code(c, p + 1) << 8) | code(c, p + 2));
      if (month === undefined) {
        this.readFullDate(c);
        return;
      }
      // day: `24`, ` 4` (padded) or `4`
      q = p + 4;
      let day: number;
      const a = digit(c, q);
      if (a < 0) {
        if (code(c, q) !== 32) return;
        day = digit(c, q + 1);
        q += 2;
      } else {
        const b = digit(c, q + 1);
        day = b < 0 ? a : a * 10 + b;
        q += b < 0 ? 1 : 2;
      }
      if (day < 1 || code(c, q) !== 32) return;
      secondOfDay = clockTime(c, q + 1);
      if (secondOfDay < 0) return;
      dayNs = this.dayStart(month, day);
      // `Mon DD HH:MM` (through the minute) for the lines after this one.
      this.lastMinute = codesAt(c.s, p, q + 6 - p);
      this.lastMinuteDayNs = dayNs;
      this.lastMinuteSeconds = secondOfDay - (secondOfDay % 60);
      q += 9;
    }
    let fracNs = 0;
    if (code(c, q) === 46 /* . */) {
      // Digits beyond nanoseconds are read and dropped.
      let fraction = 0;
      let digits = 0;
      for (q++; ; q++) {
        const d = digit(c, q);
        if (d < 0) break;
        if (digits < 9) fraction = fraction * 10 + d;
        digits++;
      }
      fracNs = fractionNs(fraction, Math.min(digits, 9));
    }
    if (code(c, q) !== 32) return;
    setTime(c, dayNs, secondOfDay * 1_000_000_000 + fracNs);
    this.yearInferred = true;
    c.clock = 'realtime';
    c.prefixed = true;
    c.pos = q + 1;
    this.readHostIdent(c);
  }

  // journal short-full: `Tue 2024-02-27 10:00:05 UTC host ident: `. A zone abbreviation other than UTC/GMT
  // names no offset this can know: the time is read as given, as a syslog date's is.
  private readFullDate(c: Cursor): void {
    const m = code(c, c.pos + 4) >= 48 && code(c, c.pos + 4) <= 57 ? FULL_DATE_RE.exec(rest(c, c.pos)) : null;
    if (!m) return;
    const zone = m[8]!;
    const offset = zone.charCodeAt(0) === 43 || zone.charCodeAt(0) === 45 ? parseZoneOffset(zone) : 0;
    setTime(c, civilToNs({ year: Number(m[1]), month: Number(m[2]) - 1, day: Number(m[3]), hour: Number(m[4]), minute: Number(m[5]), second: Number(m[6]), fraction: m[7] ?? '', offsetMinutes: offset ?? 0 }), 0);
    c.clock = 'realtime';
    c.prefixed = true;
    c.pos += m[0].length;
    this.readHostIdent(c);
  }

  /** ns at 00:00 of a day of `yearHint` (cached: a log covers few days). */
  private dayStart(month: number, day: number): bigint {
    const key = month * 32 + day;
    if (key !== this.lastDayKey) {
      this.lastDayKey = key;
      this.lastDayNs = this.yearlessDay(month, day);
    }
    return this.lastDayNs;
  }

  /** ns at 00:00 of a day named without its year: the hint's year, or the one before (see dateHintMs). */
  private yearlessDay(month: number, day: number): bigint {
    const ns = civilToNs({ year: this.yearHint, month, day, hour: 0, minute: 0, second: 0, fraction: '', offsetMinutes: 0 });
    if (this.latestNs === null || ns <= this.latestNs) return ns;
    return civilToNs({ year: this.yearHint - 1, month, day, hour: 0, minute: 0, second: 0, fraction: '', offsetMinutes: 0 });
  }

  // dmesg -x: `kern  :err   : [    1.234567] message`.
  private readDecode(c: Cursor): void {
    const colon = find(c, 58 /* : */, c.pos, 9) - c.pos;
    if (colon < 3) return;
    const m = DECODE_RE.exec(rest(c, c.pos));
    if (!m) return;
    c.level = LEVELS[m[2]!] ?? null;
    c.prefixed = true;
    c.pos += m[0].length;
    if (code(c, c.pos) === 91) this.readBracket(c);
  }
}

function trimRight(s: string, start: number, end: number): number {
  while (end > start && s.charCodeAt(end - 1) === 32) end--;
  return end;
}

/**
 * The kernel's own stamp inside a syslog line (`May 24 14:33:12 host kernel: [ 7912.345678] kvm …`, rsyslog's
 * kern.log), in ns since boot; null where there is none. The line's time is the syslog one, to the second;
 * a fault keeps this one beside it, to be matched with traces and dmesg, which count since boot.
 */
export function kernelStampInside(line: string): bigint | null {
  const at = line.indexOf(' kernel: [');
  if (at < 0 || at > 200) return null;
  // `kernel` is the syslog identifier, after the host; not words of another program's message.
  const host = line.slice(line.lastIndexOf(' ', at - 1) + 1, at);
  if (host === '' || /:$|[[\]]/.test(host)) return null;
  const start = at + 10;
  const close = line.indexOf(']', start);
  if (close < 0 || close - start > 20) return null;
  const ns = parseSecondsNs(line, start, close);
  return ns < 0 ? null : BigInt(ns);
}
