// The embedded sample (resources/samples/gpu-passthrough-6.1) ingested on first launch, so that the app
// opens on it (issue 4). An up-to-date copy (same content fingerprint) is reused; a changed sample (a newer
// Faultline) is ingested again and replaces the old copy. Search indexing runs in the background.
import type { ApiContext } from '../../api/context';
import { findCompleteBundle } from '../../storage/ingest';
import { fingerprintInputs } from './fingerprint';
import { ingestBundle } from './pipeline';
import { buildSearchIndex } from './search-index';

/** Ingests the default sample if needed; returns its bundle id (null when there is no sample). */
export async function ensureDefaultBundle(ctx: ApiContext): Promise<number | null> {
  const path = ctx.defaultBundlePath;
  if (path === null) return null;
  const { fingerprint } = await fingerprintInputs([path]);
  const existing = findCompleteBundle(ctx.db, fingerprint);
  if (existing !== null) return existing;
  const summary = await ingestBundle(ctx.db, [path]);
  return summary.bundleId;
}

/** Indexes, in the background, every line not yet searchable (bundles ingested by the CLI with --no-index, interrupted indexing). */
export function indexPendingInBackground(ctx: ApiContext): Promise<number> {
  return buildSearchIndex(ctx.db, undefined).catch(() => 0);
}
