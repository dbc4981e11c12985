// Logical lines -> fault records and host facts. Lines are gated by their first character (a table, not a
// ladder of regexes: an ordinary line costs one Map lookup), open blocks are routed by the CPU the lines
// carry (PREEMPT_RT `003:`, printk caller `[C3]`) so that interleaved reports from two CPUs stay apart,
// and re-prints of one fault (a serial capture repeating a chunk) are merged into one record. This file
// dispatches the lines to the blocks, tells the boots of the log apart and builds the records; the
// opener table, the gate and the streams are openers.ts, the re-prints' bookkeeping reprints.ts.
import type { FaultRecord } from '../fault-record';
import type { DiagnosticId } from '../diagnostics';
import { describeMidr } from '../context/midr';
import { isBootSeparator, type LogicalLine, type PhysicalLine } from './logical-lines';
import { viewOf, type LineView, type OpenBlock } from './blocks/block';
import { mayMatter, OPENERS, startsWithAny, streamOf, USER_FAULT_OPENER } from './openers';
import { openSingleLine } from './single-line';
import { hex, type Draft, type ExtraValue } from './draft';
import { exactStamps, printedLine } from './dedup';
import { ReprintMerger } from './reprints';
import * as P from './patterns';
import { assertNever } from '../../result';
import { earlierBootClock, MONOTONIC } from '../boot-clock';
import { kernelStampInside } from '../lines/log-line';
import { isConsoleLine } from '../lines/console-lines';

export type ContextFact =
  | { readonly kind: 'kernel'; readonly release: string }
  | { readonly kind: 'cpu'; readonly midr: string; readonly description: string }
  | { readonly kind: 'cmdline'; readonly cmdline: string }
  | { readonly kind: 'paging'; readonly pageSizeKiB: number; readonly vaBits: number }
  | { readonly kind: 'hostname'; readonly name: string };

export interface AssemblerOutput {
  fault(record: FaultRecord): void;
  context(fact: ContextFact): void;
  diagnostic(id: DiagnosticId, line: number, message: string): void;
}

export interface AssemblerOptions {
  /** Path of the file inside the bundle, for the records' source. */
  readonly file: string;
  /** Facts added to every record of this file (the VM a QEMU log belongs to). */
  readonly extra?: Readonly<Record<string, ExtraValue>>;
  /**
   * The log is of the boot before the bundle's (what a crashed kernel left: pstore, kdump's vmcore-dmesg):
   * the records of its first boot are of boot -1, on that boot's since-boot clock. (Such a log holds one boot;
   * boots after the first in it are placed by the lines where they begin, as in any log.)
   */
  readonly previousBoot?: boolean;
}

const MAX_WINDOW_LINES = 4000;
/** A block whose lines stop for this long is over (10 s, in ns). */
const MAX_GAP_NS = 10_000_000_000n;
/** Fault stamps kept per boot, to recognize a replay of its log. */
const MAX_STAMPS = 10_000;

/** What a replay of a log repeats of a fault: its kind, its stamp to the nanosecond, who and where. */
function faultStamp(d: Draft): string {
  return `${d.kind}|${d.timeNs}|${d.esr}|${d.far}|${d.pc}|${d.cpu}|${d.pid}|${d.oops}`;
}

/** The first lines a kernel prints at boot (arm64: setup_arch's "Booting Linux", then start_kernel's banner). */
function isBootBanner(body: string): boolean {
  return body.startsWith('Booting Linux on physical CPU') || body.startsWith('Linux version ');
}

export class FaultAssembler {
  private readonly blocks = new Map<string, OpenBlock>();
  /**
   * The lines since the first open block began, for the records' text; with the stream of each (streamOf)
   * and the time it was read at.
   */
  private window: PhysicalLine[] = [];
  private windowStreams: string[] = [];
  private windowStamps: (bigint | null)[] = [];
  /** The records emitted, held a while for their re-prints (reprints.ts). */
  private readonly reprints: ReprintMerger;
  private kernel: string | null = null;
  /** Boots seen before the current one (boot-clock.ts): a record's `boot` extra until the file's end. */
  private boot = 0;
  /** The line at which each boot after the first begins. */
  private readonly bootLines: number[] = [];
  /** The latest since-boot time of the current boot, of the lines read here. */
  private bootLatestNs: bigint | null = null;
  private sawLine = false;
  private sawSinceBoot = false;
  /** A line with a stamp was read (a log without any tells its boots only by their banners). */
  private sawStamp = false;
  /** A line other than the boot banner was read in the current boot. */
  private bootRead = false;
  /**
   * The last line before the current one, banner lines aside, was a shell prompt: a banner now is a
   * command's output (`dmesg` replaying the ring buffer from its first line), not a reboot.
   */
  private afterPrompt = false;
  /** The current boot's faults by stamp (faultStamp), up to MAX_STAMPS: what a replay of its log repeats. */
  private stamps = new Set<string>();
  /**
   * A boot begun at a banner, until its first timed fault: `dmesg` run on a console prints the boot's log
   * again, banner first, into the capture. If that fault is one the boot before printed, at its stamp, the
   * banner began a replay, not a boot: the boot before goes on, with what it had.
   */
  private tentative: { readonly kernel: string | null; readonly latestNs: bigint | null; readonly stamps: Set<string> } | null = null;

