// ftrace text (issue 5): raw tracefs `trace`/`trace_pipe` captures and `trace-cmd report` output, also
// wrapped or mail-quoted in a paste. Every event is stored (columnar chunks, storage/event-writer.ts), KVM
// events feed the exit statistics, fault groups, VM map and timeline summaries (core/ingest/ftrace/assembler.ts).
import { isConsoleLine } from '../../../core/ingest/lines/console-lines';
import { StringDecoder } from 'node:string_decoder';
import { FtraceTokenizer, type Dialect, type TokenizerSink } from '../../../core/ingest/ftrace/tokenizer';
import { readsArgs, TraceAssembler } from '../../../core/ingest/ftrace/assembler';
import type { AssembledTrace } from '../../../core/ingest/ftrace/trace-summary';
import { BatchReader, TextBatcher, type ParsedBatch } from '../../../core/ingest/ftrace/text-batches';
import { scanEventLine, emptyScannedLine } from '../../../core/ingest/ftrace/event-line';
import { scanGraphLine } from '../../../core/ingest/ftrace/graph-line';
import { unquote, type MarkerLine } from '../../../core/ingest/ftrace/line';
import { TraceEventWriter, warmTraceWriter } from '../../../storage/event-writer';
import { writeTimeline } from '../../../storage/timeline';
import { setFileClock } from '../../../storage/ingest';
import { assertNever } from '../../../core/result';
import type { ImportContext, ImportInput, ImportStats, Importer } from '../importer';
import type { FaultRecord } from '../../../core/ingest/fault-record';
import { COUNTER_CLOCK, MONOTONIC } from '../../../core/ingest/boot-clock';
import { TokenizerThread, tokenizerThreadSlot } from './ftrace-text-parallel';

/** Diagnostic examples stored per kind and file; the rest are counted in one summary. */
const EXAMPLES = 20;

/**
 * How sure the content is ftrace text: a tracefs header or trace-cmd report header is decisive; otherwise
 * the share of events among the first lines' events and other lines, read as the import reads them.
 */
