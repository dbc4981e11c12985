// Zip archives in the source walk. A zip is read from its file (its directory is at its end), so only one
// on disk is read: in memory when small, else from the file as needed (yauzl). Every entry's path, link flag
// and declared expansion are checked; where the central directory is missing, damaged or counts fewer
// entries than it holds, the entries are read from their own local headers (zip-salvage.ts).
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { safeEntryPath } from './archive-paths';
import { Peekable } from './peekable';
import { expand } from './source-expand';
import { problem, type SourceItem, type WalkOptions } from './source-items';
import { salvageZip, type SalvageEnd } from './zip-salvage';

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
export async function* expandZip(diskPath: string, path: string, options: WalkOptions, unique: (p: string) => string, prefix: string): AsyncGenerator<SourceItem> {
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
