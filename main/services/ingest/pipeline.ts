// ingestBundle: inputs -> leaf files (sources.ts) -> importer by content (importers/index.ts) -> storage.
// The bundle row is written first in state `ingesting` (its fingerprint names this process), lines and
// faults follow in big transactions, and one last transaction marks it `complete` under its content
// fingerprint, deleting an earlier copy of the same content: a reader never sees half a bundle as
// complete, a killed ingest leaves an `ingesting` row that the next ingest removes, a cancelled one is
// deleted, a re-ingest replaces. Memory stays flat: files are streamed, rows written in batches.
import { randomUUID } from 'node:crypto';
import { closeSync, lstatSync, openSync, readSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { describeDiagnostic } from '../../core/ingest/diagnostics';
import type { FaultRecord } from '../../core/ingest/fault-record';
import { deleteBundle, insertBundle, insertFile, setBundleContext, updateFileCounts } from '../../storage/bundles';
import { writeTransaction, type Db } from '../../storage/db';
import { fillFaultKernel } from '../../storage/faults';
import { dropUnfinishedTrace, removeTrace } from '../../storage/events';
import { lineWorker, releaseLineWorker } from '../../storage/lines-parallel';
import { releaseThreads } from '../../storage/threads';
import { completeBundle, ingestingBundles, ingestingFingerprint, insertCountedDiagnostics, pidOfIngesting, setFileBootLines, summarizeDiagnostics, type DiagnosticSummary } from '../../storage/ingest';
import { checkpointDuringLoad } from '../../storage/checkpointer';
import { ContextBuilder, contextToJson } from './context-builder';
import { JournalExportError } from '../../core/ingest/lines/journal-export';
import { JournalFileError } from '../../core/ingest/lines/journal-file';
import { JournalFieldsSkipped } from './journal-file';
import { CorruptCompressedError, DEFAULT_LIMITS, ExpansionBudget, ExpansionLimitError, type ExpansionLimits } from './decompress';
import { DiagnosticsCollector } from './diagnostics-collector';
import { decodeBundleEsrs, FaultSink } from './fault-sink';
import { fingerprintInputs, inputSize } from './fingerprint';
import type { ImportContext, Importer, ImportStats } from './importer';
import { chooseImporter, fallbackImporter, importers as defaultImporters } from './importers/index';
import { looksBinary } from './importers/text-head';
import type { LeafFile } from './source-items';
import { walkInputs } from './sources';

export interface IngestProgress {
  readonly phase: 'reading' | 'finishing' | 'done';
  readonly file: string | null;
  /** Bytes read from the inputs so far, and in all (on disk, before decompression). */
  readonly bytes: number;
  readonly totalBytes: number | null;
  readonly lines: number;
}

export interface IngestOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: IngestProgress) => void;
  readonly limits?: Partial<ExpansionLimits>;
  readonly importers?: readonly Importer[];
  /** Bundle name (default: the first input's name). */
  readonly name?: string;
}

export interface IngestedFile {
  readonly path: string;
  readonly format: string;
  readonly lines: number;
  readonly events: number;
  readonly faults: number;
  readonly diagnostics: number;
}

export interface IngestSummary {
  readonly bundleId: number | null;
  readonly name: string;
  readonly sourcePath: string;
  readonly cancelled: boolean;
  /** The earlier bundle with the same content that this one replaced. */
  readonly replacedBundleId: number | null;
  readonly files: readonly IngestedFile[];
  readonly lines: number;
  readonly events: number;
  readonly faults: number;
  readonly diagnostics: readonly DiagnosticSummary[];
  readonly bytes: number;
  readonly durationMs: number;
}

const HEAD_BYTES = 64 * 1024;
const PROGRESS_INTERVAL_MS = 100;
/**
 * Inputs of at least this size (on disk: an archive may hold ten times as much) get their reader thread
 * started at once (prestartThreads); below it, a thread's start costs more than it saves.
 */
