// trace.dat v6/v7 (issue 5), read natively (core/ingest/tracedat): every record kept as its raw bytes with
// the formats to render it on read, KVM records feeding the exit statistics, fault groups, VM map and
// timeline summaries. The reader needs random access, which a stream from an archive does not give: the
// content is held in memory up to SPOOL_THRESHOLD and spooled to a temporary file beyond, so memory stays
// bounded whatever the size.
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { decompress as zstdDecompress } from 'fzstd';
import { TraceAssembler } from '../../../core/ingest/ftrace/assembler';
import { TRACE_DAT_MAGIC, type ByteSource, type Decompress } from '../../../core/ingest/tracedat/file';
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

const SPOOL_THRESHOLD = 16 * 1024 * 1024;
/**
 * An input of known size up to this is read into one buffer of that size: writing a temporary file and
 * reading it back cost the importing thread ~0.2 s per 58 MB (the bench's 2M events), more than the copy.
 */
const IN_MEMORY_MAX = 64 * 1024 * 1024;
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

export interface Spooled extends ByteSource {
  /** Whether the bytes went to a temporary file (else they are in memory). */
  readonly onDisk: boolean;
  close(): void;
}

/**
 * The whole input as a random-access source: in memory when small or of a known size up to IN_MEMORY_MAX,
 * else a temporary file.
 */
export async function spool(
  input: ImportInput,
  ctx: Pick<ImportContext, 'signal' | 'progress'>,
  limits = { spoolAt: SPOOL_THRESHOLD, inMemoryMax: IN_MEMORY_MAX },
): Promise<Spooled> {
  const parts: Buffer[] = [];
  // The input's bytes in one buffer of its announced size (null: kept in parts, then a file).
  let whole: Uint8Array | null = input.size !== null && input.size <= limits.inMemoryMax ? new Uint8Array(input.size) : null;
  let size = 0;
  let fd: number | null = null;
  let dir: string | null = null;
  for await (const chunk of input.chunks()) {
    ctx.signal.throwIfAborted();
    // Beyond the threshold, or beyond the announced size (the file grew): a temporary file.
    if (fd === null && size + chunk.length > (whole === null ? limits.spoolAt : whole.length)) {
      dir = mkdtempSync(join(tmpdir(), 'faultline-tracedat-'));
      fd = openSync(join(dir, 'trace.dat'), 'w+');
      if (whole !== null) writeSync(fd, whole.subarray(0, size));
      for (const p of parts) writeSync(fd, p);
      whole = null;
      parts.length = 0;
    }
    if (fd !== null) writeSync(fd, chunk);
    else if (whole !== null) whole.set(chunk, size);
    else parts.push(chunk);
    size += chunk.length;
    ctx.progress(size, 0);
  }
  if (fd === null) {
    let bytes: Uint8Array;
    if (whole !== null) bytes = whole.subarray(0, size);
    else {
      const all = Buffer.concat(parts, size);
      bytes = new Uint8Array(all.buffer, all.byteOffset, all.byteLength);
    }
    return { size, onDisk: false, read: (o, n) => bytes.subarray(o, Math.min(o + n, size)), close: () => undefined };
  }
  const file = fd;
  return {
    size,
    onDisk: true,
    read(o, n) {
      const len = Math.max(0, Math.min(n, size - o));
      const b = new Uint8Array(len);
      readSync(file, b, 0, len, o);
      return b;
    },
    close() {
      closeSync(file);
      if (dir !== null) rmSync(dir, { recursive: true, force: true });
    },
  };
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
