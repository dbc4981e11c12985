// A journal stream on one clock (core/ingest/lines/journal-boots.ts): its bytes spooled while its boots are
// counted (a stream names its boots entry by entry, so the last entry may be the first of another boot),
// then converted into the JSON lines the kernel-log importer reads, as they came or, when the stream spans
// boots, with every entry on the realtime clock. The count is a byte search of the stream as journalctl
// wrote it: the conversion runs once, after it, alongside the importer.
import { BootIdScanner, withoutMonotonic } from '../../core/ingest/lines/journal-boots';
import { spool } from './spool';

const REPLAY_CHUNK = 1 << 16;

/** `raw` converted by `convert` into JSON lines (one entry a line), on one clock. */
export async function* journalOnOneClock(
  raw: AsyncIterable<Buffer>,
  convert: (chunks: AsyncIterable<Buffer>) => AsyncIterable<Buffer>,
  signal: AbortSignal = new AbortController().signal,
): AsyncGenerator<Buffer> {
  const boots = new BootIdScanner();
  // Where the stream stopped being readable (a cut .gz): the bytes before it are converted first.
  let failure: { error: unknown } | null = null;
  const scanned = async function* (): AsyncGenerator<Buffer> {
    try {
      for await (const chunk of raw) {
        boots.push(chunk);
        yield chunk;
      }
      boots.end();
    } catch (e) {
      if (signal.aborted) throw e;
      failure = { error: e };
    }
  };
  const src = await spool({ head: Buffer.alloc(0), size: null, chunks: scanned }, { signal, progress: () => undefined });
  try {
    const replay = async function* (): AsyncGenerator<Buffer> {
      for (let at = 0; at < src.size; at += REPLAY_CHUNK) {
        signal.throwIfAborted();
        const read = src.read(at, REPLAY_CHUNK);
        yield Buffer.from(read.buffer, read.byteOffset, read.byteLength);
      }
      if (failure !== null) throw (failure as { error: unknown }).error;
    };
    const lines = convert(replay());
    if (boots.count < 2) {
      yield* lines;
      return;
    }
    // Whole lines only (a cut after an LF byte never splits a UTF-8 character); each entry loses its
    // monotonic stamps.
    let rest = Buffer.alloc(0);
    for await (const chunk of lines) {
      const all = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
      const end = all.lastIndexOf(0x0a) + 1;
      rest = Buffer.from(all.subarray(end));
      if (end > 0) yield realtimeLines(all.toString('utf8', 0, end));
    }
    if (rest.length > 0) yield realtimeLines(rest.toString('utf8'));
  } finally {
    src.close();
  }
}

function realtimeLines(text: string): Buffer {
  return Buffer.from(
    text
      .split('\n')
      .map((l) => (l === '' ? l : withoutMonotonic(l)))
      .join('\n'),
    'utf8',
  );
}
