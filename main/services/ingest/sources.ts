// Inputs -> leaf files, streaming: folders (walked in name order), archives (tar in any compression, zip),
// compressed single files, plain files (UTF-16 text decoded to UTF-8, CR-only line ends made LF); all
// recognized by their first bytes, never by name. Archives inside archives are expanded as they stream by
// (tar in tar, .gz in tar); a zip inside a tar cannot be read without storing it and is skipped with a
// diagnostic. Nothing is written to disk.
// This file holds the walk itself: walkInputs, the folders, and the files on disk. What a byte stream is
// is decided in source-expand.ts; tar and zip archives are read in source-tar.ts and source-zip.ts, the
// plain files' forms in source-forms.ts; the items it yields are source-items.ts's.
import { closeSync, lstatSync, openSync, readFileSync, type Dirent } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import { looksLikeZip } from './archive-paths';
import { Peekable } from './peekable';
import { readAsync } from './read-at';
import { expand } from './source-expand';
import { HEAD, problem, type DiskFile, type SourceItem, type WalkOptions } from './source-items';
import { expandZip } from './source-zip';

const READ_CHUNK = 256 * 1024;
/** Files up to this size are read at once (readFile). */
const SMALL_FILE = 64 * 1024;

/**
 * A file's bytes in chunks of up to READ_CHUNK. A stream allocates a buffer of its high-water mark for
 * every read, so a small file (most of a sosreport's thousands) gets one the size of the file and not
 * 256 KiB: 10,000 small files allocated 5 GB, most of the ingest's time went to collecting it.
 */
async function* readFile(path: string, size: number | null, fd: number | null, onRead?: (n: number) => void): AsyncGenerator<Buffer> {
  // A small file in one synchronous read: a few system calls where the stream's open, reads and close
  // each waited for the thread pool (the importing thread idled a third of a sosreport's ingest).
  if (fd === null) {
    const bytes = readFileSync(path);
    onRead?.(bytes.length);
    if (bytes.length > 0) yield bytes;
    return;
  }
  // One byte more than the size: the file may have grown, and the stream still ends on its own.
  const highWaterMark = size === null ? READ_CHUNK : Math.max(1, Math.min(READ_CHUNK, size + 1));
  // From the walk's descriptor, at explicit positions from the start (it stays open for the file's reader: a
  // stream's destroy would close it), one read ahead on the thread pool while the last chunk is used.
  let at = 0;
  let next = readAt(fd, highWaterMark, at);
  try {
    for (;;) {
      const chunk = await next;
      if (chunk.length === 0) return;
      at += chunk.length;
      next = readAt(fd, highWaterMark, at);
      // Not left unhandled while the consumer works: the error is thrown at the next await.
      next.catch(() => undefined);
      onRead?.(chunk.length);
      yield chunk;
    }
  } finally {
    // A consumer that stops early: the read ahead ends before the walk closes the descriptor.
    await next.catch(() => undefined);
  }
}

/** Up to `length` bytes of `fd` at `position`, in a buffer of their own. */
async function readAt(fd: number, length: number, position: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(length);
  return buffer.subarray(0, await readAsync(fd, buffer, 0, length, position));
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
  // A file bigger than one read is opened once, here: its stream reads this descriptor, and so does a reader
  // that claims the file (DiskFile.fd), whatever happens to the path meanwhile (a log rotated or removed
  // after it was sniffed and hashed).
  let fd: number | null = null;
  if (size === null || size > SMALL_FILE) {
    try {
      fd = openSync(diskPath, 'r');
    } catch (e) {
      yield problem('file-unreadable', path, `cannot read ${path}: ${(e as Error).message}`);
      return;
    }
  }
  try {
    yield* expandOpenFile(diskPath, path, size, fd, mtimeMs, options, unique, topLevel);
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

async function* expandOpenFile(
  diskPath: string,
  path: string,
  size: number | null,
  fd: number | null,
  mtimeMs: number | null,
  options: WalkOptions,
  unique: (p: string) => string,
  topLevel: boolean,
): AsyncGenerator<SourceItem> {
  let streamed = 0;
  const content = Peekable.of(
    readFile(diskPath, size, fd, (n) => {
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
    fd,
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
