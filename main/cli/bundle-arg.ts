// `--bundle ID` of the commands that read a bundle's records: only a complete bundle has them all. An
// ingest still running, or killed, has stored part of its records under a bundle in state `ingesting`
// (main/services/ingest/pipeline.ts), which the next ingest removes.
import type { Db } from '../storage/db';
import { getBundle } from '../storage/bundles';

/** Why bundle `id` cannot be read (missing, or not complete), or null when it can. */
export function unreadableBundle(db: Db, id: number): string | null {
  const b = getBundle(db, id);
  if (b === undefined) return `bundle ${id} not found`;
  return b.status === 'complete' ? null : `bundle ${id} is not complete (${b.status}: its ingest is still running, or was interrupted)`;
}
