// The ftrace event line: one regular expression for both dialects (the engine compiles it to native code:
// measured 3-4x faster than a hand-written charCodeAt scanner of the same grammar), numbers converted from
// the captured digits. Text read as Latin-1 is scanned from its bytes instead (scanEventBytes, at the end:
// byte loads cost a third of charCodeAt, and no match array or captured strings are made).
//
// Grammar (kernel/trace/trace_output.c trace_print_context and trace_print_lat_fmt; libtraceevent's
// trace-cmd report layout), every part but the comm optional where shown:
//
//   [spaces] COMM "-" PID [spaces "(" TGID|"-------" ")"] spaces "[" CPU "]" spaces [FLAGS spaces]
//            SECS ["." FRAC] ":" [spaces "(+" DIFF ")"] [spaces NAME ":"] [spaces ARGS]
//
// `(+DIFF)`: the time since the CPU's previous event, in ns (trace-cmd report --ts-diff); not an argument.
//
// The comm may hold spaces, dashes and digits (`npm view xz-dec`, `kvm-vcpu-0`): the PID is the digits
// after the last dash before the CPU column. FLAGS is 4 characters before Linux 5.15 and 5 after
// (irqs-off d/D/b/X/. with b for bottom halves off since Linux 5.18, need-resched N/n/p/B/., hardirq/softirq
// Z/z/H/h/s/., preempt depth, migrate-disable).

import { INT64_MAX, MAX_SAFE_SECONDS, timestampBig } from './timestamp';

/**
 * A scanned event line; the scanner refills the same object (copy what you keep). The arguments are cut
 * from the line only when asked for: most events are stored as their raw line and never need them here.
 */
export class ScannedLine {
  comm = '';
  pid = 0;
  /** null when the line has no TGID column or prints `(-------)`. */
  tgid: number | null = null;
  cpu = 0;
  /**
   * The flags column as printed (`d..1.`); in trace-cmd report's raw latency layout (`-R -l`) the flags'
   * value in hex (`0x1d`), without the dash before it. null where the line has no flags column.
   */
  flags: string | null = null;
  /** Read in trace-cmd report's latency layout (`-l`), which cuts the comm to 8 characters. */
  latency = false;
  /**
   * Integer nanoseconds; exact below 2^53, `tsBig` holds the exact value beyond. For a `counter` time, the
   * count itself.
   */
  tsNs = 0;
  tsBig: bigint | null = null;
  /**
   * The time is a bare count (`%12llu`), not seconds: the trace clock does not count nanoseconds (counter,
   * uptime, x86-tsc; kernel/trace/trace_output.c trace_print_time prints seconds only for clocks in ns).
   */
  counter = false;
  name = '';
  /** The line the event was read from, and where its arguments start in it. */
  text = '';
  argsAt = 0;
  private cut: string | null = null;

  get args(): string {
    if (this.cut === null) this.cut = this.text.slice(this.argsAt);
    return this.cut;
  }

  set args(v: string) {
    this.cut = v;
  }

  /** Starts a new line: forgets the arguments cut from the previous one. */
  reset(text: string, argsAt: number): void {
    this.text = text;
    this.argsAt = argsAt;
    this.cut = null;
  }
}

export function emptyScannedLine(): ScannedLine {
  return new ScannedLine();
}

