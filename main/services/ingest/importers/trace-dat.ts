// trace.dat v6/v7 (issue 5), read natively (core/ingest/tracedat): every record kept as its raw bytes with
// the formats to render it on read, KVM records feeding the exit statistics, fault groups, VM map and
// timeline summaries. The reader needs random access, which a stream from an archive does not give: the
// content is spooled (../spool.ts), so memory stays bounded whatever the size.
import { TraceAssembler } from '../../../core/ingest/ftrace/assembler';
import { TRACE_DAT_MAGIC } from '../../../core/ingest/tracedat/file';
import { TraceDatReader } from '../../../core/ingest/tracedat/reader';
import { TraceDatProducer, type ProducerReport } from '../../../core/ingest/tracedat/producer';
import { formatsToJson } from '../../../core/ingest/tracedat/stored';
import type { EventFormatText } from '../../../core/ingest/tracedat/file';
import { insertTraceDatMeta, TraceEventWriter, warmTraceWriter } from '../../../storage/event-writer';
import { writeTimeline } from '../../../storage/timeline';
import { setFileClock } from '../../../storage/ingest';
import type { ImportContext, ImportInput, ImportStats, Importer } from '../importer';
import { reportAssembled } from './ftrace-text';
import { COUNTER_CLOCK, MONOTONIC } from '../../../core/ingest/boot-clock';
import { spool, type Spooled } from '../spool';
import { decompress } from './trace-dat-codecs';
import { TraceDatThread, traceDatThreadSlot } from './trace-dat-parallel';

const EXAMPLES = 20;

/**
 * Trace clocks that do not count nanoseconds (kernel/trace/trace.c trace_clocks[], in_ns 0: counter, uptime;
 * the architectures' ARCH_TRACE_CLOCKS: x86's x86-tsc, powerpc's ppc-tb). Unless the file converts them
 * (TSC2NSEC), their times are counts.
 */
const COUNT_CLOCKS: ReadonlySet<string> = new Set(['counter', 'uptime', 'x86-tsc', 'ppc-tb']);
/** Records between two progress reports and drains of the writer. */
const BATCH = 65_536;

export function sniffTraceDat(head: Buffer): number {
  if (head.length < TRACE_DAT_MAGIC.length) return 0;
  return TRACE_DAT_MAGIC.every((b, i) => head[i] === b) ? 1 : 0;
}

export async function importTraceDat(ctx: ImportContext, input: ImportInput): Promise<ImportStats> {
  // A big input's threads start now, so that they start while the input is read into memory and opened
  // (each takes ~0.1 s here), not after.
  let thread: Promise<TraceDatThread | null> | null = null;
  if (input.size !== null && input.size >= traceDatThreading.minBytes) {
    thread = TraceDatThread.start(ctx.db);
    warmTraceWriter();
  }
  try {
    const src = await spool(input, ctx);
    try {
      const opened = TraceDatReader.open(src, decompress);
      if (!opened.ok) {
        ctx.diagnostic({ kind: 'tracedat-unreadable', message: opened.error });
        return { lines: 0, events: 0, faults: 0, format: 'trace-dat' };
      }
      // An input of unannounced size (from an archive) is known to be big only once spooled.
      thread ??= src.size >= traceDatThreading.minBytes ? TraceDatThread.start(ctx.db) : null;
      return await readEvents(ctx, opened.value, src, thread);
    } finally {
      src.close();
    }
  } finally {
    await (await thread)?.close();
  }
}

/**
 * Inputs from `minBytes` on are read on a second thread while this one stores (smaller: not worth its
 * start). Tests lower it to hold both paths to the same result.
 */
export const traceDatThreading = { minBytes: 4 * 1024 * 1024 };

