// Inputs -> leaf files, streaming: folders (walked in name order), archives (tar in any compression, zip),
// compressed single files, plain files (UTF-16 text decoded to UTF-8, CR-only line ends made LF); all
// recognized by their first bytes, never by name. Archives inside archives are expanded as they stream by
// (tar in tar, .gz in tar); a zip inside a tar cannot be read without storing it and is skipped with a
// diagnostic. Nothing is written to disk.
import { closeSync, createReadStream, lstatSync, openSync, readFileSync, readSync, statSync, type Dirent } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import { Readable } from 'node:stream';
import tarStream from 'tar-stream';
import { salvageZip, type SalvageEnd } from './zip-salvage';
import yauzl from 'yauzl';
import type { DiagnosticId } from '../../core/ingest/diagnostics';
import { looksLikeTar, looksLikeZip, safeEntryPath } from './archive-paths';
import { canDecompress, CorruptCompressedError, decompress, detectCompression, ExpansionLimitError, type ExpansionBudget } from './decompress';
import { Peekable } from './peekable';
import { describeNulRun, dropLeadingNuls, isLeadingNulRun, NUL_RUN_MIN_BYTES } from './nul-run';
import { detectJournalExport, JournalExportError } from '../../core/ingest/lines/journal-export';
import { detectJournalFile, JournalFileError } from '../../core/ingest/lines/journal-file';
import { journalFileToJson } from './journal-file';
import { detectJournalJsonPretty } from '../../core/ingest/lines/journal-json-pretty';
import { detectJournalVerbose } from '../../core/ingest/lines/journal-verbose';
import { detectJournalJsonLines } from '../../core/ingest/lines/journal-json';
import { journalOnOneClock } from './journal-boots';
import { crToLf, decodeUtf16, detectCrLineEnds, detectUtf16, journalExportToJson, journalJsonPrettyToLines, journalVerboseToLines, lavaLogToText } from './text-encoding';
import { detectLavaLog } from '../../core/ingest/lines/lava-log';

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
   * Stops the content's stream, and counts the file's bytes the stream had not read as read: the caller
   * reads them from `path` itself. The content must not be read after this. Once only: later calls do nothing.
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

const MAX_DEPTH = 4;
const READ_CHUNK = 256 * 1024;
/** Files up to this size are read at once (readFile). */
const SMALL_FILE = 64 * 1024;
const HEAD = 512;
/** Bytes looked at for the line ends of a text file (what the importers' sniffers see too). */
const LINE_END_SAMPLE = 64 * 1024;

const problem = (id: DiagnosticId, file: string, message: string): SourceItem => ({ kind: 'problem', problem: { id, file, message } });

/**
 * A file's bytes in chunks of up to READ_CHUNK. A stream allocates a buffer of its high-water mark for
 * every read, so a small file (most of a sosreport's thousands) gets one the size of the file and not
 * 256 KiB: 10,000 small files allocated 5 GB, most of the ingest's time went to collecting it.
 */
async function* readFile(path: string, size: number | null, onRead?: (n: number) => void): AsyncGenerator<Buffer> {
  // A small file in one synchronous read: a few system calls where the stream's open, reads and close
  // each waited for the thread pool (the importing thread idled a third of a sosreport's ingest).
  if (size !== null && size <= SMALL_FILE) {
    const bytes = readFileSync(path);
    onRead?.(bytes.length);
    if (bytes.length > 0) yield bytes;
    return;
  }
  // One byte more than the size: the file may have grown, and the stream still ends on its own.
  const highWaterMark = size === null ? READ_CHUNK : Math.max(1, Math.min(READ_CHUNK, size + 1));
  for await (const chunk of createReadStream(path, { highWaterMark })) {
    onRead?.((chunk as Buffer).length);
    yield chunk as Buffer;
  }
}

