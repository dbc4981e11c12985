// Streaming tokenizer for ftrace text: raw tracefs `trace`/`trace_pipe` captures and `trace-cmd report`
// output, also wrapped or mail-quoted in a paste (STYLE.md §4: a chunk reader carries the partial line across
// chunks; the header is an explicit state; bad lines are counted, never fatal).
//
// Each event is held back for one line, because the next line may be its continuation: a stack frame
// (` => func`), or the rest of a line that a mailer or a terminal wrapped. A line that is not an event either
// may also be the first half of an event line wrapped inside its prefix; it is held too and retried joined.
// This file dispatches the lines (event, marker, function_graph line, other) and holds them back; whether
// and how a line joins the one before is wrapped-lines.ts.
//
// Every event comes with the character offsets of the text it was read from (its first line's start to its
// last line's end, across the pieces pushed), so that the text can be stored as it was and read again by
// this same tokenizer (storage keeps raw lines, not parsed arguments: reread.ts).

import { emptyScannedLine, scanEventBytes, scanEventLine, type ScannedLine } from './event-line';
import { KVM_EVENT_PARSERS } from './kvm-events';
import { isGraphDecoration, opensGraphComment, parseGraphSwitch, scanGraphLine, type GraphTasks } from './graph-line';
import { continues, cutAfterTime, cutInName, hardWrapped, hexCut, joinedArgs, joinPiece, MAX_JOINS, type Pending } from './wrapped-lines';
import { parseMarkerLine, quoteDepth, unquote, unquoteLevels, type EventLine, type MarkerLine } from './line';
import { isConsoleLine } from '../lines/console-lines';

export type Dialect = 'unknown' | 'tracefs' | 'trace-cmd';

export interface TokenizerSink {
  /**
   * One event; `line`..`endLine` are the 1-based lines it spans (more than one when wrapped or with frames),
   * `start`..`end` the offsets of those lines in the whole input (textBetween gives them back). The
   * tokenizer reuses the object for later lines: copy what you keep.
   */
  event(e: EventLine, line: number, endLine: number, start: number, end: number): void;
  /** A header or marker line (frames are folded into the event they follow). */
  marker(m: MarkerLine, line: number): void;
  /** A non-empty line that is neither an event nor a marker (shell prompts, labels, prose). */
  other(text: string, line: number): void;
  /** An event line re-joined from `parts` physical lines. */
  wrapped(line: number, parts: number): void;
  /**
   * An event of a function_graph trace printed without times (funcgraph-abstime off, graph-line.ts): it
   * cannot be stored in time order. Without this callback such lines go to other().
   */
  untimed?(e: EventLine, line: number): void;
}

/** TASK_COMM_LEN (include/linux/sched.h) less its NUL: the longest comm the kernel keeps. */
const COMM_MAX = 15;
/** The comm's width in trace-cmd report's latency layout (`-l`: "%8.8s", tracecmd/trace-read.c). */
const LATENCY_COMM_MAX = 8;
/** Names of inputs kept (inputs), at most. */
const INPUTS_KEPT = 64;
// `trace-cmd report` of several inputs (`-i a.dat -i b.dat`), or of a file with instances, prints each
// input's or instance's name before its lines ("%*s: ", tracecmd/trace-read.c print_handle_file), which the
// scanners take for the start of the comm: `k1.dat:        CPU 0/KVM`. A comm longer than the kernel keeps
// (or than the latency layout prints), one word and `: ` then a comm that could be, is that.
const INPUT_PREFIX = /^(\S+): +(\S.*)$/;

export class FtraceTokenizer {
  dialect: Dialect = 'unknown';
  /** The names of the inputs or instances whose lines this text interleaves (INPUT_PREFIX), if any. */
  readonly inputs = new Set<string>();
  /** An event's time was a bare count (ScannedLine.counter): the trace clock does not count nanoseconds. */
  counterClock = false;
  private partial = '';
  private partialStart = 0;
  /** Offset of the next character pushed. */
  private offset = 0;
  private lineNo = 0;
  private pending: Pending | null = null;
  /** A line that is no event, held in case the next completes it; `lastLine`: its last physical line. */
  private held: { text: string; line: number; lastLine: number; lastLength: number; start: number; joins: number; quote: number } | null = null;
  /** The levels of mail quoting of the line being read. */
  private quote = 0;
  /** Two scan targets: one holds the pending event while the next line is scanned into the other. */
  private scan = emptyScannedLine();
  private spare = emptyScannedLine();
  private readonly slot: Pending = { e: this.scan, joined: null, pieces: [], line: 0, endLine: 0, start: 0, end: 0, lastLength: 0, joins: 0, graph: false, quote: 0 };
  /** The bytes of the text being pushed, if the caller gave them. */
  private bytes: Uint8Array | null = null;
  /** The pushed text not yet released, for textBetween. */
  private readonly pieces: { start: number; text: string }[] = [];
  /** function_graph: the task on each CPU, from its switch blocks. */
  private readonly graphTasks: GraphTasks = new Map();
  /** A `# tracer:` header named another tracer than function_graph: no line is read as a graph line. */
  private graphOff = false;