  constructor(
    private readonly options: AssemblerOptions,
    private readonly out: AssemblerOutput,
  ) {
    this.reprints = new ReprintMerger(out);
  }

  /** Whether a line with this message can matter: a block is open, or it passes the gate. */
  wants(message: string, tsNs: bigint | null = 0n): boolean {
    // Every logical line is asked about, wanted or not: in a log without stamps, whether the line before
    // a banner was a shell prompt (bootStart).
    if (tsNs === null && !this.sawStamp) {
      const text = message.trimStart();
      if (!isBootBanner(text)) this.afterPrompt = isShellPrompt(text);
    }
    return this.blocks.size > 0 || mayMatter(message, 0, message.length);
  }

  /** No block is open: only lines that pass the gate can matter. */
  get idle(): boolean {
    return this.blocks.size === 0;
  }

  /**
   * The lines at which the boots after the first begin, so far: records of the n-th boot (from 0) carry
   * `boot: n` when n > 0.
   */
  get bootStarts(): readonly number[] {
    return this.bootLines;
  }

  /** Whether lines were stamped on the kernel's since-boot clock (else the boots share a wall clock). */
  get sinceBootStamps(): boolean {
    return this.sawSinceBoot;
  }

  push(line: LogicalLine): void {
    const start = this.bootStart(line);
    if (start !== null) {
      const before = { kernel: this.kernel, latestNs: this.bootLatestNs, stamps: this.stamps };
      this.newBoot(line.lineNo);
      // journalctl's separator is certain, and no message of the next boot: its lines are stamped afresh.
      this.bootLatestNs = start === 'separator' ? null : line.tsNs;
      // Without a stamp, a replay of the log cannot be told from a reboot (settleBoot compares stamps).
      this.tentative = start === 'separator' || line.tsNs === null ? null : before;
      if (start === 'separator') return;
    } else if (!this.bootRead && !isBootBanner(line.body)) {
      this.bootRead = true;
    }
    this.sawLine = true;
    const hadBlocks = this.blocks.size > 0;
    if (hadBlocks) this.remember(line, streamOf(line));
    const view = viewOf(line);
    let handled = false;
    if (hadBlocks) handled = this.feedOpen(view);
    if (!handled) this.trigger(view, hadBlocks);
    if (this.blocks.size === 0 && this.window.length > 0) this.forgetWindow();
  }

  /**
   * Whether this line starts another boot: journalctl's separator, or a boot banner stamped before a line
   * already read of the current boot (the since-boot clock went back to the start: a serial capture that
   * goes on across a reboot). A banner that is the first of its file, or follows the separator, does not.
   * In a log without stamps (a console with printk.time=0, a paste with the stamps cut) the banner is all
   * that tells a reboot: it starts a boot when other lines of the current boot were read before it (the
   * second banner line, `Linux version` after `Booting Linux`, starts none), and not right after a shell
   * prompt (`root@host:~# dmesg` prints the ring buffer from its banner on: a replay; a reboot's banner
   * follows the firmware's and the boot loader's lines).
   */
  private bootStart(line: LogicalLine): 'separator' | 'banner' | null {
    if (line.tsNs === null) {
      if (!this.sawLine) return null;
      if (isBootSeparator(line.body)) return 'separator';
      return !this.sawStamp && this.bootRead && !this.afterPrompt && isBootBanner(line.body) ? 'banner' : null;
    }
    this.sawStamp = true;
    if (line.clock !== 'monotonic') return null;
    this.sawSinceBoot = true;
    if (this.bootLatestNs !== null && line.tsNs < this.bootLatestNs && isBootBanner(line.body)) return 'banner';
    if (this.bootLatestNs === null || line.tsNs > this.bootLatestNs) this.bootLatestNs = line.tsNs;
    return null;
  }