// Every event line, both dialects:
//           <idle>-0       [003] d.h1   346.216802: irq_handler_entry: irq=11 name=arch_timer
//        kvm-vcpu-0-88776   [001] ...1.  6076.581774: kvm_exit: TRAP: HSR_EC: 0x0018 (SYS64), PC: 0x0000000080528a6c
//             bash-1977    (   1977) [000] ...1.  1088.316245: sys_enter: NR 63 (3, ...)
//            <...>-1234    (-------) [002] ....  1234.567890: kvm_entry: PC: 0x0000ffff8a3b1c44
//             find-11092 [000]   449.993136: sys_enter:            NR 3 (4, 200, 557e6fa200f8, ...)
//  npm view xz-dec-11072 [000]   450.004043: sched_waking:         comm=node pid=11074 prio=120 target_cpu=000
//             ruby-2564  [001] 107227.460641: funcgraph_entry:        7.076 us   |  __math_state_restore();
//             bash-1977  [000] ....  1088.316245: do_sys_open <-do_syscall_64        (function tracer: no NAME)
//        CPU 0/KVM-4251  [001]  3000.000102: (+2000)  kvm_guest_fault:      ipa 0x9002000, ...  (--ts-diff)
//        CPU 2/KV-4252    1X..1.  1000.000003: kvm_exit:     TRAP: HSR_EC: 0x0017 (SMC64), PC: 0x…
//           (trace-cmd report -l, the latency layout: comm cut to 8 characters, "%3d" CPU and the flags
//            after it with no space, tracecmd/trace-read.c trace_show_data)
//        CPU 0/KV-4250    0-0x1d  1000.000001: kvm_entry:             vcpu_pc=0x0000000000000001
//       x-123456  11-0x1  1000.000002: kvm_entry:             vcpu_pc=0x0000000000000001
//           (trace-cmd report -R -l: with raw_format, trace_show_data prints the flags field's value as
//            "-0x%x" of tep_data_flags (common_flags, one byte) instead of the latency letters)
//   groups: 1 comm, 2 pid, 3 tgid, 4 cpu, 5 flags, 6 cpu and 7 flags of the latency layout (letters, or
//   `-0x` and the raw value), 8 secs, 9 frac, 10 name; the arguments follow the match
const EVENT_LINE =
  /^[ \t]*(\S.*?)-(\d+)[ \t]+(?:\([ \t]*(\d+|-+)\)[ \t]+)?(?:\[(\d{1,5})\][ \t]+(?:([dDbX.][A-Za-z.][A-Za-z.][0-9a-fA-F.][0-9a-fA-F.]?)[ \t]+)?|(\d{1,5})([dDbX.][A-Za-z.][A-Za-z.][0-9a-fA-F.][0-9a-fA-F.]?|-0x[0-9a-f]{1,8})[ \t]+)(\d+)(?:\.(\d+))?:(?:[ \t]+\(\+\d+\))?(?:[ \t]+([A-Za-z_][\w.-]*):(?=[ \t]|$))?[ \t]*/;

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9];

// libtraceevent's words for a field an event handler asked for and the event lacks (event-parse.c:
// tep_print_num_field prints `CAN'T FIND FIELD "%s"`; tep_get_field_raw and get_field_val `<CANT FIND FIELD
// %s>`). `trace-cmd report` prints them before the event's own text where a plugin's handler gives up: the
// kvm plugin (plugins/plugin_kvm.c) reads x86's kvm_exit and kvm_entry fields (exit_reason, vcpu_id, rip)
// whatever the architecture, so an arm64 host's report reads
//   kvm_exit:  <CANT FIND FIELD exit_reason>TRAP: HSR_EC: 0x0024 (DABT_LOW), PC: 0xffff80001073cd5c
//   kvm_entry: CAN'T FIND FIELD "vcpu_id"<CANT FIND FIELD rip>PC: 0xffff80001073cd5c
const QUOTED_MISSING = 'CAN\'T FIND FIELD "';
const BRACKETED_MISSING = '<CANT FIND FIELD ';

/** Where an event's arguments start: at `at`, or after the messages above. */
export function afterPluginErrors(line: string, at: number): number {
  for (;;) {
    const c = line.charCodeAt(at);
    let close = -1;
    if (c === 67 /* C */ && line.startsWith(QUOTED_MISSING, at)) close = line.indexOf('"', at + QUOTED_MISSING.length);
    else if (c === 60 /* < */ && line.startsWith(BRACKETED_MISSING, at)) close = line.indexOf('>', at + BRACKETED_MISSING.length);
    if (close === -1) return at;
    at = close + 1;
  }
}

/** `secs.frac` seconds beyond 2^53 ns into `out` as an exact bigint; false beyond INT64_MAX (no such time). */
function bigTime(secs: string, frac: string, out: ScannedLine): boolean {
  const t = timestampBig(secs, frac);
  if (t > INT64_MAX) return false;
  out.tsBig = t;
  out.tsNs = Number(t);
  return true;
}

/** A bare count into `out` (ScannedLine.counter), exact; false beyond INT64_MAX. */
function countTime(digits: string, out: ScannedLine): boolean {
  if (digits.length <= 15) {
    out.tsNs = +digits;
    out.tsBig = null;
  } else {
    const t = BigInt(digits);
    if (t > INT64_MAX) return false;
    out.tsBig = t <= BigInt(Number.MAX_SAFE_INTEGER) ? null : t;
    out.tsNs = Number(t);
  }
  out.counter = true;
  return true;
}

