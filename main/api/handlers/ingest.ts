// bundles:ingest / bundles:cancel over the ingest jobs (main/services/ingest/jobs.ts).
import type { IngestStarted, ParsedRequestOf } from '../../../preload/contract';
import type { ApiContext } from '../context';
import { ingestJobs } from '../../services/ingest/jobs';

export const ingestHandlers = {
  'bundles:ingest': (ctx: ApiContext, req: ParsedRequestOf<'bundles:ingest'>): IngestStarted => ({
    jobId: ingestJobs(ctx).start(req.paths, req.name),
  }),
  'bundles:cancel': (ctx: ApiContext, req: ParsedRequestOf<'bundles:cancel'>): { cancelled: boolean } => ({
    cancelled: ingestJobs(ctx).cancel(req.jobId),
  }),
};
