// Ftrace text tokenized apart from its assembly, so that the two can run on two threads (PERFORMANCE.md: both
// cores can work): a TextBatcher runs the tokenizer and packs its events into batches of CHUNK_EVENTS
// (numbers in one Float64Array, comm and event names interned, arguments only for the events whose payload
// the assembler parses at ingest), each with the raw text of its lines, which is what the storage chunk of
// the same events holds; the other callbacks (markers, other lines, wrapped events) come along in their
// order. replayBatch gives a batch's events back to the assembler exactly as the tokenizer gave them.
//
// A batch holds the events of exactly one storage chunk: ChunkBuilder flushes every CHUNK_EVENTS events,
// and its text is cut here the way ChunkBuilder cuts it (from the first event's start to the furthest end
// seen so far).

import { CHUNK_EVENTS } from './chunk';
import { emptyScannedLine } from './event-line';
import { FtraceTokenizer, type Dialect, type TokenizerSink } from './tokenizer';
import type { EventLine, MarkerLine } from './line';

/** Numbers per event in ParsedBatch.nums. */
export const BATCH_FIELDS = 10;
// Field offsets: timestamp (ns), cpu, pid, tgid (NaN: none), name id, comm id, line, end line, start, end.
const TS = 0;
const CPU = 1;
const PID = 2;
const TGID = 3;
const NAME = 4;
const COMM = 5;
const LINE = 6;
const END_LINE = 7;
const START = 8;
const END = 9;

export type TextOp =
  | { readonly k: 'marker'; readonly m: MarkerLine; readonly line: number }
  | { readonly k: 'other'; readonly text: string; readonly line: number }
  | { readonly k: 'wrapped'; readonly line: number; readonly parts: number }
  /** An event without a time (TokenizerSink.untimed); its arguments only where the assembler reads them. */
  | { readonly k: 'untimed'; readonly name: string; readonly args: string; readonly cpu: number; readonly pid: number; readonly comm: string; readonly line: number };

/**
 * Callbacks held for a batch at most: beyond, a batch without events is emitted for them, so that a long
 * stretch of lines that are not events (or events without times) does not pile up in memory.
 */
const OPS_MAX = 4096;

export interface ParsedBatch {
  readonly count: number;
  /** count * BATCH_FIELDS numbers, event by event. */
  readonly nums: Float64Array;
  /** Names and comms first seen in this batch, in id order (ids continue from the previous batches). */
  readonly newNames: string[];
  readonly newComms: string[];
  /** Exact timestamps beyond 2^53 ns: [event index in the batch, value]. */
  readonly bigTs: [number, bigint][];
  /**
   * Arguments of the events whose name asks for them, back to back in one string (one string crosses
   * threads far faster than many), and per such event its index in the batch and the end of its arguments
   * in `args`, as pairs.
   */
  readonly args: string;
  readonly argsAt: Int32Array;
  /**
   * The raw text of the batch's events (what their storage chunk keeps), and its offsets in the input; as
   * UTF-8 bytes once it has crossed to another thread.
   */
  readonly text: string | Uint8Array;
  readonly textStart: number;
  readonly textEnd: number;
  /** Markers, other lines and wrapped notices, in input order (each before the event that follows it). */
  readonly ops: TextOp[];
  /** Lines read so far, and the dialect known so far. */
  readonly lines: number;
  readonly dialect: Dialect;
  /** The events' times are counts of a clock that does not count ns (ScannedLine.counter). */
  readonly counterClock: boolean;
}

/** Tokenizes text pushed in pieces and emits its events in batches of CHUNK_EVENTS (the last one shorter). */
export class TextBatcher {
  private readonly tok: FtraceTokenizer;
  private readonly nameIds = new Map<string, number>();
  private readonly commIds = new Map<string, number>();
  private lastName = '';
  private lastNameId = -1;
  private n = 0;
  private nums = new Float64Array(CHUNK_EVENTS * BATCH_FIELDS);
  private newNames: string[] = [];
  private newComms: string[] = [];
  private bigTs: [number, bigint][] = [];
  private args = '';
  private argsAt = new Int32Array(CHUNK_EVENTS * 2);
  private argsN = 0;
  private ops: TextOp[] = [];
  private textStart = -1;
  private textEnd = 0;
  private readonly wantsArgs: boolean[] = [];