/**
 * Scans an event line of either dialect into `out`; false if it is not one (`out` may then hold parts of
 * it), or if its time is beyond what storage holds.
 */
export function scanEventLine(line: string, out: ScannedLine): boolean {
  const m = EVENT_LINE.exec(line);
  if (m === null) return false;
  out.comm = m[1] as string;
  out.pid = +(m[2] as string);
  const tgid = m[3];
  out.tgid = tgid === undefined || tgid.charCodeAt(0) === 45 /* - */ ? null : +tgid;
  out.cpu = +((m[4] ?? m[6]) as string);
  const latencyFlags = m[7];
  out.flags = m[5] ?? (latencyFlags === undefined ? null : latencyFlags.charCodeAt(0) === 45 /* - */ ? latencyFlags.slice(1) : latencyFlags);
  out.latency = m[6] !== undefined;
  const secs = m[8] as string;
  const frac = m[9];
  if (frac === undefined) {
    if (!countTime(secs, out)) return false;
  } else {
    const s = secs.length <= 7 ? +secs : Infinity;
    if (s <= MAX_SAFE_SECONDS) {
      const f = frac.length <= 9 ? +frac * POW10[9 - frac.length]! : +frac.slice(0, 9);
      out.tsNs = s * 1e9 + f;
      out.tsBig = null;
    } else if (!bigTime(secs, frac, out)) return false;
    out.counter = false;
  }
  out.reset(line, afterPluginErrors(line, m[0].length));
  // The function tracer prints "func <-parent" with no event name; other unnamed lines keep their text.
  out.name = m[10] ?? (out.args.includes(' <-') ? 'function' : 'print');
  return true;
}

// The same grammar read from the line's bytes, for text read as Latin-1 (every character one byte: the
// tokenizer thread reads ASCII input so). The expression above stays the definition; this scanner gives
// the same result for every line (the tests hold it to the expression). Reading a Uint8Array is ~3x cheaper
// per character than charCodeAt here, and the expression's match array and eight captured strings per line
// were the tokenizer thread's largest cost (~0.55 of ~1.7 s per million lines). Every part after the comm
// is deterministic (each token starts with a character the previous one cannot end with), so the only
// search is the lazy comm's: each dash after its first character is tried in turn, as the expression does,
// until the rest of the line matches from there.

// Scan state of the line being matched (module variables: no object per line).
let sPid = 0;
let sTgid: number | null = null;
let sCpu = 0;
let sFlagsAt = -1;
let sFlagsEnd = -1;
let sLatency = false;
let sSecs = 0;
let sSecsAt = 0;
let sSecsEnd = 0;
let sFracEnd = 0;
let sNameAt = -1;
let sNameEnd = -1;

const isDigitByte = (c: number): boolean => c >= 48 && c <= 57;
const isAlphaByte = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
const isHexByte = (c: number): boolean => isDigitByte(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);

/** The digits b[a, e) as a number, as unary plus on their text gives it (exact when accumulated up to 15). */
function digitsOf(b: Uint8Array, a: number, e: number, line: string, lineAt: number): number {
  if (e - a > 15) return +line.slice(a - lineAt, e - lineAt);
  let v = 0;
  for (let i = a; i < e; i++) v = v * 10 + (b[i]! - 48);
  return v;
}

/**
 * The irqs-off flag, the first of the flags (trace_print_lat_fmt): d (irqs off), D (irqs and bottom halves
 * off), b (bottom halves off, TRACE_FLAG_BH_OFF since Linux 5.18), X (no irqflags support), `.`.
 */
function isIrqsOffByte(c: number): boolean {
  return c === 100 || c === 68 || c === 98 || c === 88 || c === 46;
}

/**
 * Where the flags starting at `i` (an irqs-off byte there) end: after 4 or 5 characters, before white
 * space; -1 where they are not flags. Past the line's end a byte reads as -1 (no class holds it).
 */