  /** The reports of the boot before end with it; what the kernel said of itself is said again. */
  private newBoot(lineNo: number): void {
    for (const block of [...this.blocks.values()]) this.close(block);
    this.forgetWindow();
    this.boot++;
    this.bootLines.push(lineNo);
    this.kernel = null;
    this.stamps = new Set();
    this.bootRead = false;
  }

  /** A fault of a boot begun at a banner: if the boot before printed it at this stamp, the banner began a replay. */
  private settleBoot(stamp: string): void {
    const before = this.tentative;
    if (before === null) return;
    this.tentative = null;
    if (!before.stamps.has(stamp)) return;
    this.boot--;
    this.bootLines.pop();
    this.kernel ??= before.kernel;
    if (before.latestNs !== null && (this.bootLatestNs === null || before.latestNs > this.bootLatestNs)) this.bootLatestNs = before.latestNs;
    this.stamps = before.stamps;
  }

  end(): void {
    for (const block of [...this.blocks.values()]) this.close(block);
    this.forgetWindow();
    this.reprints.flush();
  }

  /** Offers the line to the open block of its stream; true when the block took it. */
  private feedOpen(view: LineView): boolean {
    // A line naming a CPU goes to that CPU's block (or to one opened by lines naming none); a line naming
    // none goes to the block of lines naming none, or to the only open block.
    const key = streamOf(view.line);
    const block = key !== '' ? (this.blocks.get(key) ?? this.blocks.get('')) : (this.blocks.get('') ?? (this.blocks.size === 1 ? [...this.blocks.values()][0] : undefined));
    if (block === undefined) return false;
    const d = block.draft;
    if (view.line.tsNs !== null && d.timeNs !== null && view.line.clock === d.clock && view.line.tsNs - d.timeNs > MAX_GAP_NS) {
      this.close(block);
      return false;
    }
    const result = block.feed(view);
    switch (result) {
      case 'absorbed':
        return true;
      case 'ended':
        this.close(block);
        return true;
      case 'restart':
        this.close(block);
        return false;
      case 'foreign':
        if (++block.idle > block.idleLimit) this.close(block);
        return false;
      default:
        return assertNever(result, 'feed result');
    }
  }

  private trigger(view: LineView, hadBlocks: boolean): void {
    const first = view.body.charCodeAt(0);
    let block: OpenBlock | null = null;
    for (const [starts, open] of OPENERS.get(first) ?? []) {
      if (!startsWithAny(view.body, starts)) continue;
      block = open(view);
      if (block !== null) break;
    }
    // A user-space fault report starts with the task's name: any character, so a substring gate.
    if (block === null && view.body.indexOf(']: unhandled ') > 0) block = USER_FAULT_OPENER(view);
    if (block !== null) {
      const current = this.blocks.get(block.stream);
      if (current !== undefined) this.close(current);
      if (!hadBlocks || this.blocks.size === 0) {
        this.forgetWindow();
        this.remember(view.line, block.stream);
      }
      this.blocks.set(block.stream, block);
      return;
    }
    const single = openSingleLine(view);
    if (single !== null) {
      const text = view.line.physical.map((p) => p.text).join('\n');
      const first = printedLine(view.line.tsNs, view.line.physical[0]?.text ?? view.line.message);
      this.emit(single, text, [first]);
      return;
    }
    this.readContext(view.body, first);
  }

  private readContext(body: string, first: number): void {
    let m: RegExpExecArray | null;
    if (first !== 66 && first !== 76 && first !== 75 && first !== 115) return;
    if (first === 66 /* B */ && (m = P.BOOTING_RE.exec(body))) {
      const midr = Number(hex(m[2]!));
      this.out.context({ kind: 'cpu', midr: `0x${midr.toString(16).padStart(8, '0')}`, description: describeMidr(midr) });
    } else if (first === 76 /* L */ && (m = P.LINUX_VERSION_RE.exec(body))) {
      this.kernel = m[1]!;
      this.out.context({ kind: 'kernel', release: m[1]! });
    } else if (first === 75 /* K */ && (m = P.CMDLINE_RE.exec(body))) {
      this.out.context({ kind: 'cmdline', cmdline: m[1]!.trim() });
    } else if (first === 115 /* s */ && (m = P.LIBVIRT_START_RE.exec(body))) {
      // The host's: a VM's log names the kernel and host it ran on.
      this.kernel = m[1]!;
      this.out.context({ kind: 'kernel', release: m[1]! });
      this.out.context({ kind: 'hostname', name: m[2]! });
    }
  }

