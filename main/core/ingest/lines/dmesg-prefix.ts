// The dmesg prefixes of a kernel-log line (LogLineTokenizer, log-line.ts, extends this): the bracket stamps
// (`[    1.234567]`, dmesg -T, -H, -d and --time-format delta), what may follow them (printk caller,
// PREEMPT_RT CPU, journalctl -o short-monotonic's host and identifier) and dmesg -x's `kern  :err   : `.
// The common `[    1.234567] ` line is read by quickStamp in one pass, without a regex.
import { code, find, rest, setTime, type Cursor, type TokenizerOptions } from './line-cursor';
import { SyslogPrefixReader } from './syslog-prefix';
import { civilToNs, fractionNs, monthIndex, parseSecondsField, parseSecondsNs, SAFE_SECONDS, type Clock } from './timestamps';

// dmesg -x (`--decode`): `kern  :err   : [    1.234567] ...`
const DECODE_RE = /^(kern|user|mail|daemon|auth|syslog|lpr|news|uucp|cron|authpriv|ftp|local[0-7]) *:(emerg|alert|crit|err|warn|notice|info|debug) *: /;
// dmesg -T: `[Mon May 24 14:33:12 2021] `; dmesg -T -d adds the delta to the line before:
// `[Mon May 24 14:33:12 2021 <    0.008924>] ` (util-linux sys-utils/dmesg.c print_record, "[%s <%12.06f>] ").
const CTIME_RE = /^\[[A-Z][a-z]{2} ([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4})(?: < *\d+\.\d+>)?\]/;
// dmesg -H: `[May24 14:33] ` (absolute, minute precision); the lines after it carry `[  +0.000034]` deltas.
const HUMAN_RE = /^\[([A-Z][a-z]{2})(\d{1,2}) (\d{2}):(\d{2})\]/;

const LEVELS: Readonly<Record<string, number>> = { emerg: 0, alert: 1, crit: 2, err: 3, warn: 4, notice: 5, info: 6, debug: 7 };

const ZERO_NS = 0n;

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

function trimRight(s: string, start: number, end: number): number {
  while (end > start && s.charCodeAt(end - 1) === 32) end--;
  return end;
}

export abstract class DmesgPrefixReader extends SyslogPrefixReader {
  private readonly journalAfterBracket: boolean;
  /** dmesg -H/-d: the time of the previous line, to which the next delta is added. */
  protected lastBase: bigint | null = null;
  protected lastOff = 0;
  protected lastClock: Clock | null = null;

  constructor(options: TokenizerOptions) {
    super(options);
    this.journalAfterBracket = options.journalAfterBracket ?? false;
  }

  protected readBracket(c: Cursor): void {
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
  protected override readCaller(c: Cursor): void {
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
  protected override readRtCpu(c: Cursor): void {
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

  // dmesg -x: `kern  :err   : [    1.234567] message`.
  protected readDecode(c: Cursor): void {
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