function flagsEnd(b: Uint8Array, i: number, end: number): number {
  const f1 = i + 1 < end ? b[i + 1]! : -1;
  const f2 = i + 2 < end ? b[i + 2]! : -1;
  const f3 = i + 3 < end ? b[i + 3]! : -1;
  const f4 = i + 4 < end ? b[i + 4]! : -1;
  const f5 = i + 5 < end ? b[i + 5]! : -1;
  if (!(isAlphaByte(f1) || f1 === 46) || !(isAlphaByte(f2) || f2 === 46) || !(isHexByte(f3) || f3 === 46)) return -1;
  if ((isHexByte(f4) || f4 === 46) && (f5 === 32 || f5 === 9)) return i + 5;
  if (f4 === 32 || f4 === 9) return i + 4;
  return -1;
}

const isLowerHexByte = (c: number): boolean => isDigitByte(c) || (c >= 97 && c <= 102);

/**
 * Where the raw flags starting at `i` (a dash there) end: `-0x` and 1 to 8 lower-case hex digits ("-0x%x",
 * trace-cmd report -R -l), before white space; -1 where they are not that.
 */
function rawFlagsEnd(b: Uint8Array, i: number, end: number): number {
  if (i + 3 >= end || b[i + 1] !== 48 /* 0 */ || b[i + 2] !== 120 /* x */) return -1;
  let k = i + 3;
  while (k < end && isLowerHexByte(b[k]!)) k++;
  if (k === i + 3 || k - i - 3 > 8 || k === end || (b[k] !== 32 && b[k] !== 9)) return -1;
  return k;
}

/** Matches from the dash after a comm candidate to the arguments: their offset in `b`, or -1. */
function matchAfterDash(b: Uint8Array, dash: number, end: number, line: string, lineAt: number): number {
  let i = dash + 1;
  let j = i;
  while (j < end && isDigitByte(b[j]!)) j++;
  if (j === i) return -1;
  const pidAt = i;
  const pidEnd = j;
  i = j;
  while (i < end && (b[i] === 32 || b[i] === 9)) i++;
  if (i === j || i === end) return -1;
  sTgid = null;
  if (b[i] === 40 /* ( */) {
    i++;
    while (i < end && (b[i] === 32 || b[i] === 9)) i++;
    if (i === end) return -1;
    j = i;
    if (isDigitByte(b[i]!)) {
      while (j < end && isDigitByte(b[j]!)) j++;
      sTgid = digitsOf(b, i, j, line, lineAt);
    } else if (b[i] === 45 /* - */) {
      while (j < end && b[j] === 45) j++;
    } else return -1;
    if (j === end || b[j] !== 41 /* ) */) return -1;
    i = j + 1;
    while (i < end && (b[i] === 32 || b[i] === 9)) i++;
    if (i === j + 1 || i === end) return -1;
  }
  sFlagsAt = -1;
  sLatency = false;
  if (b[i] === 91 /* [ */) {
    j = i + 1;
    while (j < end && isDigitByte(b[j]!)) j++;
    if (j === i + 1 || j - i - 1 > 5 || j === end || b[j] !== 93 /* ] */) return -1;
    sCpu = digitsOf(b, i + 1, j, line, lineAt);
    i = j + 1;
    while (i < end && (b[i] === 32 || b[i] === 9)) i++;
    if (i === j + 1 || i === end) return -1;
    const f0 = b[i]!;
    if (isIrqsOffByte(f0)) {
      const fe = flagsEnd(b, i, end);
      if (fe === -1) return -1;
      sFlagsAt = i;
      sFlagsEnd = fe;
      i = fe;
      while (i < end && (b[i] === 32 || b[i] === 9)) i++;
    }
  } else {
    // The latency layout: the CPU's digits, then the flags (letters, or `-0x` and their value: -R -l).
    j = i;
    while (j < end && isDigitByte(b[j]!)) j++;
    if (j === i || j - i > 5 || j === end) return -1;
    const f0 = b[j]!;
    let fe = -1;
    if (isIrqsOffByte(f0)) {
      fe = flagsEnd(b, j, end);
      sFlagsAt = j;
    } else if (f0 === 45 /* - */) {
      fe = rawFlagsEnd(b, j, end);
      sFlagsAt = j + 1;
    }
    if (fe === -1) return -1;
    sCpu = digitsOf(b, i, j, line, lineAt);
    sLatency = true;
    sFlagsEnd = fe;
    i = fe;
    while (i < end && (b[i] === 32 || b[i] === 9)) i++;
  }
  j = i;
  let secs = 0;
  while (j < end && isDigitByte(b[j]!)) secs = secs * 10 + (b[j++]! - 48);
  if (j === i) return -1;
  sSecs = secs;
  sSecsAt = i;
  sSecsEnd = j;
  sFracEnd = j;
  if (j + 1 < end && b[j] === 46 /* . */ && isDigitByte(b[j + 1]!)) {
    j += 2;
    while (j < end && isDigitByte(b[j]!)) j++;
    sFracEnd = j;
  }
  if (j === end || b[j] !== 58 /* : */) return -1;
  i = j + 1;
  sNameAt = -1;
  j = i;
  while (j < end && (b[j] === 32 || b[j] === 9)) j++;
  // trace-cmd report --ts-diff: `(+2000)` after the colon.
  if (j > i && j + 2 < end && b[j] === 40 /* ( */ && b[j + 1] === 43 /* + */ && isDigitByte(b[j + 2]!)) {
    let k = j + 3;
    while (k < end && isDigitByte(b[k]!)) k++;
    if (k < end && b[k] === 41 /* ) */) {
      i = k + 1;
      j = i;
      while (j < end && (b[j] === 32 || b[j] === 9)) j++;
    }
  }
  if (j > i && j < end && (isAlphaByte(b[j]!) || b[j] === 95)) {
    let k = j + 1;
    for (let c = k < end ? b[k]! : -1; isAlphaByte(c) || isDigitByte(c) || c === 95 || c === 46 || c === 45; c = ++k < end ? b[k]! : -1);
    if (k < end && b[k] === 58 && (k + 1 === end || b[k + 1] === 32 || b[k + 1] === 9)) {
      sNameAt = j;
      sNameEnd = k;
      i = k + 1;
    }
  }
  sPid = digitsOf(b, pidAt, pidEnd, line, lineAt);
  while (i < end && (b[i] === 32 || b[i] === 9)) i++;
  return i;
}