  private remember(line: LogicalLine, stream: string): void {
    for (const p of line.physical) {
      this.window.push(p);
      this.windowStreams.push(stream);
      this.windowStamps.push(line.tsNs);
    }
    if (this.window.length > MAX_WINDOW_LINES) {
      this.window.splice(0, this.window.length - MAX_WINDOW_LINES);
      this.windowStreams.splice(0, this.windowStreams.length - MAX_WINDOW_LINES);
      this.windowStamps.splice(0, this.windowStamps.length - MAX_WINDOW_LINES);
    }
  }

  private forgetWindow(): void {
    this.window = [];
    this.windowStreams = [];
    this.windowStamps = [];
  }

  private close(block: OpenBlock): void {
    if (this.blocks.get(block.stream) === block) this.blocks.delete(block.stream);
    const draft = block.finish();
    if (draft === null) return;
    // A report of one CPU or task keeps the lines of its stream and those naming none: another CPU's report
    // printed at the same time (its lines interleaved) is not part of its text.
    const mine = (i: number): boolean => block.stream === '' || this.windowStreams[i] === block.stream || this.windowStreams[i] === '';
    const lines = this.window.flatMap((p, i) => (p.lineNo >= draft.line && p.lineNo <= draft.endLine && mine(i) ? [i] : []));
    const text = lines.map((i) => this.window[i]!.text).join('\n');
    const printed = lines.map((i) => printedLine(this.windowStamps[i]!, this.window[i]!.text));
    // Without its lines (none kept), a record names its place instead: no other is taken for its re-print.
    this.emit(draft, text, printed.length > 0 ? printed : [`line ${draft.line}`]);
  }

  /** `printed`: the record's lines as printed (dedup.ts printedLine), at least one. */
  private emit(d: Draft, text: string, printed: readonly string[]): void {
    const e = d.extra;
    if (typeof e.page_size_kib === 'number' && typeof e.va_bits === 'number') {
      this.out.context({ kind: 'paging', pageSizeKiB: e.page_size_kib, vaBits: e.va_bits });
    }
    if (d.kernel !== null) this.out.context({ kind: 'kernel', release: d.kernel });
    const extra: Record<string, ExtraValue> = { ...this.options.extra, ...e };
    if (d.oops !== null) extra.oops = d.oops;
    if (d.timeNs !== null && d.clock !== null) extra.clock = d.clock;
    if (d.clock === 'realtime' || d.clock === 'time-of-day') {
      const nl = text.indexOf('\n');
      const firstLine = nl < 0 ? text : text.slice(0, nl);
      const sinceBoot = kernelStampInside(firstLine);
      if (sinceBoot !== null) extra.since_boot_ns = sinceBoot.toString();
    }
    const stamp = d.timeNs === null ? null : faultStamp(d);
    if (stamp !== null) this.settleBoot(stamp);
    if (this.boot > 0) extra.boot = this.boot;
    else if (this.options.previousBoot === true) {
      extra.boot = -1;
      if (extra.clock === MONOTONIC) extra.clock = earlierBootClock(1);
    }
    if (stamp !== null && this.stamps.size < MAX_STAMPS) this.stamps.add(stamp);
    const record: FaultRecord = {
      kind: d.kind,
      esr: d.esr,
      el: d.el,
      far: d.far,
      ipa: d.ipa,
      pc: d.pc,
      cpu: d.cpu,
      pid: d.pid,
      comm: d.comm,
      timeNs: d.timeNs,
      kernel: d.kernel ?? this.kernel,
      source: { file: this.options.file, line: d.line, endLine: d.endLine },
      text,
      extra,
    };
    if (record.esr === null && NEEDS_ESR.has(record.kind)) {
      this.out.diagnostic('fault-incomplete', d.line, `${record.kind} record without an ESR (the report was cut short)`);
    }
    this.reprints.add({ record, first: printed[0]!, lines: new Set(printed), exact: exactStamps(record), echo: d.echo });
  }

}

const NEEDS_ESR: ReadonlySet<string> = new Set(['mem_abort', 'serror', 'hyp_panic', 'kernel_bug', 'sync_external_abort']);

/** A shell's prompt, with the command typed after it (`root@host:~# dmesg`, or `# dmesg` on a bare root shell). */
function isShellPrompt(body: string): boolean {
  return isConsoleLine(body) || /^[#$] +\S/.test(body);
}
