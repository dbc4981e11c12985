// trace.dat v6/v7 (issue 5), read natively (core/ingest/tracedat): every record kept as its raw bytes with
// the formats to render it on read, KVM records feeding the exit statistics, fault groups, VM map and
// timeline summaries. The reader needs random access, which a stream from an archive does not give: the
// content is spooled (../spool.ts), so memory stays bounded whatever the size.
import { inflateSync } from 'node:zlib';
import { decompress as zstdDecompress } from 'fzstd';
import { TraceAssembler } from '../../../core/ingest/ftrace/assembler';
import { TRACE_DAT_MAGIC, type Decompress } from '../../../core/ingest/tracedat/file';
import { TraceDatReader, type DatRecord } from '../../../core/ingest/tracedat/reader';
import { kvmDecoderFor, type KvmDecoder } from '../../../core/ingest/tracedat/kvm-binary';
import { recordData } from '../../../core/ingest/tracedat/record';
import { renderContextOf } from '../../../core/ingest/tracedat/report';
import { renderEventText } from '../../../core/ingest/tracedat/render';
import { formatsToJson } from '../../../core/ingest/tracedat/stored';
import type { EventFormatText } from '../../../core/ingest/tracedat/file';
import { insertTraceDatMeta, TraceEventWriter } from '../../../storage/events';
import { writeTimeline } from '../../../storage/timeline';
import { setFileClock } from '../../../storage/ingest';
import type { ImportContext, ImportInput, ImportStats, Importer } from '../importer';
import { reportAssembled } from './ftrace-text';
import { spool } from '../spool';

const EXAMPLES = 20;
/** Records between two progress reports and drains of the writer. */
const BATCH = 65_536;

/** The codecs trace-cmd writes (trace-cmd lib/trace-cmd/trace-compress-zlib.c, trace-compress-zstd.c). */
export const decompress: Decompress = (algorithm, data, size) => {
  if (algorithm === 'zstd') return zstdDecompress(data, new Uint8Array(size));
  if (algorithm === 'zlib') return new Uint8Array(inflateSync(data));
  throw new Error(`compression ${algorithm} is not supported`);
};

export function sniffTraceDat(head: Buffer): number {
  if (head.length < TRACE_DAT_MAGIC.length) return 0;
  return TRACE_DAT_MAGIC.every((b, i) => head[i] === b) ? 1 : 0;
}

export async function importTraceDat(ctx: ImportContext, input: ImportInput): Promise<ImportStats> {
  const src = await spool(input, ctx);
  try {
    const opened = TraceDatReader.open(src, decompress);
    if (!opened.ok) {
      ctx.diagnostic({ kind: 'tracedat-unreadable', message: opened.error });
      return { lines: 0, events: 0, faults: 0, format: 'trace-dat' };
    }
    return await readEvents(ctx, opened.value);
  } finally {
    src.close();
  }
}

async function readEvents(ctx: ImportContext, reader: TraceDatReader): Promise<ImportStats> {
  const file = reader.file;
  for (const e of reader.formatErrors.slice(0, EXAMPLES)) ctx.diagnostic({ kind: 'tracedat-format-unparsed', message: e });
  if (file.buffers.length > 1) {
    ctx.diagnostic({ kind: 'tracedat-instance-skipped', message: `instances not read: ${file.buffers.slice(1).map((b) => b.name).join(', ')}` });
  }
  const writer = new TraceEventWriter(ctx.db, ctx.bundleId, ctx.fileId, 'trace-dat');
  const asm = new TraceAssembler(ctx.path, true, (c) => writer.chunk(c));
  const le = !file.bigEndian;
  const render = renderContextOf(reader);
  // Per event type: the KVM decoder (null for other events) and the record's text, for fault records.
  // An array by type + 1 (type -1: a record too short to hold one), not a map: this runs for every record.
  const decoders: ({ decode: KvmDecoder; text: () => string } | null | undefined)[] = [];
  const plain: (string | undefined)[] = [];
  const used = new Set<number>();
  let dropped = 0;
  let events = 0;
  let current: DatRecord | null = null;
  const onRecord = (rec: DatRecord): void => {
    const f = rec.format;
    if (rec.missed !== 0 && ++dropped <= EXAMPLES) {
      ctx.diagnostic({ kind: 'ftrace-events-dropped', line: rec.index + 1, message: rec.missed > 0 ? `CPU ${rec.cpu}: ${rec.missed} events dropped` : `CPU ${rec.cpu}: events dropped` });
    }
    let dec = decoders[rec.type + 1];
    if (dec === undefined) {
      used.add(rec.type);
      const d = f === undefined ? null : kvmDecoderFor(f, le);
      dec = d === null || f === undefined ? null : { decode: d, text: () => renderEventText(f, recordData(current!.page.subarray(current!.start, current!.end), le, file.longSize), render) };
      decoders[rec.type + 1] = dec;
      plain[rec.type + 1] = f?.name ?? `type ${rec.type}`;
    }
    current = rec;
    const kvm = dec === null ? null : dec.decode(rec, dec.text);
    asm.addBinary(rec.ts, rec.cpu, rec.pid, reader.comm(rec.pid), plain[rec.type + 1]!, rec.page, rec.start, rec.end, rec.index + 1, kvm, rec.words);
    if (f !== undefined && f.system === 'sched') reader.notePluginComms(rec);
    events++;
  };
  // Read in batches so that compressed chunks are written (and memory released) as the file is read.
  const stream = reader.stream(0);
  if (!stream.ok) ctx.diagnostic({ kind: 'tracedat-corrupt', message: stream.error });
  for (;;) {
    if (!stream.ok) break;
    ctx.signal.throwIfAborted();
    const res = stream.value.pump(onRecord, BATCH);
    if (!res.ok) ctx.diagnostic({ kind: 'tracedat-corrupt', line: events + 1, message: res.error });
    ctx.progress(events, events);
    await writer.drain();
    if (!res.ok || res.value < BATCH) break;
  }
  if (dropped > EXAMPLES) ctx.diagnostic({ kind: 'ftrace-events-dropped', message: `${dropped - EXAMPLES} more pages with dropped events (${dropped} in all)` });
  const trace = asm.finish();
  await writer.finish(trace, { dialect: `v${file.version}`, clock: file.buffers[0]?.clock ?? file.clock, cpus: file.cpuCount });
  const formats: EventFormatText[] = [...used].map((id) => reader.formatTexts.get(id)).filter((f): f is EventFormatText => f !== undefined);
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
  setFileClock(ctx.db, ctx.fileId, 'monotonic');
  const faults = reportAssembled(ctx, trace, 'event');
  return { lines: 0, events: trace.events, faults, format: 'trace-dat' };
}

export const traceDatImporter: Importer = {
  id: 'trace-dat',
  sniff: sniffTraceDat,
  import: importTraceDat,
};