/**
 * scanEventLine for a line whose characters are the bytes `b[at, at + line.length)` (Latin-1 or ASCII
 * text): the same result, read from the bytes.
 */
export function scanEventBytes(b: Uint8Array, at: number, line: string, out: ScannedLine): boolean {
  const end = at + line.length;
  let i = at;
  while (i < end && (b[i] === 32 || b[i] === 9)) i++;
  // \S: JavaScript's white space in Latin-1 is 9-13, 32 and 160.
  if (i === end || b[i] === 32 || (b[i]! >= 9 && b[i]! <= 13) || b[i] === 160) return false;
  const commAt = i;
  let argsAt = -1;
  for (i = commAt + 1; i < end; i++) {
    const c = b[i]!;
    if (c === 45 /* - */) {
      argsAt = matchAfterDash(b, i, end, line, at);
      if (argsAt !== -1) break;
    } else if (c === 10 || c === 13) return false; // what `.` does not match
  }
  if (argsAt === -1) return false;
  out.comm = line.slice(commAt - at, i - at);
  out.pid = sPid;
  out.tgid = sTgid;
  out.cpu = sCpu;
  out.flags = sFlagsAt === -1 ? null : line.slice(sFlagsAt - at, sFlagsEnd - at);
  out.latency = sLatency;
  const secsLen = sSecsEnd - sSecsAt;
  const fracAt = sSecsEnd + 1;
  if (sFracEnd === sSecsEnd) {
    if (!countTime(line.slice(sSecsAt - at, sSecsEnd - at), out)) return false;
  } else {
    const fracLen = sFracEnd - fracAt;
    if (secsLen <= 7 && sSecs <= MAX_SAFE_SECONDS) {
      const f = fracLen <= 9 ? digitsOf(b, fracAt, sFracEnd, line, at) * POW10[9 - fracLen]! : digitsOf(b, fracAt, fracAt + 9, line, at);
      out.tsNs = sSecs * 1e9 + f;
      out.tsBig = null;
    } else if (!bigTime(line.slice(sSecsAt - at, sSecsEnd - at), line.slice(fracAt - at, sFracEnd - at), out)) return false;
    out.counter = false;
  }
  out.reset(line, afterPluginErrors(line, argsAt - at));
  // As scanEventLine: the function tracer's lines have no name.
  out.name = sNameAt !== -1 ? line.slice(sNameAt - at, sNameEnd - at) : out.args.includes(' <-') ? 'function' : 'print';
  return true;
}
