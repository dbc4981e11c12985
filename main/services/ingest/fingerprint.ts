// The content fingerprint of a bundle's inputs: SHA-256 over every input file's path (relative to its
// input) and bytes, in walk order. The same bundle ingested twice, from the same files or an identical
// copy elsewhere, has the same fingerprint (bundles.fingerprint is UNIQUE: a re-ingest replaces).
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';

interface Acc {
  readonly hash: ReturnType<typeof createHash>;
  bytes: number;
}

async function hashFile(acc: Acc, path: string, name: string, signal?: AbortSignal): Promise<void> {
  const hash = acc.hash;
  hash.update(`${name}\0`);
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) {
      signal?.throwIfAborted();
      hash.update(chunk as Buffer);
      acc.bytes += (chunk as Buffer).length;
    }
  } catch (e) {
    if ((e as { name?: string }).name === 'AbortError') throw e;
    hash.update(`unreadable:${(e as Error).message}`);
  }
  hash.update('\0');
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
  const acc: Acc = { hash: createHash('sha256'), bytes: 0 };
  for (const input of paths) {
    acc.hash.update('\x01input\0');
    const st = await lstat(input).catch(() => null);
    if (st === null) acc.hash.update(`missing:${basename(input)}`);
    else if (st.isDirectory()) await hashFolder(acc, input, '', signal);
    else await hashFile(acc, input, basename(input), signal);
  }
  return { fingerprint: `sha256:${acc.hash.digest('hex')}`, totalBytes: acc.bytes };
}