/** Every leaf file of the inputs, in order; problems interleaved where they happen. */
export async function* walkInputs(paths: readonly string[], options: WalkOptions): AsyncGenerator<SourceItem> {
  const used = new Set<string>();
  const unique = (p: string): string => {
    let name = p;
    for (let i = 2; used.has(name); i++) name = `${p}#${i}`;
    used.add(name);
    return name;
  };
  for (const input of paths) {
    let st;
    try {
      st = await lstat(input);
    } catch (e) {
      yield problem('input-missing', input, `cannot read ${input}: ${(e as Error).message}`);
      continue;
    }
    if (st.isDirectory()) {
      yield* walkFolder(input, input, options, unique);
    } else if (st.isFile()) {
      yield* expandDiskFile(input, basename(input), st.size, st.mtimeMs, options, unique, true);
    } else {
      yield problem('input-missing', input, `${input} is not a file or folder`);
    }
  }
}

async function* walkFolder(root: string, dir: string, options: WalkOptions, unique: (p: string) => string): AsyncGenerator<SourceItem> {
  let names;
  try {
    names = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch (e) {
    yield problem('file-unreadable', relative(root, dir) || '.', `cannot list ${dir}: ${(e as Error).message}`);
    return;
  }
  for (const d of names) {
    options.signal?.throwIfAborted();
    const full = join(dir, d.name);
    const rel = relative(root, full).split(sep).join('/');
    if (d.isSymbolicLink()) {
      yield problem('link-skipped', rel, 'symbolic link not followed');
    } else if (d.isDirectory()) {
      yield* walkFolder(root, full, options, unique);
    } else if (d.isFile()) {
      let size: number | null = null;
      let mtime: number | null = null;
      try {
        // Synchronous: a few microseconds, where waiting for the thread pool cost more than the call
        // for each of a sosreport's thousands of files.
        const st = lstatSync(full);
        size = st.size;
        mtime = st.mtimeMs;
      } catch {
        // reported when reading fails
      }
      yield* expandDiskFile(full, rel, size, mtime, options, unique, false);
    } else {
      // Named, so a bundle taken from a live system (/run, /dev) says what it left out.
      yield problem('special-file-skipped', rel, `${specialKind(d)} skipped`);
    }
  }
}

/** What a folder entry that is neither a file, a folder nor a link is (Dirent's type, as lstat gives it). */
function specialKind(d: Dirent): string {
  if (d.isFIFO()) return 'FIFO';
  if (d.isSocket()) return 'socket';
  if (d.isCharacterDevice()) return 'character device';
  if (d.isBlockDevice()) return 'block device';
  return 'entry of unknown type';
}

async function* expandDiskFile(
  diskPath: string,
  path: string,
  size: number | null,
  mtimeMs: number | null,
  options: WalkOptions,
  unique: (p: string) => string,
  /**
   * An input itself: an archive's entries are the bundle's files. An archive found in a folder keeps its
   * path before its entries' (`logs/host1.tar.gz/var/log/messages`), so two archives' files stay apart.
   */
  topLevel: boolean,
): AsyncGenerator<SourceItem> {
  let streamed = 0;
  const content = Peekable.of(
    readFile(diskPath, size, (n) => {
      streamed += n;
      options.onRead?.(n);
    }),
  );
  let claimed = false;
  // The bytes the caller of claimCounting read (from the file's start), and those of them counted: the
  // ones beyond what the stream had read and counted.
  let readByCaller = 0;
  let counted = 0;
  let countedAll = false;
  const countRest = (): void => {
    if (countedAll) return;
    countedAll = true;
    if (size !== null) options.onRead?.(Math.max(0, size - streamed - counted));
  };
  const disk: DiskFile = {
    path: diskPath,
    async claim() {
      if (!claimed) {
        claimed = true;
        await content.close();
      }
      countRest();
    },
    async claimCounting() {
      if (claimed) throw new Error(`${path}: claimed twice`);
      claimed = true;
      await content.close();
      return (n) => {
        if (countedAll) return;
        readByCaller += n;
        const beyond = Math.max(0, readByCaller - streamed);
        if (beyond > counted) {
          options.onRead?.(beyond - counted);
          counted = beyond;
        }
      };
    },
  };
  let head: Buffer;
  try {
    head = await content.peek(HEAD);
  } catch (e) {
    yield problem('file-unreadable', path, `cannot read ${path}: ${(e as Error).message}`);
    return;
  }
  if (looksLikeZip(head)) {
    await content.drain().catch(() => undefined);
    yield* expandZip(diskPath, path, options, unique, topLevel ? '' : `${path}/`);
    return;
  }
  yield* expand(path, content, size, size, mtimeMs, 0, options, unique, topLevel, disk);
}

/** Decides what a byte stream is and yields its leaf files (the stream is consumed either way). */
async function* expand(
  path: string,
  content: Peekable,
  storedSize: number | null,
  contentSize: number | null,
  mtimeMs: number | null,
  depth: number,
  options: WalkOptions,
  unique: (p: string) => string,
  topLevel: boolean,
  /** The file on disk `content` reads, unchanged (LeafFile.disk); null within archives and compressed data. */
  disk: DiskFile | null = null,
): AsyncGenerator<SourceItem> {
  try {
    const head = await content.peek(HEAD);
    const compression = detectCompression(head);
    if (depth >= MAX_DEPTH) {
      yield { kind: 'file', file: { path: unique(path), storedSize, size: contentSize, mtimeMs, content } };
    } else if (head[0] === 0 && isLeadingNulRun(await content.peek(NUL_RUN_MIN_BYTES))) {
      // Only a file that starts with a NUL pays for the longer look; the run is read through, not held.
      const run = { bytes: 0 };
      const after = Peekable.of(dropLeadingNuls(content.rest(), run));
      const rest = await after.peek(HEAD);
      yield problem('nul-run-skipped', path, describeNulRun(run.bytes, rest.length > 0));
      yield* expand(path, after, storedSize, null, mtimeMs, depth + 1, options, unique, topLevel);
      await after.drain();
    } else if (compression !== null && !canDecompress(compression)) {
      yield problem('compression-unsupported', path, `${compression}-compressed data is not supported`);
    } else if (compression !== null && canDecompress(compression)) {
      const inner = Peekable.of(decompress(compression, content.rest(), options.budget));
      yield* expand(path, inner, storedSize, null, mtimeMs, depth + 1, options, unique, topLevel);
      await inner.drain();
    } else if (looksLikeTar(head)) {
      yield* expandTar(path, content, depth, options, unique, topLevel);
    } else if (looksLikeZip(head)) {
      yield problem('archive-nested-unsupported', path, 'a zip archive inside another archive or compressed file was skipped');
    } else {
      const utf16 = detectUtf16(head);
      if (utf16 !== null) {
        yield problem('text-utf16', path, `text in ${utf16.toUpperCase()} was decoded to UTF-8`);
        yield { kind: 'file', file: { path: unique(path), storedSize, size: null, mtimeMs, content: Peekable.of(decodeUtf16(utf16, content.rest())) } };
      } else if (detectJournalFile(head)) {
        yield problem('journal-file', path, 'a systemd journal file was read entry by entry, as journalctl -o json gives it');
        const entries = Peekable.of(journalFileToJson(content.rest(), contentSize, options.signal));
        await entries.peek(HEAD);
        yield { kind: 'file', file: { path: unique(path), storedSize, size: null, mtimeMs, content: entries, form: 'journal-file' } };
      } else if (detectJournalJsonPretty(await content.peek(LINE_END_SAMPLE))) {
        yield problem('journal-json-pretty', path, 'a journal in json-pretty (journalctl -o json-pretty) was read one entry a line, as journalctl -o json gives it');
        yield { kind: 'file', file: { path: unique(path), storedSize, size: null, mtimeMs, content: Peekable.of(journalOnOneClock(content.rest(), journalJsonPrettyToLines, options.signal)), form: 'journal-json-pretty' } };
      } else if (detectJournalVerbose(head)) {
        yield problem('journal-verbose', path, 'a journal in the verbose form (journalctl -o verbose) was read one entry a line, as journalctl -o json gives it');
        yield { kind: 'file', file: { path: unique(path), storedSize, size: null, mtimeMs, content: Peekable.of(journalOnOneClock(content.rest(), journalVerboseToLines, options.signal)), form: 'journal-verbose' } };
      } else if (detectJournalExport(head)) {
        yield problem('journal-export', path, 'a journal in the export format (journalctl -o export) was read one entry a line, as journalctl -o json gives it');
        const entries = Peekable.of(journalOnOneClock(content.rest(), journalExportToJson, options.signal));
        // A stream that is not the format from its first entry on is reported here, as a file that cannot be read.
        await entries.peek(HEAD);
        yield { kind: 'file', file: { path: unique(path), storedSize, size: null, mtimeMs, content: entries, form: 'journal-export' } };
      } else if (detectJournalJsonLines(head)) {
        yield { kind: 'file', file: { path: unique(path), storedSize, size: null, mtimeMs, content: Peekable.of(journalOnOneClock(content.rest(), (chunks) => chunks, options.signal)) } };
      } else if (detectLavaLog(head)) {
        yield problem('lava-log', path, "a LAVA job log was read as its device's console: a line a record, LAVA's own records as `LAVA <level>: …`");
        yield { kind: 'file', file: { path: unique(path), storedSize, size: null, mtimeMs, content: Peekable.of(lavaLogToText(content.rest())), form: 'lava-log' } };
      } else if (detectCrLineEnds(await content.peek(LINE_END_SAMPLE))) {
        yield problem('text-cr-lines', path, 'lines ended by a carriage return alone were read as lines');
        yield { kind: 'file', file: { path: unique(path), storedSize, size: null, mtimeMs, content: Peekable.of(crToLf(content.rest())) } };
      } else {
        yield { kind: 'file', file: { path: unique(path), storedSize, size: contentSize, mtimeMs, content, ...(disk !== null ? { disk } : {}) } };
      }
    }
  } catch (e) {
    yield streamProblem(path, e);
  } finally {
    // What the consumer left is read and dropped (an archive reader needs its entry read to its end); a
    // file on disk is only closed, its bytes counted (its reader may have read it from the disk).
    await (disk !== null ? disk.claim() : content.drain()).catch(() => undefined);
  }
}

function streamProblem(path: string, e: unknown): SourceItem {
  if (e instanceof ExpansionLimitError) return problem('expansion-limit', path, e.message);
  if (e instanceof CorruptCompressedError) return problem('compressed-corrupt', path, `truncated or corrupt compressed data: ${e.message}`);
  if (e instanceof JournalExportError) return problem('journal-export-corrupt', path, `${e.message}; nothing before it was a whole entry`);
  if (e instanceof JournalFileError) return problem('journal-file-corrupt', path, `${e.message}; no entry before it`);
  if (e instanceof DOMException && e.name === 'AbortError') throw e;
  if ((e as { name?: string }).name === 'AbortError') throw e;
  return problem('archive-corrupt', path, `unreadable archive data: ${(e as Error).message}`);
}

async function* expandTar(
  path: string,
  content: Peekable,
  depth: number,
  options: WalkOptions,
  unique: (p: string) => string,
  topLevel: boolean,
): AsyncGenerator<SourceItem> {
  // Damaged data (a truncated or corrupt .tar.gz) ends the archive where the damage is, and the
  // extractor, ended so, gives every entry it holds and fails the one it is in (with the damage, not its
  // own "Unexpected end of data": see tarEntry). Destroying it with the error dropped the entries it had
  // taken in and not yet given: gunzip fails as soon as its input ends, a chunk or more ahead of the
  // entries read, and a .tar.gz cut at 95% lost its last three whole files.
  let damage: unknown = null;
  const upToDamage = async function* (): AsyncGenerator<Buffer> {
    try {
      yield* content.rest();
    } catch (e) {
      if ((e as { name?: string }).name === 'AbortError') throw e;
      damage = e;
    }
  };
  const extract = tarStream.extract();
  const source = Readable.from(upToDamage());
  source.on('error', (e) => extract.destroy(e));
  source.pipe(extract);
  try {
    for await (const entry of extract as unknown as AsyncIterable<Readable & { header: tarStream.Header }>) {
      options.signal?.throwIfAborted();
      yield* tarEntry(path, entry, depth, options, unique, topLevel, () => damage);
      entry.resume();
    }
  } catch (e) {
    if ((e as { name?: string }).name === 'AbortError') throw e;
    // The damage, where there is some, says why the archive ended early.
    if (damage === null) yield streamProblem(path, e instanceof Error && /Unexpected end of data/.test(e.message) ? new Error('archive is truncated') : e);
  } finally {
    source.destroy();
  }
  if (damage !== null) yield streamProblem(path, damage);
}

async function* tarEntry(
  path: string,
  entry: Readable & { header: tarStream.Header },
  depth: number,
  options: WalkOptions,
  unique: (p: string) => string,
  topLevel: boolean,
  /** The damage that ended the archive's data, once met (null while there is none). */
  damage: () => unknown,
): AsyncGenerator<SourceItem> {
  const h = entry.header;
  const named = safeEntryPath(h.name);
  const shown = `${topLevel ? '' : path + '/'}${h.name}`;
  if (h.type === 'directory') return;
  if (!named.ok) {
    yield problem('archive-entry-unsafe', shown, `refused archive entry: ${named.error}`);
    return;
  }
  const inner = topLevel ? named.value : `${path}/${named.value}`;
  if (h.type === 'symlink' || h.type === 'link') {
    yield problem('archive-entry-unsafe', inner, `refused archive entry: ${h.type} to ${JSON.stringify(h.linkname ?? '')}`);
    return;
  }
  if (h.type !== 'file' && h.type !== 'contiguous-file' && h.type !== undefined && h.type !== null) {
    yield problem('archive-entry-skipped', inner, `${h.type} entry skipped`);
    return;
  }
  const content = Peekable.of(entryBytes(entry, damage));
  yield* expand(inner, content, h.size ?? null, h.size ?? null, h.mtime ? h.mtime.getTime() : null, depth + 1, options, unique, false);
}

/** A tar entry's bytes; an entry cut by damaged data fails with the damage (what its reader reports). */
async function* entryBytes(entry: Readable, damage: () => unknown): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of entry) yield chunk as Buffer;
  } catch (e) {
    throw damage() ?? e;
  }
}

