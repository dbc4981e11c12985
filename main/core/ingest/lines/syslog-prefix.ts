// The syslog and journal prefixes of a kernel-log line (the base of LogLineTokenizer, log-line.ts): syslog
// dates without a year (`May 24 14:33:12`), ISO dates, time-only syslog, journal short-full and short-unix,
// RFC 5424, the `host ident[pid]: ` after them, and the kernel's own `[stamp][caller]` that rsyslog keeps
// after `kernel: `. Read by char codes where a journal export starts every line with one; regexes for the
// rarer forms. The printk caller and PREEMPT_RT CPU readers they end with are dmesg-prefix.ts's.
import { code, codesAt, digit, find, rest, same, setTime, startsWithCodes, type Cursor, type TokenizerOptions } from './line-cursor';
import { civilToNs, fractionNs, parseSecondsNs, parseZoneOffset, timeOfDayToNs } from './timestamps';

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

// `Jan`..`Dec` by their three char codes.
const MONTH_BY_CODE: ReadonlyMap<number, number> = new Map(
  ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'].map((m, i) => [(m.charCodeAt(0) << 16) | (m.charCodeAt(1) << 8) | m.charCodeAt(2), i]),
);

const DAY_MS = 86_400_000;

/** `HH:MM:SS` at `i` as seconds of the day, or -1. */
function clockTime(c: Cursor, i: number): number {
  const h1 = digit(c, i), h2 = digit(c, i + 1), m1 = digit(c, i + 3), m2 = digit(c, i + 4), s1 = digit(c, i + 6), s2 = digit(c, i + 7);
  if (h1 < 0 || h2 < 0 || m1 < 0 || m2 < 0 || s1 < 0 || s2 < 0 || code(c, i + 2) !== 58 || code(c, i + 5) !== 58) return -1;
  return (h1 * 10 + h2) * 3600 + (m1 * 10 + m2) * 60 + s1 * 10 + s2;
}

export abstract class SyslogPrefixReader {
  private readonly yearHint: number;
  /** A date without a year was read (the year came from `yearHint`). */
  yearInferred = false;
  /** The latest a date without a year can be (the file's date and a day), in ns; null: no date known. */
  private readonly latestNs: bigint | null;
  private lastDayKey = -1;
  private lastDayNs = 0n;
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

  constructor(options: TokenizerOptions) {
    const hint = options.dateHintMs;
    this.yearHint = hint !== undefined ? new Date(hint).getUTCFullYear() : (options.yearHint ?? 1970);
    this.latestNs = hint !== undefined ? BigInt(Math.floor(hint) + DAY_MS) * 1_000_000n : null;
  }

  // The printk caller and the PREEMPT_RT CPU (dmesg-prefix.ts): rsyslog keeps the one after `kernel: `, a
  // line may start with the other.
  protected abstract readCaller(c: Cursor): void;
  protected abstract readRtCpu(c: Cursor): void;

  /** An RFC 5424 line after its `<PRI>`: the date, host, program and PID, then the kernel's own stamp. */
  protected readRfc5424(c: Cursor): void {
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

  // `host ident[pid]: ` (`h63 kernel: `, `host qemu-kvm[4321]: `), by char codes.
  protected readHostIdent(c: Cursor): void {
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
  protected readDigitPrefix(c: Cursor): void {
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
  protected readSyslogDate(c: Cursor): void {
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
  protected yearlessDay(month: number, day: number): bigint {
    const ns = civilToNs({ year: this.yearHint, month, day, hour: 0, minute: 0, second: 0, fraction: '', offsetMinutes: 0 });
    if (this.latestNs === null || ns <= this.latestNs) return ns;
    return civilToNs({ year: this.yearHint - 1, month, day, hour: 0, minute: 0, second: 0, fraction: '', offsetMinutes: 0 });
  }
}