  constructor(
    private readonly emit: (b: ParsedBatch) => void,
    /** Whether the assembler reads an event's arguments at ingest (TraceAssembler.readsArgs). */
    private readonly needsArgs: (name: string) => boolean,
    /**
     * The input between two offsets as UTF-8 bytes when the caller has them (it kept the bytes it decoded),
     * or null: the batch's text is then cut from the tokenizer's text.
     */
    private readonly bytesOf: (start: number, end: number) => Uint8Array | null = () => null,
  ) {
    const sink: TokenizerSink = {
      event: (e, line, endLine, start, end) => this.event(e, line, endLine, start, end),
      marker: (m, line) => this.op({ k: 'marker', m, line }),
      other: (text, line) => this.op({ k: 'other', text, line }),
      wrapped: (line, parts) => this.op({ k: 'wrapped', line, parts }),
      untimed: (e, line) => this.op({ k: 'untimed', name: e.name, args: this.needsArgs(e.name) ? e.args : '', cpu: e.cpu, pid: e.pid, comm: e.comm, line }),
    };
    this.tok = new FtraceTokenizer(sink, true);
  }

  /** The next piece of text; `bytes`: its characters as bytes, when it was read as Latin-1 (FtraceTokenizer.push). */
  push(text: string, bytes?: Uint8Array): void {
    this.tok.push(text, bytes);
    // Between events (a long stretch of lines that are not events), text is released as it is read, not
    // when the next batch is full: memory stays bounded whatever the input.
    if (this.n === 0) this.tok.release(this.tok.unsettled);
  }

  /** Characters of input text kept for the batches' texts. */
  get retainedText(): number {
    return this.tok.retained;
  }

  /** The input before this offset is no longer needed for any batch's text. */
  get settled(): number {
    return this.n === 0 ? this.tok.unsettled : this.textStart;
  }

  /** Ends the input and emits the last batch (if it has events or pending callbacks). */
  end(): void {
    this.tok.end();
    if (this.n > 0 || this.ops.length > 0) this.flush();
  }

  get lines(): number {
    return this.tok.lines;
  }

  get dialect(): Dialect {
    return this.tok.dialect;
  }

  /** The inputs or instances the text interleaves (FtraceTokenizer.inputs). */
  get inputs(): string[] {
    return [...this.tok.inputs];
  }

  private op(op: TextOp): void {
    this.ops.push(op);
    // Only between batches' events: a batch holds exactly one storage chunk's events.
    if (this.n === 0 && this.ops.length >= OPS_MAX) this.flush();
  }

  private nameId(name: string): number {
    if (name === this.lastName) return this.lastNameId;
    let id = this.nameIds.get(name);
    if (id === undefined) {
      id = this.nameIds.size;
      this.nameIds.set(name, id);
      this.newNames.push(name);
      this.wantsArgs.push(this.needsArgs(name));
    }
    this.lastName = name;
    this.lastNameId = id;
    return id;
  }

  private commId(comm: string): number {
    let id = this.commIds.get(comm);
    if (id === undefined) {
      id = this.commIds.size;
      this.commIds.set(comm, id);
      this.newComms.push(comm);
    }
    return id;
  }

  private event(e: EventLine, line: number, endLine: number, start: number, end: number): void {
    const i = this.n;
    const o = i * BATCH_FIELDS;
    const nums = this.nums;
    const name = this.nameId(e.name);
    nums[o + TS] = e.tsNs;
    nums[o + CPU] = e.cpu;
    nums[o + PID] = e.pid;
    nums[o + TGID] = e.tgid ?? Number.NaN;
    nums[o + NAME] = name;
    nums[o + COMM] = this.commId(e.comm);
    nums[o + LINE] = line;
    nums[o + END_LINE] = endLine;
    nums[o + START] = start;
    nums[o + END] = end;
    if (e.tsBig !== null) this.bigTs.push([i, e.tsBig]);
    if (this.wantsArgs[name]) {
      this.args += e.args;
      this.argsAt[this.argsN++] = i;
      this.argsAt[this.argsN++] = this.args.length;
    }
    if (this.textStart === -1) this.textStart = start;
    if (end > this.textEnd) this.textEnd = end;
    this.n = i + 1;
    if (this.n === CHUNK_EVENTS) this.flush();
  }

