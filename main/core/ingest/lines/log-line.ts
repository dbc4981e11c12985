// The kernel-log line tokenizer: one physical line -> its prefixes (quote marks, printk level, timestamp,
// printk caller, PREEMPT_RT CPU, syslog/journal host and identifier) and the message after them. Every
// dialect of ../shared/docs/DOMAIN.md §4 goes through here; dispatch is on the first character, so the
// common dmesg line costs a few char-code reads and no regex. This file holds the LogLine, the dispatch
// (scan) and the quote and `<N>` prefixes; the prefix families are read by the classes it extends:
// dmesg-prefix.ts (bracket stamps, dmesg -x) and syslog-prefix.ts (syslog, journal, ISO and RFC 5424
// dates, host and identifier). The per-line state and char-code reads are line-cursor.ts's.
import { DmesgPrefixReader } from './dmesg-prefix';
import { code, find, timeOf, type Cursor, type TokenizerOptions } from './line-cursor';
import { parseSecondsNs, type Clock } from './timestamps';

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

export class LogLineTokenizer extends DmesgPrefixReader {
  /** One cursor reused for every line (a line's tokens are read out before the next line). */
  private readonly cursor: Cursor = { s: '', start: 0, end: 0, pos: 0, tsBase: null, tsOff: 0, clock: null, cpu: null, pid: null, level: null, host: null, ident: null, prefixed: false };

  constructor(options: TokenizerOptions = {}) {
    super(options);
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
