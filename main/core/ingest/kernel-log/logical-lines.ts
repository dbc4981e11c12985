// Physical lines -> logical lines: undoes the damage mail clients, terminals and capture tools do to a log
// before the record assemblers read it (../shared/docs/DOMAIN.md §4, "Surprising variations"):
//   - wrapping in the middle of a field: in a timestamped log, a line without a prefix continues the one
//     before it (`Unable to handle kernel paging request at virtual address ⏎ffff001f11e1e436`);
//   - wrapping in the middle of a hex value (`0x00000000960⏎00004` -> one 16-digit value);
//   - quoted-printable soft breaks (`func_re=⏎ad },`) and `=3D` escapes;
//   - a LAVA line injected in the middle of another (`...virtual addr<5>[ 45.834484] random: fast init
//     done⏎ess 0000000000000010`): split out, and the interrupted line re-joined without a space;
//   - a console line the kernel printed over (`root@host:~# [  412.880753] kvm [2001]: Unsupported FSC: …`):
//     the kernel's line split out as a line of its own, the prompt before it dropped;
//   - lines a serial console interleaves with the kernel's (`[  OK  ] Started …`, a shell prompt): never a
//     wrapped piece of the kernel line before them;
//   - literal `^M` at line ends, debug function prefixes (`mem_abort_decode:`, `show_pte:`);
//   - and keeps apart what only looks wrapped: dmesg prints the further lines of a multi-line record
//     indented and without a stamp (`[ 46.7] Kernel panic - not syncing: HYP panic:⏎               PS:...`);
//   - and splits what the journal keeps whole: one printk record with embedded newlines is one MESSAGE
//     (`"Kernel panic - not syncing: HYP panic:\nPS:400003c9 PC:… ESR:…\nFAR:…"`), a line each here.
import type { LogLine } from '../lines/log-line';
import type { LogDialect } from '../lines/dialect';
import type { Clock } from '../lines/timestamps';
import { BOOT_SEPARATOR_RE } from './patterns';
import { isConsoleLine } from '../lines/console-lines';

export interface PhysicalLine {
  readonly lineNo: number;
  readonly text: string;
}

export interface LogicalLine {
  /** The message after every prefix, continuations joined. */
  readonly message: string;
  /** `message` without leading blanks, debug function prefixes and trailing `^M`: what rules match. */
  readonly body: string;
  readonly lineNo: number;
  readonly endLineNo: number;
  readonly tsNs: bigint | null;
  readonly clock: Clock | null;
  readonly cpu: number | null;
  readonly pid: number | null;
  readonly ident: string | null;
  readonly prefixed: boolean;
  /** The physical lines this logical line was made of (none for a line split out of another). */
  readonly physical: readonly PhysicalLine[];
}

export interface JoinStats {
  wrapped: number;
  injected: number;
}

