// What a byte stream is, from its first bytes (every file's content, from the folder walk in sources.ts or an
// archive's entry, comes through here): a leading run of NULs is read through, compressed data decompressed
// and looked at again, a tar archive read entry by entry (source-tar.ts), a zip inside an archive or
// compressed data skipped; anything else is a plain file, in one of the forms of source-forms.ts. Nested
// archives and compression are expanded up to MAX_DEPTH.
import { looksLikeTar, looksLikeZip } from './archive-paths';
import { canDecompress, decompress, detectCompression } from './decompress';
import { describeNulRun, dropLeadingNuls, isLeadingNulRun, NUL_RUN_MIN_BYTES } from './nul-run';
import { Peekable } from './peekable';
import { expandPlain } from './source-forms';
import { HEAD, problem, streamProblem, type DiskFile, type SourceItem, type WalkOptions } from './source-items';
import { expandTar } from './source-tar';

const MAX_DEPTH = 4;

/** Decides what a byte stream is and yields its leaf files (the stream is consumed either way). */
export async function* expand(
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
      yield* expandPlain(path, content, head, storedSize, contentSize, mtimeMs, options, unique, disk);
    }
  } catch (e) {
    yield streamProblem(path, e);
  } finally {
    // What the consumer left is read and dropped (an archive reader needs its entry read to its end); a
    // file on disk is only closed, its bytes counted (its reader may have read it from the disk).
    await (disk !== null ? disk.claim() : content.drain()).catch(() => undefined);
  }
}