const LINE_THREAD_BYTES = 4 * 1024 * 1024;
/** Files between two stores of the diagnostics collected (Run.fileDone). */
const DIAG_STORE_FILES = 64;

function isAbort(e: unknown): boolean {
  return (e as { name?: string } | null)?.name === 'AbortError';
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes bundles left `ingesting` by a process that no longer runs; returns their names. */
export function removeStaleBundles(db: Db): string[] {
  const removed: string[] = [];
  for (const b of ingestingBundles(db)) {
    const pid = pidOfIngesting(b.fingerprint);
    if (pid !== null && (pid === process.pid || processAlive(pid))) continue;
    deleteBundle(db, b.id);
    removed.push(b.name);
  }
  return removed;
}

class Run {
  readonly diags = new DiagnosticsCollector();
  readonly context: ContextBuilder;
  readonly faults: FaultSink;
  readonly files: IngestedFile[] = [];
  /** The id each listed file was stored under. */
  readonly fileIds = new Map<string, number>();
  readonly diagCountByFile = new Map<string, number>();
  readonly budget: ExpansionBudget;
  bytes = 0;
  lines = 0;
  events = 0;
  private lastProgress = 0;

  constructor(
    readonly db: Db,
    readonly bundleId: number,
    readonly options: IngestOptions,
    readonly totalBytes: number,
  ) {
    this.context = new ContextBuilder((what) => this.diag('context-conflict', null, null, what));
    this.faults = new FaultSink(db, bundleId);
    this.budget = new ExpansionBudget({ ...DEFAULT_LIMITS, ...options.limits });
  }

  diag(kind: string, file: string | null, line: number | null, message: string): void {
    this.diags.add(kind, file, line, message);
    if (file !== null) this.diagCountByFile.set(file, (this.diagCountByFile.get(file) ?? 0) + 1);
  }

  progress(file: string | null, extraLines: number, force = false): void {
    const now = Date.now();
    if (!force && now - this.lastProgress < PROGRESS_INTERVAL_MS) return;
    this.lastProgress = now;
    this.options.onProgress?.({ phase: 'reading', file, bytes: this.bytes, totalBytes: this.totalBytes, lines: this.lines + extraLines });
  }

  private filesSinceStore = 0;

  storeDiagnostics(): void {
    this.filesSinceStore = 0;
    insertCountedDiagnostics(this.db, this.bundleId, this.diags.drain());
  }

  /**
   * After each file: its counts, faults and (every DIAG_STORE_FILES files) the diagnostics so far, in one
   * transaction. A sosreport's thousands of small files made one commit each of these, per file. Nothing
   * reads a bundle's diagnostics before it is complete (finish stores the rest).
   */
  fileDone(fileId: number, counts: { lines: number; events: number; faults: number; format?: string }): void {
    writeTransaction(this.db, () => {
      this.faults.flush();
      updateFileCounts(this.db, fileId, counts);
      if (++this.filesSinceStore >= DIAG_STORE_FILES) this.storeDiagnostics();
    });
  }
}

/**
 * Starts the reader thread a big ingest will need, so that it boots while the database opens and the
 * inputs are hashed and not when the first big file is reached. An input that is one file is sniffed as
 * it will be read: its importer starts its own threads (trace.dat, ftrace text). Anything else (folders,
 * archives, compressed files, logs) gets the line reader thread, which big logs are read with.
 */
function prestartThreads(db: Db, paths: readonly string[], list: readonly Importer[]): void {
  const head = paths.length === 1 ? fileHead(paths[0]!) : null;
  const chosen = head === null || head.length === 0 ? null : chooseImporter(list, head, basename(paths[0]!));
  if (chosen?.importer.prestart !== undefined) chosen.importer.prestart(db);
  else void lineWorker(db);
}

/** The first HEAD_BYTES of a regular file (null for anything else, or where it cannot be read). */
function fileHead(path: string): Buffer | null {
  let fd: number | null = null;
  try {
    if (!lstatSync(path).isFile()) return null;
    fd = openSync(path, 'r');
    const head = Buffer.alloc(HEAD_BYTES);
    return head.subarray(0, readSync(fd, head, 0, HEAD_BYTES, 0));
  } catch {
    return null;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

function chooseFor(run: Run, file: LeafFile, head: Buffer): Importer | null {
  const list = run.options.importers ?? defaultImporters;
  const chosen = chooseImporter(list, head, file.path);
  if (chosen !== null) return chosen.importer;
  if (looksBinary(head)) return null;
  run.diag('format-unknown', file.path, null, 'no importer recognized the content; stored as plain text');
  return fallbackImporter;
}

/** Why reading a file stopped: the data (a bomb, a corrupt stream) or the importer itself. */
function readFailure(importer: Importer, e: unknown): [string, string] {
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof ExpansionLimitError) return ['expansion-limit', `${message}; the rest of the file was refused`];
  if (e instanceof CorruptCompressedError) return ['compressed-corrupt', `truncated or corrupt compressed data: ${message}`];
  if (e instanceof JournalExportError) return ['journal-export-corrupt', `${message}; the entries before it were read`];
  if (e instanceof JournalFileError) return ['journal-file-corrupt', `${message}; the entries before it were read`];
  if (e instanceof JournalFieldsSkipped) return ['journal-file-fields-skipped', message];
  if (/Unexpected end of data|premature close|unexpected end of file/i.test(message)) return ['archive-corrupt', `the archive ends in the middle of this file: ${message}`];
  return ['importer-failed', `${importer.id}: ${message}`];
}

async function importFile(run: Run, file: LeafFile): Promise<void> {
  const head = await file.content.peek(HEAD_BYTES);
  const importer = head.length === 0 ? null : chooseFor(run, file, head);
  if (importer === null) {
    const empty = head.length === 0;
    insertFile(run.db, run.bundleId, file.path, empty ? 'empty' : 'binary', file.storedSize ?? 0);
    run.diag(empty ? 'empty-file' : 'binary-skipped', file.path, null, empty ? 'the file is empty' : 'binary content that no importer reads');
    run.files.push({ path: file.path, format: empty ? 'empty' : 'binary', lines: 0, events: 0, faults: 0, diagnostics: 1 });
    // Read to its end all the same (a file on disk is only counted): an archive cut inside it is reported
    // here, naming it.
    try {
      await (file.disk !== undefined ? file.disk.claim() : file.content.drain());
    } catch (e) {
      if (isAbort(e)) throw e;
      const [kind, message] = readFailure(fallbackImporter, e);
      run.diag(kind, file.path, null, message);
    }
    return;
  }
  const fileId = insertFile(run.db, run.bundleId, file.path, importer.id, file.storedSize ?? 0);
  run.fileIds.set(file.path, fileId);
  let faults = 0;
  let fileLines = 0;
  const ctx: ImportContext = {
    db: run.db,
    bundleId: run.bundleId,
    fileId,
    path: file.path,
    signal: run.options.signal ?? new AbortController().signal,
    context: run.context,
    diagnostic: (d) => run.diag(d.kind, file.path, d.line ?? null, d.message),
    progress: (_bytes, lines) => {
      fileLines = lines;
      run.progress(file.path, lines);
    },
    fault: (record: FaultRecord, group) => {
      if (run.faults.add(fileId, record, group)) faults++;
    },
    boots: (starts) => {
      if (starts.length === 0) return;
      run.faults.placeBoots(fileId, starts.length);
      setFileBootLines(run.db, fileId, starts);
    },
  };
  // Where the bytes stop being readable (a truncated archive or compressed stream, a decompression bomb
  // refused), the importer sees the end of its input: it finishes on what was read, as on a whole file
  // (faults assembled, trace events with their names, timelines), and the reason is reported after it.
  // An importer that threw would leave half of a file: its last faults, or trace events without names.
  const cutShort: { error?: unknown } = {};
  const chunks = async function* (): AsyncGenerator<Buffer> {
    try {
      yield* file.content.rest();
    } catch (e) {
      if (isAbort(e)) throw e;
      cutShort.error = e;
    }
  };
  let stats: ImportStats;
  try {
    stats = await importer.import(ctx, { head, size: file.size, mtimeMs: file.mtimeMs, chunks, ...(file.form ? { form: file.form } : {}), ...(file.disk !== undefined ? { disk: file.disk } : {}) });
  } catch (e) {
    if (isAbort(e)) throw e;
    const [kind, message] = readFailure(importer, e);
    // Events stored before the error cannot be read without what the end of the import writes.
    const dropped = dropUnfinishedTrace(run.db, fileId);
    run.diag(kind, file.path, null, dropped > 0 ? `${message}; the ${dropped} events stored before it were removed (unreadable without the end of the import)` : message);
    stats = { lines: fileLines, events: 0, faults };
  }
  if ('error' in cutShort) {
    const [kind, message] = readFailure(importer, cutShort.error);
    const read = stats.lines > 0 ? ` (read up to line ${stats.lines})` : stats.events > 0 ? ` (read up to event ${stats.events})` : '';
    run.diag(kind, file.path, stats.lines > 0 ? stats.lines : null, message + read);
  }
  // A journal converted to its JSON form is listed by the form it came in.
  const format = file.form ?? stats.format;
  run.fileDone(fileId, { lines: stats.lines, events: stats.events, faults, ...(format ? { format } : {}) });
  run.lines += stats.lines;
  run.events += stats.events;
  run.files.push({ path: file.path, format: format ?? importer.id, lines: stats.lines, events: stats.events, faults, diagnostics: 0 });
}

async function readAll(run: Run, paths: readonly string[]): Promise<void> {
  const walk = walkInputs(paths, { budget: run.budget, ...(run.options.signal ? { signal: run.options.signal } : {}), onRead: (n) => (run.bytes += n) });
  for await (const item of walk) {
    run.options.signal?.throwIfAborted();
    if (item.kind === 'problem') {
      run.diag(item.problem.id, item.problem.file, null, item.problem.message);
      continue;
    }
    run.progress(item.file.path, 0, true);
    await importFile(run, item.file);
  }
}

// A tracing folder as collected (sosreport's tracing plugin, a copy of /sys/kernel/tracing): `trace` reads
// the whole ring buffer, each `per_cpu/cpuN/trace` one CPU's part of the same buffer.
const PER_CPU_TRACE_RE = /^(.*\/)?per_cpu\/cpu\d+\/trace$/;

/**
 * Takes back the events and fault groups of per-CPU views whose folder's `trace` was read too: they repeat
 * its events, and counted them twice. Decided once every file is read (in a folder or an archive the views
 * may come first). A per-CPU view without its folder's trace is kept.
 */
function dropPerCpuCopies(run: Run): void {
  const traced = new Set(run.files.filter((f) => f.format === 'ftrace-text' && f.events > 0).map((f) => f.path));
  run.files.forEach((f, i) => {
    const m = PER_CPU_TRACE_RE.exec(f.path);
    const whole = m === null ? null : `${m[1] ?? ''}trace`;
    const fileId = run.fileIds.get(f.path);
    if (whole === null || !traced.has(whole) || f.format !== 'ftrace-text' || fileId === undefined) return;
    const events = removeTrace(run.db, fileId);
    run.faults.dropTraceGroups(fileId);
    updateFileCounts(run.db, fileId, { lines: f.lines, events: 0, faults: 0 });
    run.events -= f.events;
    run.diag('ftrace-per-cpu-copy', f.path, null, `a per-CPU view of ${whole}, which holds the same events: its ${events} events and ${f.faults} fault groups were not counted again`);
    run.files[i] = { ...f, events: 0, faults: 0 };
  });
}

/** Context, kernels, ESR decodes, then the one transaction that makes the bundle complete. */
function finish(run: Run, fingerprint: string): number | null {
  dropPerCpuCopies(run);
  const context = run.context.build();
  setBundleContext(run.db, run.bundleId, contextToJson(context));
  run.faults.finish();
  if (context.kernels.length === 1) fillFaultKernel(run.db, run.bundleId, context.kernels[0]!);
  decodeBundleEsrs(run.db, run.bundleId);
  const replaced = completeBundle(run.db, run.bundleId, fingerprint, new Date().toISOString());
  if (replaced !== null) {
    run.diag('bundle-replaced', null, null, `an earlier copy of this bundle (id ${replaced}) was replaced`);
  }
  run.storeDiagnostics();
  return replaced;
}

function defaultName(paths: readonly string[]): string {
  const first = basename(resolve(paths[0] ?? 'bundle'));
  return paths.length > 1 ? `${first} (+${paths.length - 1})` : first;
}

/** Ingests `paths` (folders, archives, files) as one bundle. Never throws for bad input. */
export async function ingestBundle(db: Db, paths: readonly string[], options: IngestOptions = {}): Promise<IngestSummary> {
  const started = Date.now();
  const sourcePath = paths.map((p) => resolve(p)).join(' + ');
  const name = options.name ?? defaultName(paths);
  const stale = removeStaleBundles(db);
  const totalBytes = inputSize(paths);
  // Hashed alongside the ingest (on the thread pool); needed only to complete the bundle.
  const fingerprinting = fingerprintInputs(paths, options.signal);
  fingerprinting.catch(() => undefined);
  const bundleId = insertBundle(db, { name, sourcePath, fingerprint: ingestingFingerprint(process.pid, randomUUID()), createdAt: new Date().toISOString() });
  // Started once nothing before the try below can fail: a thread nobody stops keeps the process alive.
  if (totalBytes >= LINE_THREAD_BYTES) prestartThreads(db, paths, options.importers ?? defaultImporters);
  const run = new Run(db, bundleId, options, totalBytes);
  for (const s of stale) run.diag('stale-bundle-removed', null, null, `the interrupted ingest of ${s} was removed`);
  const summary = (cancelled: boolean, replaced: number | null): Omit<IngestSummary, 'durationMs'> => ({
    bundleId: cancelled ? null : bundleId,
    name,
    sourcePath,
    cancelled,
    replacedBundleId: replaced,
    files: run.files.map((f) => ({ ...f, diagnostics: run.diagCountByFile.get(f.path) ?? 0 })),
    lines: run.lines,
    events: run.events,
    faults: run.faults.count,
    diagnostics: cancelled ? [] : summarizeDiagnostics(db, bundleId),
    bytes: run.bytes,
  });
  const endLoad = checkpointDuringLoad(db);
  let result: Omit<IngestSummary, 'durationMs'>;
  try {
    await readAll(run, paths);
    await releaseLineWorker(db);
    await releaseThreads(db);
    options.onProgress?.({ phase: 'finishing', file: null, bytes: run.bytes, totalBytes, lines: run.lines });
    const { fingerprint } = await fingerprinting;
    const replaced = finish(run, fingerprint);
    result = summary(false, replaced);
  } catch (e) {
    await releaseLineWorker(db);
    await releaseThreads(db);
    deleteBundle(db, bundleId);
    if (!isAbort(e)) throw e;
    result = summary(true, null);
  } finally {
    await endLoad();
  }
  // The ingest is done once what it wrote is in the database file, not only in the WAL.
  if (!result.cancelled) options.onProgress?.({ phase: 'done', file: null, bytes: run.bytes, totalBytes, lines: run.lines });
  return { ...result, durationMs: Date.now() - started };
}

/** Severity of a diagnostic id, for callers that print summaries. */
export const severityOf = (id: string): string => describeDiagnostic(id).severity;
