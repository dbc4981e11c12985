// What the source walk (sources.ts) yields, leaf files and problems, with the options it is given and the
// problem a failed stream is reported as: shared by the folder walk, the stream dispatch (source-expand.ts),
// the archive readers (source-tar.ts, source-zip.ts) and the form conversions (source-forms.ts).
import type { DiagnosticId } from '../../core/ingest/diagnostics';
import { JournalExportError } from '../../core/ingest/lines/journal-export';
import { JournalFileError } from '../../core/ingest/lines/journal-file';
import { CorruptCompressedError, ExpansionLimitError, type ExpansionBudget } from './decompress';
import type { Peekable } from './peekable';

export interface LeafFile {
  /** Path inside the bundle, `/`-separated. */
  readonly path: string;
  /** Size as stored in the input (before decompression), when known. */
  readonly storedSize: number | null;
  /**
   * Size of `content` in bytes, where the walk knows it: the stored bytes themselves, or a zip entry's
   * declared size (null once decompressed from a stream or converted). Readers that hold the whole input
   * (spool.ts) size their buffer by it; a content that outgrows it is still read whole.
   */
  readonly size: number | null;
  readonly mtimeMs: number | null;
  /** The decompressed content, from the first byte. */
  readonly content: Peekable;
  /**
   * The form the content was converted from (a journal's: its lines are then `-o json` entries; a LAVA
   * job log's: console text): the file's format as the bundle lists it, in place of the importer's dialect.
   */
  readonly form?: SourceForm;
  /**
   * The file on disk whose unchanged bytes `content` streams (an input or a folder's file, not an archive's
   * entry nor a converted form): a reader that needs the whole content at once may read it from there.
   */
  readonly disk?: DiskFile;
}

export interface DiskFile {
  readonly path: string;
  /**
   * The file as the walk opened it (null for a small file, read at once): the bytes sniffed and hashed,
   * whatever happens to `path` meanwhile. Valid until the walk moves on; shared, so read at explicit
   * positions and never closed by the reader.
   */
  readonly fd: number | null;
  /**
   * Stops the content's stream, and counts the file's bytes the stream had not read as read: the caller
   * reads them from the file itself (by `fd` where the walk opened it). The content must not be read after this. Once only: later calls do nothing.
   */
  claim(): Promise<void>;
  /**
   * Stops the content's stream as claim() does, for a caller that reads the file piece by piece from its
   * start: it reports the bytes it reads to the function it gets, so that progress follows its reading (the
   * bytes the stream had read are not counted twice). What it has not counted when claim() is called (the
   * pipeline does, once the importer is done) is counted then.
   */
  claimCounting(): Promise<(bytes: number) => void>;
}

export type SourceForm = 'journal-export' | 'journal-file' | 'journal-json-pretty' | 'journal-verbose' | 'lava-log';

export interface SourceProblem {
  readonly id: DiagnosticId;
  readonly file: string;
  readonly message: string;
}

export type SourceItem = { readonly kind: 'file'; readonly file: LeafFile } | { readonly kind: 'problem'; readonly problem: SourceProblem };

export interface WalkOptions {
  readonly budget: ExpansionBudget;
  readonly signal?: AbortSignal;
  /** Called with the number of bytes read from disk, as they are read. */
  readonly onRead?: (bytes: number) => void;
}

/** Bytes a stream's head is peeked for, to tell its form. */
export const HEAD = 512;

export const problem = (id: DiagnosticId, file: string, message: string): SourceItem => ({ kind: 'problem', problem: { id, file, message } });

/** The problem a stream's failure is reported as (an abort is thrown on). */
export function streamProblem(path: string, e: unknown): SourceItem {
  if (e instanceof ExpansionLimitError) return problem('expansion-limit', path, e.message);
  if (e instanceof CorruptCompressedError) return problem('compressed-corrupt', path, `truncated or corrupt compressed data: ${e.message}`);
  if (e instanceof JournalExportError) return problem('journal-export-corrupt', path, `${e.message}; nothing before it was a whole entry`);
  if (e instanceof JournalFileError) return problem('journal-file-corrupt', path, `${e.message}; no entry before it`);
  if (e instanceof DOMException && e.name === 'AbortError') throw e;
  if ((e as { name?: string }).name === 'AbortError') throw e;
  return problem('archive-corrupt', path, `unreadable archive data: ${(e as Error).message}`);
}