export function sniffFtraceText(head: Buffer, path: string): number {
  const text = head.subarray(0, 64 * 1024).toString('utf8');
  const raw = text.split('\n').slice(0, 200);
  const lines = raw.map((l) => unquote(l.replace(/\r$/, '')));
  if (lines.some((l) => /^#\s*tracer:\s*\S/.test(l))) return 0.95;
  if (/^(?:version = \d+\n)?(?:CPU \d+ is empty\n)*cpus=\d+\s*$/m.test(lines.slice(0, 40).join('\n'))) return 0.9;
  // Most files sniffed hold no event line: they go no further (the tokenizer costs several times this loop).
  const scan = emptyScannedLine();
  if (!lines.some((l) => scanEventLine(l, scan) || scanGraphLine(l, scan, new Map()) !== null)) return 0;
  const { events, others } = countEvents(raw.join('\n'));
  if (events === 0) return 0;
  const share = events / (events + others);
  const traceName = /(?:^|\/)(?:trace|trace_pipe|trace\.txt|ftrace[^/]*|report[^/]*)$/i.test(path);
  if (events >= 3 && share >= 0.4) return 0.9;
  if (traceName) return 0.7;
  return share >= 0.4 ? 0.6 : 0;
}

/**
 * The events in `text` and its other non-empty lines, as the tokenizer reads them: the rest of an event
 * wrapped over several lines (a mailer's break at ~72 columns, a terminal's cut at its width) and its stack
 * frames are that event's, not other lines. Counted per line, three `trace-cmd report` events of ~150
 * columns broken at 72 (`<CANT ` ⏎ `FIND FIELD exit_reason>SERROR: …` ⏎ `0xffff…`) were 3 event lines in 8.
 */
function countEvents(text: string): { events: number; others: number } {
  let events = 0;
  let others = 0;
  const tokenizer = new FtraceTokenizer({
    event: () => events++,
    untimed: () => events++,
    marker: () => others++,
    // A console's prompts around a capture (`root@host:~# cat …/trace_pipe`) say nothing of its format.
    other: (line) => {
      if (!isConsoleLine(line)) others++;
    },
    wrapped: () => undefined,
  });
  tokenizer.push(text);
  tokenizer.end();
  return { events, others };
}

class Diagnostics {
  private readonly counts = new Map<string, number>();

  constructor(private readonly ctx: ImportContext) {}

  add(kind: string, line: number | undefined, message: string): void {
    const n = (this.counts.get(kind) ?? 0) + 1;
    this.counts.set(kind, n);
    if (n <= EXAMPLES) this.ctx.diagnostic({ kind, ...(line !== undefined ? { line } : {}), message });
  }

  /** One line for what went beyond the examples. */
  count(kind: string): number {
    return this.counts.get(kind) ?? 0;
  }

  summarize(kind: string, what: string): void {
    const n = this.counts.get(kind) ?? 0;
    if (n > EXAMPLES) this.ctx.diagnostic({ kind, message: `${n - EXAMPLES} more ${what} (${n} in all)` });
  }
}

function onMarker(m: MarkerLine, line: number, diags: Diagnostics, state: { cpus: number | null }): void {
  switch (m.kind) {
    case 'dropped':
      diags.add('ftrace-events-dropped', line, m.count === null ? `CPU ${m.cpu}: events were dropped` : `CPU ${m.cpu}: ${m.count} events dropped`);
      return;
    case 'entries':
      if (m.cpus !== null) state.cpus = m.cpus;
      if (m.written > m.inBuffer) diags.add('ftrace-events-dropped', line, `${m.written - m.inBuffer} of ${m.written} events written were overwritten before the capture`);
      return;
    case 'cpus':
      state.cpus = m.cpus;
      return;
    case 'buffer-started':
      diags.add('ftrace-events-dropped', line, `CPU ${m.cpu}: the buffer starts here; earlier events were overwritten`);
      return;
    case 'tracer':
    case 'version':
    case 'cpu-empty':
    case 'comment':
    case 'frame':
      return;
    default:
      assertNever(m, 'marker');
  }
}

/**
 * What both trace importers report once a file is read: the fault groups (one record per group, with its
 * count and time range), the VMs and their vCPUs, and the diagnostics the assembler counted. `unit` names
 * what `line` numbers are ("line", or "event" for trace.dat). Returns the number of fault records.
 */
export function reportAssembled(ctx: ImportContext, trace: AssembledTrace, unit: 'line' | 'event', clock: string = MONOTONIC): number {
  const vmOf = new Map(trace.threads.map((t) => [t.tid, t.vmPid]));
  for (const g of trace.faults) {
    // -1: a task the trace does not name (graph-line.ts).
    const threads = [...g.threads].filter((t) => t >= 0);
    const vms = [...new Set(threads.map((t) => vmOf.get(t) ?? null).filter((v): v is number => v !== null))];
    const record: FaultRecord = {
      ...g.record,
      extra: {
        ...g.record.extra,
        clock,
        examples: g.exampleLines.map((l) => `${unit} ${l}`).join(', '),
        threads: threads.join(','),
        vm: vms.length === 1 ? vms[0]! : vms.length === 0 ? null : vms.join(','),
      },
    };
    ctx.fault(record, { count: g.count, firstNs: g.firstNs, lastNs: g.lastNs });
  }
  for (const vm of trace.vms) ctx.context.addVm(vm);
  const o = trace.outOfOrder;
  for (const e of o.examples) {
    ctx.diagnostic({ kind: 'ftrace-out-of-order', line: e.line, message: `event at ${e.tsNs} ns follows one at ${e.previousNs} ns` });
  }
  if (o.count > o.examples.length) ctx.diagnostic({ kind: 'ftrace-out-of-order', message: `${o.count - o.examples.length} more events out of order (${o.count} in all)` });
  const u = trace.fieldsUnparsed;
  for (const e of u.examples) ctx.diagnostic({ kind: 'ftrace-payload-unparsed', line: e.line, message: `${e.name}: the payload does not match the kernel's format` });
  if (u.count > u.examples.length) ctx.diagnostic({ kind: 'ftrace-payload-unparsed', message: `${u.count - u.examples.length} more (${u.count} in all)` });
  if (trace.unpairedExits > 0) ctx.diagnostic({ kind: 'ftrace-exit-unpaired', message: `${trace.unpairedExits} kvm_exit events without their kvm_entry` });
  return trace.faults.length;
}

/**
 * Inputs at least this big are tokenized on a second thread (below, starting it costs more than it saves).
 * Tests set it to compare both paths.
 */
export const ftraceTextThreading = { minBytes: 4 * 1024 * 1024 };

export async function importFtraceText(ctx: ImportContext, input: ImportInput): Promise<ImportStats> {
  const writer = new TraceEventWriter(ctx.db, ctx.bundleId, ctx.fileId, 'ftrace-text');
  const diags = new Diagnostics(ctx);
  const state = { cpus: null as number | null, wrapped: 0, firstUntimed: null as number | null };
  const sink: TokenizerSink = {
    event: (e, line, endLine, start, end) => asm.addText(e, line, endLine, start, end),
    marker: (m, line) => onMarker(m, line, diags, state),
    other: (text, line) => diags.add('ftrace-line-unparsed', line, text.length > 160 ? text.slice(0, 160) + '…' : text),
    wrapped: (line, parts) => {
      if (++state.wrapped <= EXAMPLES) ctx.diagnostic({ kind: 'line-wrapped', line, message: `an event wrapped over ${parts} lines was re-joined` });
    },
    untimed: (e, line) => {
      if (state.firstUntimed === null) state.firstUntimed = line;
      asm.addUntimed(e, line);
    },
  };
  // Events are stored as the raw lines they were read from: the batcher cuts each chunk's text (a batch
  // holds one chunk's events), the assembler's chunk builder takes it when it flushes that chunk.
  const reader = new BatchReader();
  let batchText: { text: string | Uint8Array; start: number; end: number } | null = null;
  const onBatch = (b: ParsedBatch): void => {
    if (b.count > 0) batchText = { text: b.text, start: b.textStart, end: b.textEnd };
    // Each batch says whether the times so far were bare counts (the tokenizer's counterClock).
    if (b.counterClock) asm.counterClock = true;
    reader.replay(b, sink);
  };
  const asm = new TraceAssembler(
    ctx.path,
    false,
    (c) => writer.chunk(c),
    (a, b) => {
      if (batchText === null || batchText.start !== a || batchText.end !== b) throw new Error(`ftrace text: chunk text ${a}-${b} is not the batch's`);
      return batchText.text;
    },
  );
  let bytes = 0;
  let lines: number;
  let dialect: Dialect;
  let inputs: string[];
  // A big file on disk is read by the tokenizer thread itself: this thread, which assembles and stores
  // the events, the busier of the two, neither reads nor copies the bytes (measured: the bench's 1M-line
  // trace ingested 7% faster, 0.80 s against 0.86 s, alternating runs).
  const disk = input.disk !== undefined && input.disk.fd !== null && input.size !== null && input.size >= ftraceTextThreading.minBytes ? input.disk : null;
  let thread = disk !== null ? await TokenizerThread.start(ctx.db, onBatch) : null;
  if (thread !== null && disk !== null && disk.fd !== null) {
    const tokenizer = thread;
    const file = { path: disk.path, fd: disk.fd };
    try {
      const counted = await disk.claimCounting();
      ({ lines, dialect, inputs } = await tokenizer.readFile(file, async (n) => {
        ctx.signal.throwIfAborted();
        bytes += n;
        counted(n);
        ctx.progress(bytes, tokenizer.lines);
        await writer.drain();
      }));
    } finally {
      await tokenizer.close();
    }
    return finishImport(ctx, { asm, writer, diags, state, bytes, lines, dialect, inputs });
  }
  // Otherwise the first chunks are read before choosing: a small input is tokenized here.
  const chunks = input.chunks()[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let headBytes = 0;
  let more = true;
  while (headBytes < ftraceTextThreading.minBytes) {
    const r = await chunks.next();
    if (r.done === true) {
      more = false;
      break;
    }
    head.push(r.value);
    headBytes += r.value.length;
  }
  if (more || headBytes >= ftraceTextThreading.minBytes) thread = await TokenizerThread.start(ctx.db, onBatch);
  const rest = async function* (): AsyncGenerator<Buffer> {
    yield* head;
    head.length = 0;
    if (!more) return;
    for (let r = await chunks.next(); r.done !== true; r = await chunks.next()) yield r.value;
  };
  if (thread !== null) {
    try {
      for await (const chunk of rest()) {
        ctx.signal.throwIfAborted();
        bytes += chunk.length;
        await thread.push(chunk);
        ctx.progress(bytes, thread.lines);
        await writer.drain();
      }
      ({ lines, dialect, inputs } = await thread.end());
    } finally {
      await thread.close();
    }
  } else {
    const batcher = new TextBatcher(onBatch, readsArgs);
    const decoder = new StringDecoder('utf8');
    for await (const chunk of rest()) {
      ctx.signal.throwIfAborted();
      bytes += chunk.length;
      batcher.push(decoder.write(chunk));
      ctx.progress(bytes, batcher.lines);
      await writer.drain();
    }
    batcher.push(decoder.end());
    batcher.end();
    lines = batcher.lines;
    dialect = batcher.dialect;
    inputs = batcher.inputs;
  }
  return finishImport(ctx, { asm, writer, diags, state, bytes, lines, dialect, inputs });
}

/** The end of an import, once the tokenizer has read the whole text: summaries, diagnostics, fault records. */
async function finishImport(
  ctx: ImportContext,
  r: {
    asm: TraceAssembler;
    writer: TraceEventWriter;
    diags: Diagnostics;
    state: { cpus: number | null; wrapped: number; firstUntimed: number | null };
    bytes: number;
    lines: number;
    dialect: Dialect;
    inputs: string[];
  },
): Promise<ImportStats> {
  const { asm, writer, diags, state, bytes, lines, dialect, inputs } = r;
  if (inputs.length > 0) {
    ctx.diagnostic({ kind: 'ftrace-inputs-merged', message: `the lines of ${inputs.length === 1 ? 'the input' : `${inputs.length} inputs`} named ${inputs.slice(0, 8).join(', ')} (trace-cmd report of several files or instances) were read as one trace: their events share its CPUs and timeline` });
  }
  ctx.progress(bytes, lines);
  const trace: AssembledTrace = asm.finish();
  const counterClock = asm.counterClock;
  const clock = counterClock ? COUNTER_CLOCK : MONOTONIC;
  await writer.finish(trace, { dialect: dialect === 'unknown' ? null : dialect, clock: counterClock ? COUNTER_CLOCK : null, cpus: state.cpus });
  writeTimeline(ctx.db, ctx.bundleId, ctx.fileId, trace.tracks);
  setFileClock(ctx.db, ctx.fileId, clock);
  if (counterClock) {
    ctx.diagnostic({
      kind: 'ftrace-counter-clock',
      message: 'the times are bare counts: the trace clock (counter, uptime, x86-tsc …) does not count nanoseconds, so they are stored as counted, not as times since boot, and are not placed beside the other logs\' times',
    });
  }
  // Lines there were, and none an event: a layout this reader does not know, not a trace without events.
  const unread = diags.count('ftrace-line-unparsed');
  if (trace.events === 0 && unread > 0) {
    ctx.diagnostic({ kind: 'ftrace-no-events', message: `no event read: none of its ${unread} lines that are not headers is an event line of a layout Faultline reads` });
  }
  if (trace.untimed > 0) {
    const faults = trace.faults.filter((g) => g.firstNs === null).reduce((n, g) => n + g.count, 0);
    ctx.diagnostic({
      kind: 'ftrace-untimed',
      line: state.firstUntimed ?? undefined,
      message: `${trace.untimed} function_graph lines have no time (the funcgraph-abstime option was off): they were not stored as events; the ${faults} KVM fault events among them were read, without times`,
    });
  }
  diags.summarize('ftrace-line-unparsed', 'lines that are not events');
  diags.summarize('ftrace-events-dropped', 'dropped-event markers');
  if (state.wrapped > EXAMPLES) ctx.diagnostic({ kind: 'line-wrapped', message: `${state.wrapped - EXAMPLES} more wrapped events re-joined (${state.wrapped} in all)` });
  const faults = reportAssembled(ctx, trace, 'line', clock);
  return { lines, events: trace.events, faults, format: 'ftrace-text' };
}

export const ftraceTextImporter: Importer = {
  id: 'ftrace-text',
  sniff: sniffFtraceText,
  import: importFtraceText,
  prestart(db) {
    tokenizerThreadSlot.prestart(db);
    warmTraceWriter();
  },
};

