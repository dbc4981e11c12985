// Builds the full-text index of stored lines after the load (../shared/docs/PERFORMANCE.md: ~2.6 s per
// million lines, so it cannot be part of a million-lines-per-second load). Chunked: every chunk is one
// short transaction, and the event loop gets a turn between chunks, so the UI stays responsive and
// search reports what is still missing (`linesToIndex`).
import { filesToIndex, indexNextChunk } from '../../storage/lines';
import type { Db } from '../../storage/db';

export interface IndexProgress {
  readonly indexed: number;
  readonly total: number;
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Indexes every pending line of a bundle (or of all complete bundles); returns the lines indexed. */
export async function buildSearchIndex(
  db: Db,
  bundleId: number | undefined,
  options: { signal?: AbortSignal; onProgress?: (p: IndexProgress) => void } = {},
): Promise<number> {
  const files = filesToIndex(db, bundleId);
  const total = files.reduce((n, f) => n + f.remaining, 0);
  let indexed = 0;
  for (const f of files) {
    let remaining = f.remaining;
    while (remaining > 0) {
      options.signal?.throwIfAborted();
      const after = indexNextChunk(db, f.id);
      indexed += remaining - after;
      remaining = after;
      options.onProgress?.({ indexed, total });
      await nextTurn();
    }
  }
  return indexed;
}
