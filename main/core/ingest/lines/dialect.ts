// Which kind of log a text is, decided from its first lines (content, never the name): the dialect picks
// how ambiguous prefixes are read (is `[ 23352.43] rockpro64 kernel:` a journal line or a dmesg message
// that starts with "rockpro64"?) and whether pasted-mail repairs (quoted-printable) apply.
import { assertNever } from '../../result';

export type DialectName =
  | 'dmesg'
  | 'journal'
  | 'journal-json'
  | 'syslog'
  | 'qemu-log'
  | 'console'
  | 'ftrace-like'
  | 'text';

export interface LogDialect {
  readonly name: DialectName;
  /** journalctl -o short-monotonic: `[23352.431106] host ident: message`. */
  readonly journalAfterBracket: boolean;
  /** One JSON object per line (journalctl -o json). */
  readonly json: boolean;
  /** Quoted-printable mail text (`=3D`, soft line breaks ending in `=`). */
  readonly quotedPrintable: boolean;
  /** kernelci/LAVA `<5>[ 45.8] ...` prefixes: such lines can be injected in the middle of another. */
  readonly levelPrefixes: boolean;
  /**
   * Lines are stamped by printk (`[  412.880753] …`, a dmesg or a console capture): a stamp inside a line
   * without a prefix starts a kernel line printed over another (logical-lines.ts).
   */
  readonly stampInside?: boolean;
  /** dmesg -H: the wall-clock time printed to the minute (`[May24 14:33]`), deltas after it. */
  readonly minuteStamps?: boolean;
  /**
   * Every line is whole, never the wrapped end of the one before: a structured log's record a line (a LAVA
   * job log, lava-log.ts), where a line without a prefix is one of its own.
   */
  readonly wholeLines?: boolean;
}

const SAMPLE_LINES = 400;

// Examples of each shape (after any `> `/`| ` quoting):
//   [    1.234567] Booting Linux on physical CPU 0x0000000000 [0x413fd0c1]
//   <1>[   16.007376] Unable to handle kernel NULL pointer dereference at virtual address 0000000000000010
//   [May24 14:33] arm-smmu 5040000.iommu: ...        [  +0.000034] adreno ...        (dmesg -H)
//   [Mon May 24 14:33:12 2021] usb 1-1: ...                                           (dmesg -T)
//   [   16.016300 <    0.008924>] ...   [Mon May 24 14:33:12 2021 <    0.008924>] ...   (dmesg -d, -T -d)
//   [<    0.008924>] ...                                                              (--time-format delta)
// (util-linux sys-utils/dmesg.c print_record: "[%5ld.%06ld <%12.06f>] ", "[%s <%12.06f>] ", "[<%12.06f>] ")
const DMESG_RE =
  /^(?:<\d{1,3}>)?\[(?:\s*\d+\.\d+(?: <\s*\d+\.\d+>)?|\s*\+\d+\.\d+|<\s*\d+\.\d+>|[A-Z][a-z]{2}\d{1,2} \d\d:\d\d|[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4}(?: <\s*\d+\.\d+>)?)\]/;
