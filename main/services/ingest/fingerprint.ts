// The content fingerprint of a bundle's inputs: SHA-256 over every input file's path (relative to its
// input), size and content, in walk order. The same bundle ingested twice, from the same files or an
// identical copy elsewhere, has the same fingerprint (bundles.fingerprint is UNIQUE: a re-ingest
// replaces). Content is hashed in fixed 1 MiB blocks, each block's digest then hashed in turn. The block
// digests are taken synchronously, between reads: with the CPU's SHA extensions that is ~0.8 ms a block,
// where WebCrypto's asynchronous digest (tried before) cost two and a half times the CPU in all (it copies
// each block on the calling thread, then hashes on the thread pool), CPU the ingest's own threads need.
import { createHash } from 'node:crypto';
import { closeSync, lstatSync, openSync, readdirSync, readSync } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { readAsync } from './read-at';

const BLOCK = 1024 * 1024;
/** Blocks read ahead per file (bounds memory to this many blocks). */
const PARALLEL = 4;

interface Acc {
  readonly hash: ReturnType<typeof createHash>;
  bytes: number;
  /**
   * The PARALLEL read buffers, allocated once and reused for every block of every file: each block is
   * hashed before the next reads start. (A fresh 4 MiB per file made a sosreport of 10,000 small files
   * allocate 40 GB, and the ingest spent most of its time collecting it.)
   */
  readonly buffers: Buffer[];
}

/** One read of a file descriptor on the thread pool. */
async function readAt(fd: number, buffer: Buffer, position: number): Promise<Buffer> {
  return buffer.subarray(0, await readAsync(fd, buffer, 0, BLOCK, position));
}

/** What a failed read or listing is folded into the fingerprint as: its error code (EACCES, EIO …). */
function errorCode(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? 'error';
}

async function hashFile(acc: Acc, path: string, name: string, signal?: AbortSignal): Promise<void> {
  acc.hash.update(`${name}\0`);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    // By its error code, not its message, as for a folder (hashFolder): the message names the absolute path.
    acc.hash.update(`unreadable:${errorCode(e)}\0`);
    return;
  }
  try {
    // The first block at once, synchronously: most files of a bundle are small (a sosreport's thousands of
    // command outputs), and their open, read and close each waited for the thread pool. A bigger file's
    // next blocks are read PARALLEL at a time on the thread pool, between which the event loop runs.
    const first = acc.buffers[0]!.subarray(0, readSync(fd, acc.buffers[0]!, 0, BLOCK, 0));
    if (first.length > 0) acc.hash.update(createHash('sha256').update(first).digest());
    acc.bytes += first.length;
    for (let offset = BLOCK, more = first.length === BLOCK; more; ) {
      signal?.throwIfAborted();
      const reads: Promise<Buffer>[] = [];
      for (let k = 0; k < PARALLEL; k++, offset += BLOCK) reads.push(readAt(fd, acc.buffers[k]!, offset));
      const blocks = await Promise.all(reads);
      for (const b of blocks) if (b.length > 0) acc.hash.update(createHash('sha256').update(b).digest());
      const n = blocks.reduce((sum, b) => sum + b.length, 0);
      acc.bytes += n;
      more = n === BLOCK * PARALLEL;
    }
  } catch (e) {
    if ((e as { name?: string }).name === 'AbortError') throw e;
    acc.hash.update(`unreadable:${errorCode(e)}`);
  } finally {
    closeSync(fd);
  }
  acc.hash.update('\0');
}

async function hashFolder(acc: Acc, dir: string, prefix: string, signal?: AbortSignal): Promise<void> {
  let entries;
  try {
    entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch (e) {
    // A folder that cannot be listed (permissions, a path too long) is folded in, as an unreadable file
    // is: the walk reports it and reads the rest, and the bundle is not lost for it. By its error code,
    // not its message: the message holds the absolute path, and a copy elsewhere must hash the same.
    acc.hash.update(`${prefix === '' ? '.' : prefix}/\0unreadable:${errorCode(e)}\0`);
    return;
  }
  for (const e of entries) {
    const rel = prefix === '' ? e.name : `${prefix}/${e.name}`;
    if (e.isDirectory()) await hashFolder(acc, join(dir, e.name), rel, signal);
    else if (e.isFile()) await hashFile(acc, join(dir, e.name), rel, signal);
  }
}

/** The fingerprint, and the bytes the inputs hold on disk (the progress total). */
export async function fingerprintInputs(paths: readonly string[], signal?: AbortSignal): Promise<{ fingerprint: string; totalBytes: number }> {
  const acc: Acc = { hash: createHash('sha256'), bytes: 0, buffers: Array.from({ length: PARALLEL }, () => Buffer.allocUnsafe(BLOCK)) };
  for (const input of paths) {
    acc.hash.update('\x01input\0');
    const st = await lstat(input).catch(() => null);
    if (st === null) acc.hash.update(`missing:${basename(input)}`);
    else if (st.isDirectory()) await hashFolder(acc, input, '', signal);
    else if (st.isFile()) await hashFile(acc, input, basename(input), signal);
    // A FIFO, socket or device given as an input is not read (the walk says so): opening a FIFO would wait
    // for a writer, and the ingest with it, beyond the reach of a cancel.
    else acc.hash.update(`special:${basename(input)}`);
  }
  return { fingerprint: `sha256-blocks:${acc.hash.digest('hex')}`, totalBytes: acc.bytes };
}

/**
 * Bytes the inputs hold on disk, without reading them (the progress total, known at once). Synchronous
 * calls: a sosreport's thousands of lstats each waited for the thread pool longer than they take (a
 * second for 10,000 files, before the ingest could start).
 */
export function inputSize(paths: readonly string[]): number {
  let total = 0;
  const walk = (p: string): void => {
    let st;
    try {
      st = lstatSync(p);
    } catch {
      return;
    }
    if (st.isFile()) total += st.size;
    else if (st.isDirectory()) {
      let names: string[] = [];
      try {
        names = readdirSync(p);
      } catch {
        // reported when the folder is walked
      }
      for (const e of names) walk(join(p, e));
    }
  };
  for (const p of paths) walk(p);
  return total;
}