/**
 * Zip archives up to this size are read into memory first: every entry's header and data were otherwise
 * separate reads waiting for the thread pool (a zip of 10,000 small files ingested in twice the time of
 * the same files as a .tar.xz). Bigger ones are read from the file as needed.
 */
export const zipInMemory = { maxBytes: 32 * 1024 * 1024 };

function openZip(diskPath: string): Promise<yauzl.ZipFile> {
  const options = { lazyEntries: true, autoClose: true, decodeStrings: false, validateEntrySizes: true };
  return new Promise((resolve, reject) => {
    const done = (e: Error | null, zip: yauzl.ZipFile | undefined): void => (e || zip === undefined ? reject(e ?? new Error('no zip file')) : resolve(zip));
    let size = Infinity;
    try {
      size = statSync(diskPath).size;
    } catch {
      // yauzl.open reports it
    }
    if (size <= zipInMemory.maxBytes) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(diskPath);
      } catch (e) {
        reject(e as Error);
        return;
      }
      yauzl.fromBuffer(bytes, options, done);
    } else yauzl.open(diskPath, options, done);
  });
}

function nextZipEntry(zip: yauzl.ZipFile): Promise<yauzl.Entry | null> {
  return new Promise((resolve, reject) => {
    const cleanup = (): void => {
      zip.removeListener('entry', onEntry);
      zip.removeListener('end', onEnd);
      zip.removeListener('error', onError);
    };
    const onEntry = (e: yauzl.Entry): void => (cleanup(), resolve(e));
    const onEnd = (): void => (cleanup(), resolve(null));
    const onError = (e: Error): void => (cleanup(), reject(e));
    zip.once('entry', onEntry);
    zip.once('end', onEnd);
    zip.once('error', onError);
    zip.readEntry();
  });
}

