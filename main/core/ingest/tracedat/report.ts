// `trace-cmd report` text of a trace.dat (Debian trace-cmd 3.1.6, tracecmd/trace-read.c, default options):
//   cpus=N
//   CPU:0 [1056508 EVENTS DROPPED]              before the first record after lost events
//               find-11092 [000]   449.993136: sys_enter:            NR 3 (4, 200, ...)
// i.e. comm right-aligned in 16, "-", pid left-aligned in 5, CPU as %03d, the time as %5llu.%06llu
// (microseconds, truncated), the event name and its colon padded to 21 columns, then the event's text.
import { formatMicros } from '../ftrace/timestamp';
import { Kallsyms } from './kallsyms';
import type { RenderContext } from './print-eval';
import type { DatRecord, TraceDatReader } from './reader';
import { recordData } from './record';
import { renderEventText } from './render';

/** A render context over a reader's kallsyms, parsed on first use. */
export function renderContextOf(reader: TraceDatReader): RenderContext {
  let syms: Kallsyms | null | undefined;
  return {
    longSize: reader.file.longSize,
    kallsyms() {
      if (syms === undefined) syms = reader.file.kallsyms === '' ? null : Kallsyms.parse(reader.file.kallsyms);
      return syms;
    },
  };
}

/** The report line of one record (without the dropped-events marker). */
export function reportLine(reader: TraceDatReader, rec: DatRecord, ctx: RenderContext): string {
  const comm = reader.comm(rec.pid);
  const head = `${comm.padStart(16)}-${String(rec.pid).padEnd(5)} [${String(rec.cpu).padStart(3, '0')}] ${formatMicros(rec.epoch === 0n ? rec.ts : rec.epoch + BigInt(rec.ts))}: `;
  const f = rec.format;
  if (f === undefined) return `${head}${'UNKNOWN EVENT'.padEnd(20)} type=${rec.type}`;
  const r = recordData(rec.page.subarray(rec.start, rec.end), !reader.file.bigEndian, reader.file.longSize);
  const text = renderEventText(f, r, ctx);
  return `${head}${(f.name + ':').padEnd(21)} ${text}`;
}

/** The dropped-events marker trace-cmd prints before a record, or null. */
export function droppedMarker(rec: DatRecord): string | null {
  if (rec.missed > 0) return `CPU:${rec.cpu} [${rec.missed} EVENTS DROPPED]`;
  if (rec.missed < 0) return `CPU:${rec.cpu} [EVENTS DROPPED]`;
  return null;
}

/**
 * The whole report, line by line, to `emit`. A file with instances gets trace-read.c's print_handle_file
 * prefix on each record: the instance's name right-aligned to the longest instance name and ": ", blanks
 * for the top buffer's; it precedes the dropped-events marker where there is one (both are one trace_seq).
 */
export function renderReport(reader: TraceDatReader, emit: (line: string) => void): void {
  const ctx = renderContextOf(reader);
  const names = reader.file.buffers.map((b) => b.name);
  const width = Math.max(0, ...names.map((n) => n.length));
  const prefixes = names.some((n) => n !== '') ? names.map((n) => (n === '' ? ' '.repeat(width + 2) : `${n.padStart(width)}: `)) : null;
  emit(`cpus=${reader.file.cpuCount}`);
  reader.read((rec) => {
    const prefix = prefixes === null ? '' : prefixes[rec.buffer]!;
    const marker = droppedMarker(rec);
    if (marker !== null) emit(prefix + marker);
    emit((marker === null ? prefix : '') + reportLine(reader, rec, ctx));
    reader.notePluginComms(rec);
  });
}