//   [23352.431106] rockpro64 kernel: Mem abort info:                                 (journal -o short-monotonic)
const JOURNAL_MONO_RE = /^\[\s*\d+\.\d+\] [^\s:[\]]+ [^\s:[\]]+(?:\[\d+\])?: /;
//   May 24 14:33:12 host kernel: ...   May 24 14:33:12.123456 host kernel: ...   (syslog, journal short/-precise)
//   2021-05-24T14:33:12+0200 host kernel: ...                                      (journal short-iso)
//   14:04:59 h63 kernel: ...                                                       (time-only excerpt)
//   Tue 2024-02-27 10:00:05 UTC host kernel: ...                                    (journal short-full)
//   1709028009.654321 host kernel: ...                                             (journal short-unix)
const SYSLOG_RE =
  /^(?:[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d(?:\.\d+)?|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\S*|\d\d:\d\d:\d\d(?:\.\d+)?|[A-Z][a-z]{2} \d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? \S+|\d{9,11}\.\d{1,9}) [^\s:[\]]+ [^\s:[\]]+(?:\[\d+\])?:/;
const KERNEL_IDENT_RE = / kernel: /;
//   <3>1 2024-05-24T14:33:12.123456+02:00 myhost kernel - - - [ 3000.000100] ...  (RFC 5424 syslog)
const RFC5424_RE = /^<\d{1,3}>1 \d{4}-\d\d-\d\dT\S+ \S+ (\S+) \S+ \S+ /;
//   2024-02-28 10:00:00.000+0000: starting up libvirt version: 9.0.0, package: ... qemu version: 7.2.0
//   LC_ALL=C PATH=... /usr/bin/qemu-system-aarch64 -name guest=gpu-vm,debug-threads=on ...
//   error: kvm run failed Bad address
const QEMU_RE = /^(?:\d{4}-\d\d-\d\d[ T][\d:.]+(?:[+-]\d{2}:?\d{2}|Z)?: (?:starting up|shutting down|Domain id=)|LC_ALL=C |(?:\S+: )?error: kvm run failed|qemu-system-\w+: |char device redirected to)/;
//   # tracer: nop        kvm-vcpu-0-88776   [001] ...1.  6076.581774: kvm_exit: ...      cpus=2
const FTRACE_RE = /^# tracer: |^\s*\S.{0,40}-\d+\s+(?:\(\s*[\d-]+\)\s+)?\[\d{3}\]\s+(?:[.\w]{4,5}\s+)?\d+\.\d+: \w+:|^cpus=\d+$|^version = \d+$/;
// Words that only kernel logs say.
const KERNEL_WORDS_RE = /Linux version |Booting Linux|Kernel command line|Unable to handle kernel|Mem abort info|Internal error:|Call trace:|SError Interrupt|HYP panic|kvm \[\d+\]:|arm-smmu|Modules linked in|CPU: \d+ (?:UID: \d+ )?PID: \d+|^\s*x29: [0-9a-f]{16}/;
const QP_RE = /=3D|=20$|=09/;
//   [May24 14:33] …     (dmesg -H: the minute only)
const MINUTE_STAMP_RE = /^(?:<\d{1,3}>)?\[[A-Z][a-z]{2}\d{1,2} \d\d:\d\d\]/;

function stripQuote(line: string): string {
  let i = 0;
  while (i < line.length && (line.charCodeAt(i) === 62 || (i === 0 && line.charCodeAt(i) === 124))) {
    i++;
    if (line.charCodeAt(i) === 32) i++;
  }
  return i === 0 ? line : line.slice(i);
}

interface Counts {
  total: number;
  dmesg: number;
  journalMono: number;
  syslog: number;
  kernelIdent: number;
  json: number;
  qemu: number;
  ftrace: number;
  kernelWords: number;
  qp: number;
  softBreaks: number;
  level: number;
  minute: number;
}

function count(lines: readonly string[]): Counts {
  const c: Counts = { total: 0, dmesg: 0, journalMono: 0, syslog: 0, kernelIdent: 0, json: 0, qemu: 0, ftrace: 0, kernelWords: 0, qp: 0, softBreaks: 0, level: 0, minute: 0 };
  for (const raw of lines.slice(0, SAMPLE_LINES)) {
    const line = stripQuote(raw);
    if (line.trim() === '') continue;
    // ftrace comment headers other than `# tracer:` say nothing either way.
    if (line.charCodeAt(0) === 35 && !line.startsWith('# tracer: ')) continue;
    c.total++;
    if (DMESG_RE.test(line)) c.dmesg++;
    if (line.charCodeAt(0) === 60 && /^<\d{1,3}>\[/.test(line)) c.level++;
    if (MINUTE_STAMP_RE.test(line)) c.minute++;
    if (JOURNAL_MONO_RE.test(line)) c.journalMono++;
    if (SYSLOG_RE.test(line)) c.syslog++;
    if (KERNEL_IDENT_RE.test(line)) c.kernelIdent++;
    const r5424 = line.charCodeAt(0) === 60 ? RFC5424_RE.exec(line) : null;
    if (r5424 !== null) {
      c.syslog++;
      if (r5424[1] === 'kernel') c.kernelIdent++;
    }
    if (line.startsWith('{') && line.includes('"MESSAGE"')) c.json++;
    if (QEMU_RE.test(line)) c.qemu++;
    if (FTRACE_RE.test(line)) c.ftrace++;
    if (KERNEL_WORDS_RE.test(line)) c.kernelWords++;
    if (QP_RE.test(line)) c.qp++;
    if (line.endsWith('=') && !line.endsWith('==')) c.softBreaks++;
  }
  return c;
}

/** Decides the dialect of a log from its first lines. */
export function detectDialect(lines: readonly string[]): LogDialect {
  const c = count(lines);
  const half = Math.max(1, c.total * 0.5);
  const journalMono = c.journalMono >= half && c.kernelIdent > 0;
  let name: DialectName = 'text';
  if (c.json >= half) name = 'journal-json';
  else if (c.ftrace >= c.total * 0.3 && c.ftrace > c.dmesg && c.ftrace > c.syslog) name = 'ftrace-like';
  else if (journalMono) name = 'journal';
  else if (c.dmesg >= Math.max(1, c.total * 0.3)) name = 'dmesg';
  else if (c.syslog >= half) name = c.kernelIdent > 0 ? 'journal' : 'syslog';
  else if (c.qemu > 0) name = 'qemu-log';
  else if (c.kernelWords > 0) name = 'console';
  return {
    name,
    journalAfterBracket: journalMono,
    json: name === 'journal-json',
    quotedPrintable: c.qp >= 2 || (c.qp >= 1 && c.softBreaks >= 1),
    levelPrefixes: c.level > 0,
    stampInside: name === 'dmesg' || name === 'console',
    minuteStamps: name === 'dmesg' && c.minute > 0,
  };
}

/**
 * How sure we are that these lines are a kernel or VMM log (0..1), for the importer's `sniff`. Plain text
 * without kernel words scores 0: the fallback text importer takes it.
 */
export function scoreKernelLog(lines: readonly string[]): number {
  const d = detectDialect(lines);
  switch (d.name) {
    case 'journal-json':
      return 0.95;
    case 'dmesg':
    case 'journal':
      return 0.9;
    case 'qemu-log':
      return 0.8;
    case 'syslog':
    case 'console':
      return 0.7;
    case 'ftrace-like':
      return 0.3;
    case 'text':
      return 0;
    default:
      return assertNever(d.name, 'dialect');
  }
}