  constructor(
    private readonly sink: TokenizerSink,
    /** Keep the pushed text until release() (for storing events as their raw lines). */
    private readonly keepText = false,
  ) {}

  /**
   * Feeds the next piece of text; lines may be split anywhere. `bytes`, when given, are the text's
   * characters as bytes, one per character (text read as Latin-1): event lines are then scanned from them.
   */
  push(text: string, bytes?: Uint8Array): void {
    if (bytes !== undefined && bytes.length !== text.length) throw new Error('ftrace tokenizer: the bytes are not the text');
    const base = this.offset;
    this.offset += text.length;
    if (this.keepText && text.length > 0) this.pieces.push({ start: base, text });
    let start = 0;
    let nl = text.indexOf('\n');
    if (nl === -1) {
      if (this.partial.length === 0) this.partialStart = base;
      this.partial += text;
      return;
    }
    if (this.partial.length > 0) {
      this.line(this.partial + text.slice(0, nl), this.partialStart, base + nl + 1);
      this.partial = '';
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    this.bytes = bytes ?? null;
    while (nl !== -1) {
      this.line(text.slice(start, nl), base + start, base + nl + 1, bytes === undefined ? -1 : start);
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    this.bytes = null;
    this.partial = text.slice(start);
    this.partialStart = base + start;
  }

  /** Ends the input: the last partial line and any held event are emitted. */
  end(): void {
    if (this.partial.length > 0) this.line(this.partial, this.partialStart, this.offset);
    this.partial = '';
    this.flushHeld();
    this.flushPending();
  }

  get lines(): number {
    return this.lineNo;
  }

  /** The input text between two offsets of events already emitted (needs keepText). */
  textBetween(start: number, end: number): string {
    let out = '';
    for (const p of this.pieces) {
      const a = Math.max(start, p.start);
      const b = Math.min(end, p.start + p.text.length);
      if (a < b) out += p.text.slice(a - p.start, b - p.start);
    }
    return out;
  }

  /** Characters of pushed text still kept for textBetween. */
  get retained(): number {
    let n = 0;
    for (const p of this.pieces) n += p.text.length;
    return n;
  }

  /** The earliest offset where an event not emitted yet may start (its lines are pending, held or unread). */
  get unsettled(): number {
    let at = this.partial.length > 0 ? this.partialStart : this.offset;
    if (this.held !== null && this.held.start < at) at = this.held.start;
    if (this.pending !== null && this.pending.start < at) at = this.pending.start;
    return at;
  }

  /** Forgets the text before `offset` (pieces wholly before it). */
  release(offset: number): void {
    while (this.pieces.length > 1 && this.pieces[0]!.start + this.pieces[0]!.text.length <= offset) this.pieces.shift();
  }

  /** `at`: where the line's bytes start in `bytes` (-1: none, scan the text). */
  private line(raw: string, start: number, end: number, at = -1): void {
    const n = ++this.lineNo;
    let text = raw;
    // CRLF, and the literal "^M" a terminal capture leaves at line ends.
    let last = text.charCodeAt(text.length - 1);
    if (last === 13) {
      text = text.slice(0, -1);
      last = text.charCodeAt(text.length - 1);
    }
    if (last === 77 /* M */ && text.endsWith('^M')) text = text.replace(/(\^M)+$/, '');
    const quoted = text;
    const unquoted = unquote(text);
    // Unquoted, the line is still its bytes from `at` (only its end may have been cut).
    const fromBytes = at !== -1 && unquoted === text;
    this.quote = unquoted === text ? 0 : quoteDepth(text);
    text = unquoted;
    const e = this.spare;
    if (fromBytes ? scanEventBytes(this.bytes!, at, text, e) : scanEventLine(text, e)) {
      this.flushHeld();
      this.flushPending();
      this.startPending(e, n, n, start, end, text.length, 0, this.quote);
      if (this.dialect === 'unknown') this.dialect = e.flags === null ? 'trace-cmd' : 'tracefs';
      if (e.counter) this.counterClock = true;
    } else if (text.trim().length === 0) {
      this.flushHeld();
      this.flushPending();
    } else {
      const m = parseMarkerLine(text);
      if (m === null) {
        // While an event pends, a line is read with the quoting its line carried, no more: its rest may
        // start with a `>` of its own (a terminal's cut in `==>` or `<CANT FIND FIELD exit_reason>`), which
        // in a file nobody quoted is text, and in a quoted paste is the text after the paste's quoting.
        const p = this.pending;
        const own = p !== null && !p.graph && this.quote !== p.quote ? unquoteLevels(quoted, p.quote) : text;
        if (this.takesRest(own)) this.onOther(own, n, start, end);
        else if (this.graphOff || !this.graphLine(text, n, start, end)) this.onOther(own, n, start, end);
      } else this.onMarker(m, text, n, end);
    }
  }

  /** Whether the pending event (not a graph line) takes `text` as its rest, as onOther joins it. */
  private takesRest(text: string): boolean {
    const p = this.pending;
    if (p === null || p.graph || isConsoleLine(text)) return false;
    return cutAfterTime(p) || (p.joins < MAX_JOINS && continues(p, text));
  }

  /** A line of the function_graph layout (graph-line.ts), if it is one. */
  private graphLine(text: string, n: number, start: number, end: number): boolean {
    // Every graph line has a CPU column's `)` or a column's `|`; the dashed lines of a switch block neither.
    if (text.indexOf(')') === -1 && text.indexOf('|') === -1 && text.indexOf('---') === -1) return false;
    const e = this.spare;
    const kind = scanGraphLine(text, e, this.graphTasks);
    if (kind === 'timed') {
      this.flushHeld();
      this.flushPending();
      this.startPending(e, n, n, start, end, text.length, 0, this.quote, true);
      return true;
    }
    if (kind === 'untimed') {
      this.flushHeld();
      this.flushPending();
      if (this.sink.untimed !== undefined) this.sink.untimed(e, n);
      else this.sink.other(text, n);
      return true;
    }
    const sw = parseGraphSwitch(text);
    if (sw !== null) this.graphTasks.set(sw.cpu, { comm: sw.comm, pid: sw.pid });
    // A comment left open (wrapped): onOther holds it for the lines that close it.
    if (sw === null && !isGraphDecoration(text)) return false;
    this.flushHeld();
    this.flushPending();
    this.sink.marker({ kind: 'comment' }, n);
    return true;
  }

  private onMarker(m: MarkerLine, text: string, n: number, end: number): void {
    const p = this.pending;
    if (m.kind === 'frame' && p !== null) {
      p.joined = (p.joined ?? p.e.args) + '\n' + m.text;
      p.pieces.push({ text: '\n' + m.text, other: null });
      p.endLine = n;
      p.end = end;
      p.lastLength = text.length;
      return;
    }
    this.flushHeld();
    this.flushPending();
    if (m.kind === 'tracer') this.graphOff = m.tracer !== 'function_graph';
    if (m.kind === 'tracer' || m.kind === 'entries') this.dialect = 'tracefs';
    else if (m.kind === 'cpus' || m.kind === 'version' || m.kind === 'cpu-empty') this.dialect = 'trace-cmd';
    this.sink.marker(m, n);
  }

  private onOther(text: string, n: number, start: number, end: number): void {
    const p = this.pending !== null && !this.pending.graph ? this.pending : null;
    const consoleLine = isConsoleLine(text);
    // An event line cut right after its timestamp (`… 3000.000102:` ⏎ `kvm_guest_fault: ipa …`): read again
    // joined, so that the event gets its name.
    if (p !== null && cutAfterTime(p) && !consoleLine) {
      const joined = this.spare;
      if (scanEventLine(p.e.text + (/\s$/.test(p.e.text) ? '' : ' ') + text.trimStart(), joined) && joined.argsAt > p.e.text.length) {
        this.pending = null;
        this.startPending(joined, p.line, n, p.start, end, text.length, 1, p.quote);
        return;
      }
    }
    // Cut inside the event's name (`… 1234.567891: kvm_guest_f` ⏎ `ault: ipa …`): the line read no name, and
    // its one word is the name's start. Read again joined where that gives the name of a KVM event Faultline
    // reads (a one-word trace_printk before other text must stay what it is); its payload joins on as any.
    if (p !== null && cutInName(p) && !consoleLine && !/^\s/.test(text)) {
      const joined = this.spare;
      if (scanEventLine(p.e.text + text, joined) && joined.name.startsWith(p.e.args) && KVM_EVENT_PARSERS[joined.name] !== undefined) {
        this.pending = null;
        this.startPending(joined, p.line, n, p.start, end, text.length, 1, p.quote);
        return;
      }
    }
    if (p !== null && p.joins < MAX_JOINS && !consoleLine && continues(p, text)) {
      const args = p.joined ?? p.e.args;
      const piece = joinPiece(p, args, text);
      p.joined = args + piece.text;
      p.pieces.push(piece);
      p.endLine = n;
      p.end = end;
      p.lastLength = text.length;
      p.joins++;
      return;
    }
    // The first half of an event line wrapped inside its prefix: retry joined with this line.
    const h = this.held;
    if (h !== null && n === h.lastLine + 1) {
      const joined = this.spare;
      if (scanEventLine(h.text + (/\s$/.test(h.text) ? '' : ' ') + text.trimStart(), joined)) {
        this.held = null;
        this.flushPending();
        this.startPending(joined, h.line, n, h.start, end, text.length, 1, h.quote);
        return;
      }
      if (!this.graphOff && opensGraphComment(h.text) && !consoleLine && this.graphRest(h, text, n, end)) return;
    }
    this.flushHeld();
    this.flushPending();
    this.held = { text, line: n, lastLine: n, lastLength: text.length, start, joins: 0, quote: this.quote };
  }

  /**
   * A graph line whose comment was left open, and the next line: joined (a terminal's cut mid-token joins
   * without a space, as for events), read when the comment closes, held again while it does not.
   */
  private graphRest(h: NonNullable<FtraceTokenizer['held']>, text: string, n: number, end: number): boolean {
    const hard = !/\s$/.test(h.text) && (hardWrapped(h.lastLength) || hexCut(h.text, text));
    const joined = h.text + (/\s$/.test(h.text) || hard ? '' : ' ') + text.trimStart();
    const e = this.spare;
    const kind = scanGraphLine(joined, e, this.graphTasks);
    if (kind === null) {
      if (!opensGraphComment(joined) || h.joins + 1 >= MAX_JOINS) return false;
      h.text = joined;
      h.lastLine = n;
      h.lastLength = text.length;
      h.joins++;
      return true;
    }
    this.held = null;
    this.flushPending();
    // A timed event reports its wrap when it is emitted (flushPending), an untimed one here.
    if (kind === 'timed') this.startPending(e, h.line, n, h.start, end, text.length, h.joins + 1, h.quote, true);
    else {
      this.sink.wrapped(h.line, n - h.line + 1);
      if (this.sink.untimed !== undefined) this.sink.untimed(e, h.line);
      else this.sink.other(joined, h.line);
    }
    return true;
  }

  /** Makes the freshly scanned `e` (always the spare target) the pending event; the targets swap. */
  private startPending(e: ScannedLine, line: number, endLine: number, start: number, end: number, lastLength: number, joins: number, quote: number, graph = false): void {
    this.spare = this.scan;
    this.scan = e;
    const p = this.slot;
    p.e = e;
    p.joined = null;
    // A new array only after a join: truncating an array (length = 0) costs a runtime call on every event.
    if (p.pieces.length !== 0) p.pieces = [];
    p.line = line;
    p.endLine = endLine;
    p.start = start;
    p.end = end;
    p.lastLength = lastLength;
    p.joins = joins;
    p.graph = graph;
    p.quote = quote;
    this.pending = p;
  }

  private flushHeld(): void {
    if (this.held === null) return;
    this.sink.other(this.held.text, this.held.line);
    this.held = null;
  }

  private flushPending(): void {
    const p = this.pending;
    if (p === null) return;
    this.pending = null;
    if (p.joined !== null) p.e.args = joinedArgs(p);
    if (p.joins > 0) this.sink.wrapped(p.line, p.joins + 1);
    const commMax = p.e.latency ? LATENCY_COMM_MAX : COMM_MAX;
    if (p.e.comm.length > commMax) {
      const m = INPUT_PREFIX.exec(p.e.comm);
      if (m !== null && m[2]!.length <= commMax) {
        p.e.comm = m[2]!;
        if (this.inputs.size < INPUTS_KEPT) this.inputs.add(m[1]!);
      }
    }
    this.sink.event(p.e, p.line, p.endLine, p.start, p.end);
  }
}
