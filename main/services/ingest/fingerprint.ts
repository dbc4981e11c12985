// The content fingerprint of a bundle's inputs: SHA-256 over every input file's path (relative to its
// input), size and content, in walk order. The same bundle ingested twice, from the same files or an
// identical copy elsewhere, has the same fingerprint (bundles.fingerprint is UNIQUE: a re-ingest
// replaces). Content is hashed in fixed 1 MiB blocks, each block's digest then hashed in turn. The block
// digests are taken synchronously, between reads: with the CPU's SHA extensions that is ~0.8 ms a block,
// where WebCrypto's asynchronous digest (tried before) cost two and a half times the CPU in all (it copies
// each block on the calling thread, then hashes on the thread pool), CPU the ingest's own threads need.
import { createHash } from 'node:crypto';
import { open, lstat, readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';

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

async function hashFile(acc: Acc, path: string, name: string, signal?: AbortSignal): Promise<void> {
  acc.hash.update(`${name}\0`);
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    acc.hash.update(`unreadable:${(e as Error).message}\0`);
    return;
  }
  try {
    // One block first: most files of a bundle are small, and reads past their end cost a system call each.
    for (let offset = 0, n = 1; ; n = PARALLEL) {
      signal?.throwIfAborted();
      const reads: Promise<Buffer>[] = [];
      for (let k = 0; k < n; k++, offset += BLOCK) {
        const at = offset;
        reads.push(fh.read(acc.buffers[k]!, 0, BLOCK, at).then((r) => r.buffer.subarray(0, r.bytesRead)));
      }
      const blocks = await Promise.all(reads);
      for (const b of blocks) if (b.length > 0) acc.hash.update(createHash('sha256').update(b).digest());
      const read = blocks.reduce((n, b) => n + b.length, 0);
      acc.bytes += read;
      if (read < BLOCK * n) break;
    }
  } catch (e) {
    if ((e as { name?: string }).name === 'AbortError') throw e;
    acc.hash.update(`unreadable:${(e as Error).message}`);
  } finally {
    await fh.close();
  }
  acc.hash.update('\0');
}

async function hashFolder(acc: Acc, dir: string, prefix: string, signal?: AbortSignal): Promise<void> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
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
    else await hashFile(acc, input, basename(input), signal);
  }
  return { fingerprint: `sha256-blocks:${acc.hash.digest('hex')}`, totalBytes: acc.bytes };
}

/** Bytes the inputs hold on disk, without reading them (the progress total, known at once). */
export async function inputSize(paths: readonly string[]): Promise<number> {
  let total = 0;
  const walk = async (p: string): Promise<void> => {
    const st = await lstat(p).catch(() => null);
    if (st === null) return;
    if (st.isFile()) total += st.size;
    else if (st.isDirectory()) for (const e of await readdir(p)) await walk(join(p, e));
  };
  for (const p of paths) await walk(p);
  return total;
}