/** Zip entry names are CP437 unless the UTF-8 flag (general purpose bit 11, APPNOTE §4.4.4) is set. */
function zipName(e: yauzl.Entry): string {
  const raw = e.fileName as unknown as Buffer;
  return (e.generalPurposeBitFlag & 0x800) !== 0 ? raw.toString('utf8') : raw.toString('latin1');
}

/** `prefix`: what the entries' paths start with (the archive's own path and a `/`, or nothing). */
async function* expandZip(diskPath: string, path: string, options: WalkOptions, unique: (p: string) => string, prefix: string): AsyncGenerator<SourceItem> {
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(diskPath);
  } catch (e) {
    // Without its central directory (cut short), an archive's entries can still be read one by one.
    yield problem('archive-corrupt', path, `zip archive without a readable central directory (${(e as Error).message.replace(/\.$/, '')}): its entries were read from their own headers`);
    yield* expandSalvagedZip(diskPath, path, options, unique, prefix);
    return;
  }
  const read = new Set<number>();
  let damaged: Error | null = null;
  try {
    for (let e = await nextZipEntry(zip); e !== null; e = await nextZipEntry(zip)) {
      options.signal?.throwIfAborted();
      read.add(e.relativeOffsetOfLocalHeader);
      yield* zipEntry(zip, e, options, unique, prefix);
    }
  } catch (e) {
    if ((e as { name?: string }).name === 'AbortError') throw e;
    damaged = e as Error;
  } finally {
    zip.close();
  }
  if (damaged !== null) {
    // The directory failed part way (damaged, or another archive's end record read as this one's): the
    // entries it did not give are read from their own headers.
    yield problem('archive-corrupt', path, `zip archive damaged: ${damaged.message}; the entries after it were read from their own headers`);
    yield* expandSalvagedZip(diskPath, path, options, unique, prefix, read);
  } else if (directoryGoesOn(diskPath, zip)) {
    // The end record counts fewer entries than the directory holds: a writer that wrapped the 16-bit count
    // of an archive of more than 65,535 entries without ZIP64 records, or a damaged count. yauzl stops at
    // the count; the rest are read from their own headers.
    yield problem('archive-corrupt', path, `zip archive's end record counts ${zip.entryCount} entries but its directory holds more: the others were read from their own headers`);
    yield* expandSalvagedZip(diskPath, path, options, unique, prefix, read);
  }
}