/** Reads the events, on `starting`'s thread where there is one (the caller closes it). */
async function readEvents(ctx: ImportContext, reader: TraceDatReader, src: Spooled, starting: Promise<TraceDatThread | null> | null): Promise<ImportStats> {
  const file = reader.file;
  for (const e of reader.formatErrors.slice(0, EXAMPLES)) ctx.diagnostic({ kind: 'tracedat-format-unparsed', message: e });
  const instances = file.buffers.filter((b) => b.name !== '');
  if (instances.length > 0) {
    const names = instances.map((b) => b.name).join(', ');
    ctx.diagnostic({ kind: 'tracedat-instances-merged', message: `events of the instance${instances.length > 1 ? 's' : ''} ${names} merged with the top buffer's in time order` });
  }
  for (const b of file.unreadBuffers) ctx.diagnostic({ kind: 'tracedat-instance-unreadable', message: `instance ${b.name === '' ? '(top)' : b.name}: ${b.error}` });
  for (const p of file.problems) ctx.diagnostic({ kind: 'tracedat-corrupt', message: p });
  const truncation = reader.truncation();
  if (truncation !== null) ctx.diagnostic({ kind: 'tracedat-corrupt', message: truncation });
  const writer = new TraceEventWriter(ctx.db, ctx.bundleId, ctx.fileId, 'trace-dat');
  const asm = new TraceAssembler(ctx.path, true, (c) => writer.chunk(c));
  const clockName = file.buffers[0]?.clock ?? file.clock;
  const counter = clockName !== null && COUNT_CLOCKS.has(clockName) && file.tsc2nsec === null;
  asm.counterClock = counter;
  if (counter) {
    ctx.diagnostic({
      kind: 'ftrace-counter-clock',
      message: `the trace was recorded with the ${clockName} clock, which does not count nanoseconds: its times are stored as counted, not as times since boot, and are not placed beside the other logs' times`,
    });
  }
  let report: ProducerReport | null = null;
  // Opened here either way (it reads each CPU's first page): a stream that cannot start is a diagnostic
  // before any thread is started.
  const stream = reader.stream();
  const thread = stream.ok && starting !== null ? await starting : null;
  if (!stream.ok) ctx.diagnostic({ kind: 'tracedat-corrupt', message: stream.error });
  else if (thread !== null) {
    // The reader's tables (formats, comms, kallsyms) were read when it opened: the bytes may move to the thread.
    const batches = thread.read(src.bytes !== null ? { bytes: src.bytes } : { path: src.path!, fd: src.fd, size: src.size });
    let events = 0;
    for (;;) {
      ctx.signal.throwIfAborted();
      const next = await batches.next();
      if (next.done === true) {
        report = next.value;
        break;
      }
      asm.addPacked(next.value);
      events += next.value.chunk.count;
      ctx.progress(events, events);
      await writer.drain();
    }
  } else {
    const producer = new TraceDatProducer(reader, stream.value, (b) => asm.addPacked(b));
    // Read in batches so that compressed chunks are written (and memory released) as the file is read.
    for (let more = true; more; ) {
      ctx.signal.throwIfAborted();
      more = producer.pump(BATCH);
      ctx.progress(producer.eventsRead, producer.eventsRead);
      await writer.drain();
    }
    report = producer.finish();
  }
  if (report !== null) {
    if (report.error !== null) ctx.diagnostic({ kind: 'tracedat-corrupt', line: report.events + 1, message: report.error });
    for (const p of report.problems.slice(0, EXAMPLES)) ctx.diagnostic({ kind: 'tracedat-corrupt', message: p });
    if (report.problems.length > EXAMPLES) ctx.diagnostic({ kind: 'tracedat-corrupt', message: `${report.problems.length - EXAMPLES} more CPUs with corrupt data` });
    for (const d of report.dropped) ctx.diagnostic({ kind: 'ftrace-events-dropped', line: d.line, message: d.message });
    if (report.droppedPages > report.dropped.length) {
      ctx.diagnostic({ kind: 'ftrace-events-dropped', message: `${report.droppedPages - report.dropped.length} more pages with dropped events (${report.droppedPages} in all)` });
    }
  }
  const trace = asm.finish();
  await writer.finish(trace, { dialect: `v${file.version}`, clock: file.buffers[0]?.clock ?? file.clock, cpus: file.cpuCount });
  const formats: EventFormatText[] = (report?.used ?? []).map((id) => reader.formatTexts.get(id)).filter((f): f is EventFormatText => f !== undefined);
  insertTraceDatMeta(ctx.db, ctx.fileId, {
    bigEndian: file.bigEndian,
    longSize: file.longSize,
    pageSize: file.pageSize,
    version: file.version,
    formatsJson: formatsToJson(formats),
    kallsyms: file.kallsyms,
    printk: file.printk,
  });
  writeTimeline(ctx.db, ctx.bundleId, ctx.fileId, trace.tracks);
  setFileClock(ctx.db, ctx.fileId, counter ? COUNTER_CLOCK : MONOTONIC);
  const faults = reportAssembled(ctx, trace, 'event', counter ? COUNTER_CLOCK : MONOTONIC);
  return { lines: 0, events: trace.events, faults, format: 'trace-dat' };
}

export const traceDatImporter: Importer = {
  id: 'trace-dat',
  sniff: sniffTraceDat,
  import: importTraceDat,
  prestart(db) {
    traceDatThreadSlot.prestart(db);
    warmTraceWriter();
  },
};
