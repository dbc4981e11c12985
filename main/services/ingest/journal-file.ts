// systemd journal files in a bundle (/var/log/journal/*/*.journal): spooled (random access), read entry by
// entry (core/ingest/lines/journal-file.ts) into the JSON form the kernel-log importer reads as
// `journalctl -o json`. Big DATA payloads are compressed in these files: zstd (systemd 249 and later build
// with it by default) is read with fzstd, as trace.dat's; LZ4 and XZ payloads (older systemd) are counted
// and reported, not read.
import { decompress as zstdDecompress } from 'fzstd';
import { readJournalFile, type JournalDecompress, type JournalFileStats } from '../../core/ingest/lines/journal-file';
import { spool } from './spool';

/** A journal file's compressed fields that could not be read (LZ4 or XZ, or damaged), reported once it was read. */
export class JournalFieldsSkipped extends Error {
  constructor(readonly count: number) {
    super(`${count} compressed field(s) were not read (LZ4 or XZ, from an older systemd, or damaged)`);
    this.name = 'JournalFieldsSkipped';
  }
}

const decompress: JournalDecompress = (algorithm, data) => (algorithm === 'zstd' ? zstdDecompress(data) : null);

/** `chunks` of a journal file as JSON lines, one entry a line; JournalFileError where it stops being readable. */
export async function* journalFileToJson(chunks: AsyncIterable<Buffer>, size: number | null, signal?: AbortSignal): AsyncGenerator<Buffer> {
  const src = await spool({ head: Buffer.alloc(0), size, chunks: () => chunks }, { signal: signal ?? new AbortController().signal, progress: () => undefined });
  try {
    const stats: JournalFileStats = { entries: 0, fieldsSkipped: 0 };
    for (const batch of readJournalFile(src, decompress, stats)) {
      signal?.throwIfAborted();
      yield Buffer.from(batch, 'utf8');
    }
    if (stats.fieldsSkipped > 0) throw new JournalFieldsSkipped(stats.fieldsSkipped);
  } finally {
    src.close();
  }
}