/** APPNOTE §4.3.12: the signature of a central directory file header. */
const CENTRAL_HEADER = 0x02014b50;

/**
 * Whether another central directory header follows the entries yauzl read (its read cursor, the offset just
 * after the last entry's header), i.e. the directory holds more entries than its end record counts.
 */
function directoryGoesOn(diskPath: string, zip: yauzl.ZipFile): boolean {
  const cursor = (zip as unknown as { readEntryCursor?: unknown }).readEntryCursor;
  if (typeof cursor !== 'number') return false;
  let fd: number | null = null;
  try {
    fd = openSync(diskPath, 'r');
    const b = Buffer.alloc(4);
    return readSync(fd, b, 0, 4, cursor) === 4 && b.readUInt32LE(0) === CENTRAL_HEADER;
  } catch {
    return false;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/**
 * A zip entry's path in the bundle (`prefix` before it), or the problem that refuses it: a name that would
 * escape the bundle, a symbolic link, or declared sizes (`packed` to `unpacked`, null where not known)
 * beyond the expansion ratio.
 */
function zipEntryPath(
  name: string,
  prefix: string,
  symlink: boolean,
  packed: number | null,
  unpacked: number | null,
  options: WalkOptions,
): { readonly inner: string } | { readonly refused: SourceItem } {
  const safe = safeEntryPath(name);
  if (!safe.ok) return { refused: problem('archive-entry-unsafe', prefix + name, `refused archive entry: ${safe.error}`) };
  const inner = prefix + safe.value;
  if (symlink) return { refused: problem('archive-entry-unsafe', inner, 'refused archive entry: symbolic link') };
  const { maxRatio, ratioFloorBytes } = options.budget.limits;
  if (packed !== null && unpacked !== null && unpacked > ratioFloorBytes && unpacked > Math.max(1, packed) * maxRatio) {
    return { refused: problem('expansion-limit', inner, `entry would expand ${packed} bytes to ${unpacked}`) };
  }
  return { inner };
}

/** `done`: where the headers are of the entries the archive's directory gave (before it failed), not read again. */
async function* expandSalvagedZip(diskPath: string, path: string, options: WalkOptions, unique: (p: string) => string, prefix: string, done: ReadonlySet<number> = new Set()): AsyncGenerator<SourceItem> {
  const end: SalvageEnd = { stoppedAt: null };
  try {
    for await (const e of salvageZip(diskPath, end)) {
      options.signal?.throwIfAborted();
      // Entries the directory gave are known by where their headers are: names may repeat, or be decoded
      // otherwise in a local header than in the directory.
      if (e.name.endsWith('/') || done.has(e.headerAt)) continue;
      // A local header cannot say an entry is a link (only the directory's external attributes do).
      const path = zipEntryPath(e.name, prefix, false, e.compressedSize, e.uncompressedSize, options);
      if ('refused' in path) {
        yield path.refused;
        continue;
      }
      const inner = path.inner;
      if (e.skipped !== null) {
        yield problem('archive-entry-unreadable', inner, `zip entry skipped: ${e.skipped}`);
        continue;
      }
      // Where its header gave no sizes, a bomb shows only as it is read: the ratio of what came out to what
      // was taken so far.
      let out = 0;
      const counted = async function* (): AsyncGenerator<Buffer> {
        for await (const chunk of e.data()) {
          out += chunk.length;
          options.budget.check(e.storedRead(), out, chunk.length);
          yield chunk;
        }
      };
      yield* expand(inner, Peekable.of(counted()), e.compressedSize, e.uncompressedSize, e.mtimeMs, 1, options, unique, false);
    }
  } catch (err) {
    if ((err as { name?: string }).name === 'AbortError') throw err;
    end.stoppedAt ??= (err as Error).message;
  }
  if (end.stoppedAt !== null) yield problem('archive-corrupt', path, `zip archive read from its entries' headers stopped: ${end.stoppedAt}`);
}

async function* zipEntry(zip: yauzl.ZipFile, e: yauzl.Entry, options: WalkOptions, unique: (p: string) => string, prefix: string): AsyncGenerator<SourceItem> {
  const name = zipName(e);
  if (name.endsWith('/')) return;
  // Unix mode in the high 16 bits of the external attributes (APPNOTE §4.4.15, Info-ZIP): 0o120000 = symlink.
  const symlink = ((e.externalFileAttributes >>> 16) & 0o170000) === 0o120000;
  const path = zipEntryPath(name, prefix, symlink, e.compressedSize, e.uncompressedSize, options);
  if ('refused' in path) {
    yield path.refused;
    return;
  }
  const inner = path.inner;
  let stream: Readable;
  try {
    stream = await zip.openReadStreamPromise(e);
  } catch (err) {
    yield problem('archive-corrupt', inner, `unreadable zip entry: ${(err as Error).message}`);
    return;
  }
  const counted = async function* (): AsyncGenerator<Buffer> {
    for await (const chunk of stream) {
      options.budget.check(e.compressedSize, 0, (chunk as Buffer).length);
      yield chunk as Buffer;
    }
  };
  yield* expand(inner, Peekable.of(counted()), e.compressedSize, e.uncompressedSize, e.getLastModDate().getTime(), 1, options, unique, false);
}
