// Tar archives in the source walk, streamed (tar-stream) out of whatever compression source-expand.ts took
// off: each entry's path checked (archive-paths.ts), links and special entries refused, every file expanded
// as a stream of its own (a tar in a tar, a .gz in a tar). Damaged data ends the archive where it is, after
// every entry before it.
import { Readable } from 'node:stream';
import tarStream from 'tar-stream';
import { safeEntryPath } from './archive-paths';
import { Peekable } from './peekable';
import { expand } from './source-expand';
import { problem, streamProblem, type SourceItem, type WalkOptions } from './source-items';

export async function* expandTar(
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
