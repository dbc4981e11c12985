// The plug-in point of the ingest pipeline (docs/ARCHITECTURE.md, "Ingest pipeline"): every file of a
// bundle, once decompressed, goes to the importer whose `sniff` scores its first bytes highest. Kernel
// logs, ftrace text, trace.dat, lspci, uname … are each one importer; the pipeline (sources, archives,
// decompression, bundle bookkeeping, progress, cancellation) is shared.
import type { Db } from '../../storage/db';
import type { FaultRecord } from '../../core/ingest/fault-record';

/** Severity of an import diagnostic (STYLE.md §5). */
export type DiagnosticSeverity = 'info' | 'data-loss' | 'error';

export interface DiagnosticEvent {
  /** An id declared in main/core/ingest/diagnostics.ts (the table of diagnostics as data). */
  readonly kind: string;
  /** 1-based line (or event index for binary traces) where it applies. */
  readonly line?: number;
  readonly message: string;
}

/** The bytes of one file, after decompression. `head` is the start the sniffers saw. */
export interface ImportInput {
  readonly head: Buffer;
  /** Decompressed size when known up front (plain files), else null. */
  readonly size: number | null;
  /** Modification time of the file (from the disk or the archive header), when known: dates without a year. */
  readonly mtimeMs?: number | null;
  /** The form the source walk converted the content from (source-items.ts SourceForm), if it did. */
  readonly form?: string;
  /**
   * The file on disk holding exactly this content (source-items.ts LeafFile.disk), when there is one: an
   * importer that needs the whole content may claim it and read it from there instead of through chunks().
   */
  readonly disk?: import('./source-items').DiskFile;
  /** The whole content as a stream of chunks, from the first byte (head included). Call at most once. */
  chunks(): AsyncIterable<Buffer>;
}

/** Facts about the host an importer found; the pipeline merges them into the bundle's BundleContext. */
export interface ContextSink {
  addKernel(release: string): void;
  setHostname(name: string): void;
  setCpu(midr: string | null, description: string | null): void;
  setPaging(pageSizeKiB: number | null, vaBits: number | null): void;
  setCmdline(cmdline: string): void;
  addPciDevice(device: import('../../core/ingest/fault-record').PciDevice): void;
  addVm(vm: import('../../core/ingest/fault-record').VmProcess): void;
}

export interface ImportContext {
  readonly db: Db;
  readonly bundleId: number;
  readonly fileId: number;
  /** Path of the file inside the bundle, `/`-separated. */
  readonly path: string;
  readonly signal: AbortSignal;
  readonly context: ContextSink;
  diagnostic(d: DiagnosticEvent): void;
  /** Report progress within this file: decompressed bytes consumed, lines (or events) so far. */
  progress(bytes: number, lines: number): void;
  /** Store one fault record (or a group of identical ones, `count` > 1). */
  fault(record: FaultRecord, group?: { count: number; firstNs: bigint | null; lastNs: bigint | null }): void;
  /**
   * After the file's last record: the lines at which its boots after the first begin (the since-boot clock
   * restarts at each). Its records read in boot n carry extra `boot: n` (none in the first); each goes on
   * its boot's clock (core/ingest/boot-clock.ts), and the lines are kept for the log view.
   */
  boots(starts: readonly number[]): void;
}

export interface ImportStats {
  readonly lines: number;
  readonly events: number;
  readonly faults: number;
  /** A finer format than the importer id, stored as the file's format (`dmesg`, `journal-json`, `qemu-log`). */
  readonly format?: string;
}

export interface Importer {
  /** Stored as the file's format: 'kernel-log', 'ftrace-text', 'trace-dat', 'lspci', … */
  readonly id: string;
  /**
   * How sure this importer is that it reads this content, 0 (not mine) to 1 (certainly mine). Decide from
   * the content; the path is only a tie-breaker (sosreport names).
   */
  sniff(head: Buffer, path: string): number;
  import(ctx: ImportContext, input: ImportInput): Promise<ImportStats>;
  /**
   * Starts the threads this importer reads a big input with (storage/threads.ts ThreadSlot), before the
   * ingest reads it: the pipeline calls it when a big input is one file this importer will read.
   */
  prestart?(db: Db): void;
}