// Function-name prefixes of debug printk builds (`#define pr_fmt(fmt) "%s: " fmt, __func__`):
//   mem_abort_decode:   ESR = 0x92000047        show_pte: [0000ffff6dff0000] pgd=000000176bae0003
const DEBUG_PREFIX_RE = /^(?:mem_abort_decode|data_abort_decode|show_pte|__do_kernel_fault|die_kernel_fault|do_mem_abort|__do_user_fault): ?/;
// A syslog-priority-prefixed dmesg line injected inside another: `<5>[   45.834484] random: ...`
const INJECTED_RE = /<\d>\[\s*\d+\.\d+\]/;
// A printk stamp inside a line without a prefix: the kernel printed over a console line (a shell prompt,
// a boot loader's output). The stamp must end the text before it or follow a blank, so that a message
// quoting a stamp in the middle of a word does not split.
const STAMP_INSIDE_RE = /(?:^|[\s#$>:])(\[\s*\d+\.\d{6}\] )/;
const HEX_TAIL_RE = /(?:^|[^0-9a-fA-F])([0-9a-fA-F]+)$/;
const HEX_HEAD_RE = /^([0-9a-fA-F]+)(?:[^0-9a-fA-F]|$)/;

/** Derives the rule-matching body of a message. */
export function bodyOf(message: string): string {
  let start = 0;
  while (start < message.length && (message.charCodeAt(start) === 32 || message.charCodeAt(start) === 9)) start++;
  let body = start === 0 ? message : message.slice(start);
  const c = body.charCodeAt(0);
  if ((c === 109 || c === 115 || c === 100 || c === 95) && DEBUG_PREFIX_RE.test(body)) {
    body = body.replace(DEBUG_PREFIX_RE, '').trimStart();
  }
  if (body.endsWith('^M')) body = body.replace(/(?:\^M)+$/, '');
  return body;
}

/**
 * Joins a wrapped continuation to the text before it. A break inside a hex value (the two runs of hex
 * digits add up to 8 or 16 digits while the first alone does not) joins without a space; a break after a
 * space keeps that space; any other break was a space the wrapping consumed.
 */
export function joinWrapped(before: string, after: string): string {
  const cont = after.trimStart();
  if (before.endsWith(' ') || before.length === 0) return before + cont;
  const tail = HEX_TAIL_RE.exec(before);
  const head = HEX_HEAD_RE.exec(cont);
  if (tail && head) {
    const a = tail[1]!.length;
    const total = a + head[1]!.length;
    if ((total === 8 || total === 16) && a !== 8 && a !== 16) return before + cont;
  }
  return before + ' ' + cont;
}

/** journalctl's line between two boots: a line of its own, never the wrapped end of the line before it. */
export function isBootSeparator(message: string): boolean {
  return message.charCodeAt(0) === 45 /* - */ && message.charCodeAt(1) === 45 && BOOT_SEPARATOR_RE.test(message);
}

function decodeQuotedPrintable(text: string): string {
  return text.replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

const RECENT_LINES = 32;

/**
 * Whether the last RECENT_LINES physical lines (from the first prefixed one on: the prose of a mail before
 * a pasted log says nothing about the log) are those of a prefixed log, where a line without a prefix is
 * the wrapped end of the one before. Local, so that a run of wrapped lines early in a file does not decide
 * for the rest of it: a share counted over the whole file fell below the mark after a few lines wrapped in
 * three and never recovered.
 */
class RecentLines {
  private readonly ring = new Uint8Array(RECENT_LINES);
  private at = 0;
  private lines = 0;
  private prefixed = 0;

  add(prefixed: boolean): void {
    if (this.lines === RECENT_LINES) this.prefixed -= this.ring[this.at]!;
    else this.lines++;
    this.ring[this.at] = prefixed ? 1 : 0;
    if (prefixed) this.prefixed++;
    this.at = (this.at + 1) % RECENT_LINES;
  }

  /** `n` prefixed lines at once (counted, not built: LogicalLineJoiner.skipMore). */
  addPrefixed(n: number): void {
    for (let k = Math.min(n, RECENT_LINES); k > 0; k--) this.add(true);
  }

  get started(): boolean {
    return this.lines > 0;
  }

  /**
   * Half the recent lines prefixed (a log with a wrapped line here and there, or the start of one), or a
   * third with at least two of them (a mail client wrapping at 72 columns cuts a stamped kernel line in
   * two or three pieces). A single dated line among lines of their own (libvirt's header over QEMU's
   * command line and output, a console's userspace output) is neither: those lines stay apart.
   */
  get isPrefixedLog(): boolean {
    return this.prefixed * 2 >= this.lines || (this.prefixed >= 2 && this.prefixed * 3 >= this.lines);
  }
}

interface Pending {
  first: LogLine;
  message: string;
  endLineNo: number;
  /** The continuation lines, when there are any (most logical lines are one physical line). */
  more: PhysicalLine[] | null;
  /** The line was cut by an injected line: its continuation joins without a space. */
  interrupted: boolean;
}

export class LogicalLineJoiner {
  private pending: Pending | null = null;
  private readonly recent = new RecentLines();
  readonly stats: JoinStats = { wrapped: 0, injected: 0 };

  constructor(
    private readonly dialect: LogDialect,
    private readonly out: (line: LogicalLine) => void,
    /** Tokenizes the text of a line split out of another (it has its own prefix). */
    private readonly tokenize: (text: string, lineNo: number) => LogLine,
    /**
     * Whether a logical line with this message (and the stamp of its first line) is wanted downstream (the
     * rest are not even built).
     */
    private readonly wants: (message: string, tsNs?: bigint | null) => boolean = () => true,
  ) {}

  push(line: LogLine): void {
    if (line.message.indexOf('\n') >= 0) {
      this.pushRecordLines(line);
      return;
    }
    const blank = line.message.length === 0 || line.message.trim().length === 0;
    if (blank && !line.prefixed) {
      this.flush();
      return;
    }
    if (!line.prefixed && this.dialect.stampInside && this.splitStamped(line)) return;
    if (line.prefixed || this.recent.started) this.recent.add(line.prefixed);
    const p = this.pending;
    if (p !== null && !line.prefixed && this.continues(p) && !isBootSeparator(line.message) && !isConsoleLine(line.message)) {
      if (!this.isRecordContinuation(p, line)) {
        this.append(p, line);
        return;
      }
      // dmesg prints the further lines of a multi-line record (the HYP panic string, KVM's sysreg
      // dump) indented and without a stamp: each is a line of its own, at the time of the first.
      this.flush();
      this.start({ ...line, tsNs: p.first.tsNs, clock: p.first.clock, cpu: p.first.cpu, pid: p.first.pid, prefixed: true });
      return;
    }
    this.flush();
    this.start(line);
  }

  /**
   * A record whose text holds newlines (a journal entry's MESSAGE: journald stores a printk record whole,
   * kernel/printk/printk.c keeps the newlines inside one, e.g. hyp_panic's "HYP panic:\nPS:%08llx PC:%016llx
   * ESR:%016llx\nFAR:…"): each of its lines is a line of its own, at the record's time, as dmesg prints
   * them (see isRecordContinuation). Blank lines in it end the line before, as a blank line does.
   */
  private pushRecordLines(line: LogLine): void {
    for (const piece of line.message.split('\n')) {
      const text = piece.endsWith('\r') ? piece.slice(0, -1) : piece;
      this.push({ ...line, text, message: text });
    }
  }

  /**
   * A line without a prefix that holds a printk stamp after other text: the kernel's line is split out and
   * read as a line of its own; the text before it (a prompt) ends the pending line. False: no stamp inside.
   */
  private splitStamped(line: LogLine): boolean {
    const m = STAMP_INSIDE_RE.exec(line.message);
    if (m === null) return false;
    const at = m.index + m[0].length - m[1]!.length;
    if (at === 0) return false;
    const kernel = this.tokenize(line.message.slice(at), line.lineNo);
    if (!kernel.prefixed) return false;
    this.stats.injected++;
    this.flush();
    this.push(kernel);
    return true;
  }

  /** An indented line after a stamped one is the next line of the same record, not a wrapped one. */
  private isRecordContinuation(p: Pending, line: LogLine): boolean {
    if (this.dialect.quotedPrintable && p.message.endsWith('=')) return false;
    const c = line.message.charCodeAt(0);
    return c === 32 || c === 9;
  }

  end(): void {
    this.flush();
  }

  /**
   * Counts a prefixed line that its reader found cannot matter (it fails the gate, the line after it is
   * prefixed too, no block is open) without building it, where push() would come to the same: the
   * pending line flushed and given up (nothing downstream wants it), the new line pending alone and given
   * up in turn when the next prefixed line flushes it. False (nothing done) where push() could do more: a
   * pending line that is wanted, or a dialect whose lines may carry injected lines or quoted-printable text.
   */
  skipPrefixed(): boolean {
    if (this.dialect.levelPrefixes || this.dialect.quotedPrintable) return false;
    const p = this.pending;
    if (p !== null && this.wants(p.message)) return false;
    this.recent.add(true);
    this.pending = null;
    return true;
  }

  /** `n` more prefixed lines counted as skipPrefixed() just counted one (it had taken it: no line is pending). */
  skipMore(n: number): void {
    this.recent.addPrefixed(n);
  }

  /** A prefix-less line continues the pending one when the log around it is prefixed. */
  private continues(p: Pending): boolean {
    if (this.dialect.wholeLines === true) return false;
    if (this.dialect.quotedPrintable && p.message.endsWith('=')) return true;
    return p.first.prefixed && this.recent.isPrefixedLog;
  }

  private append(p: Pending, line: LogLine): void {
    if (this.dialect.quotedPrintable && p.message.endsWith('=')) {
      p.message = p.message.slice(0, -1) + line.message;
    } else if (p.interrupted) {
      p.message = p.message + line.message.trimStart();
      p.interrupted = false;
    } else {
      p.message = joinWrapped(p.message, line.message);
    }
    p.endLineNo = line.lineNo;
    (p.more ??= []).push({ lineNo: line.lineNo, text: line.text });
    this.stats.wrapped++;
  }

  private start(line: LogLine): void {
    let message = line.message;
    let interrupted = false;
    if (this.dialect.levelPrefixes) {
      const m = INJECTED_RE.exec(message);
      if (m && m.index > 0) {
        const injected = this.tokenize(message.slice(m.index), line.lineNo);
        message = message.slice(0, m.index);
        interrupted = true;
        this.stats.injected++;
        this.emit({ first: injected, message: injected.message, endLineNo: line.lineNo, more: null, interrupted: false }, false);
      }
    }
    this.pending = { first: line, message, endLineNo: line.lineNo, more: null, interrupted };
  }

  private flush(): void {
    if (this.pending === null) return;
    const p = this.pending;
    this.pending = null;
    this.emit(p);
  }

  /** `own`: the first physical line belongs to this logical line (false for a line split out of another). */
  private emit(p: Pending, own = true): void {
    const message = this.dialect.quotedPrintable && p.message.indexOf('=') >= 0 ? decodeQuotedPrintable(p.message) : p.message;
    const f = p.first;
    if (!this.wants(message, f.tsNs)) return;
    const physical: PhysicalLine[] = own ? [{ lineNo: f.lineNo, text: f.text }] : [];
    if (p.more !== null) physical.push(...p.more);
    this.out({
      message,
      body: bodyOf(message),
      lineNo: f.lineNo,
      endLineNo: p.endLineNo,
      tsNs: f.tsNs,
      clock: f.clock,
      cpu: f.cpu,
      pid: f.pid,
      ident: f.ident,
      prefixed: f.prefixed,
      physical,
    });
  }
}