  private flush(): void {
    const n = this.n;
    const text = n === 0 ? '' : (this.bytesOf(this.textStart, this.textEnd) ?? this.tok.textBetween(this.textStart, this.textEnd));
    const batch: ParsedBatch = {
      count: n,
      nums: n === CHUNK_EVENTS ? this.nums : this.nums.slice(0, n * BATCH_FIELDS),
      newNames: this.newNames,
      newComms: this.newComms,
      bigTs: this.bigTs,
      args: this.args,
      argsAt: this.argsAt.slice(0, this.argsN),
      text,
      textStart: n === 0 ? -1 : this.textStart,
      textEnd: this.textEnd,
      ops: this.ops,
      lines: this.tok.lines,
      dialect: this.tok.dialect,
      counterClock: this.tok.counterClock,
    };
    if (n > 0) this.tok.release(this.textEnd);
    // The batch owns its arrays from here (they may be transferred to another thread).
    this.nums = new Float64Array(CHUNK_EVENTS * BATCH_FIELDS);
    this.newNames = [];
    this.newComms = [];
    this.bigTs = [];
    this.args = '';
    this.argsN = 0;
    this.ops = [];
    this.textStart = -1;
    this.n = 0;
    this.emit(batch);
  }
}

/** What a batch's consumer keeps across batches: the interned strings so far. */
export class BatchReader {
  private readonly names: string[] = [];
  private readonly comms: string[] = [];
  private readonly e = emptyScannedLine();

  /**
   * Gives the batch's callbacks and events to `sink` in input order, each event as the tokenizer gave it
   * (the object is reused; its arguments are set only for the events the batcher kept them for).
   */
  replay(b: ParsedBatch, sink: TokenizerSink): void {
    for (const n of b.newNames) this.names.push(n);
    for (const c of b.newComms) this.comms.push(c);
    // The callbacks first: they feed only diagnostics and file facts, which neither depend on the events
    // nor change them, so their order relative to the events does not matter (their own order is kept).
    const e = this.e;
    for (const op of b.ops) {
      if (op.k === 'marker') sink.marker(op.m, op.line);
      else if (op.k === 'other') sink.other(op.text, op.line);
      else if (op.k === 'wrapped') sink.wrapped(op.line, op.parts);
      else if (sink.untimed !== undefined) {
        e.name = op.name;
        e.comm = op.comm;
        e.cpu = op.cpu;
        e.pid = op.pid;
        e.tgid = null;
        e.tsNs = Number.NaN;
        e.tsBig = null;
        e.reset(op.args, 0);
        sink.untimed(e, op.line);
      }
    }
    const nums = b.nums;
    let big = 0;
    let arg = 0;
    let argsFrom = 0;
    const argsAt = b.argsAt;
    for (let i = 0; i < b.count; i++) {
      const o = i * BATCH_FIELDS;
      e.name = this.names[nums[o + NAME]!]!;
      e.comm = this.comms[nums[o + COMM]!]!;
      e.cpu = nums[o + CPU]!;
      e.pid = nums[o + PID]!;
      const tgid = nums[o + TGID]!;
      e.tgid = Number.isNaN(tgid) ? null : tgid;
      e.tsNs = nums[o + TS]!;
      if (big < b.bigTs.length && b.bigTs[big]![0] === i) e.tsBig = b.bigTs[big++]![1];
      else e.tsBig = null;
      if (arg < argsAt.length && argsAt[arg] === i) {
        const to = argsAt[arg + 1]!;
        e.reset(b.args.slice(argsFrom, to), 0);
        argsFrom = to;
        arg += 2;
      } else e.reset('', 0);
      sink.event(e, nums[o + LINE]!, nums[o + END_LINE]!, nums[o + START]!, nums[o + END]!);
    }
  }
}
