// Ingest jobs behind the API: started by `bundles:ingest`, reported through `ingest:progress` events,
// cancelled by `bundles:cancel`. Jobs of one backend run one after another (SQLite has one writer; two
// bundles read at once would only compete for it), each followed by building its search index.
import { randomUUID } from 'node:crypto';
import type { IngestProgressEvent } from '../../../preload/contract-ingest';
import type { ApiContext } from '../../api/context';
import { ingestBundle, type IngestProgress } from './pipeline';
import { buildSearchIndex } from './search-index';

interface Job {
  readonly id: string;
  readonly abort: AbortController;
}

export class IngestJobs {
  private readonly jobs = new Map<string, Job>();
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly ctx: ApiContext) {}

  /** Queues an ingest of `paths`; returns its job id at once. */
  start(paths: readonly string[], name?: string): string {
    const job: Job = { id: randomUUID(), abort: new AbortController() };
    this.jobs.set(job.id, job);
    this.queue = this.queue.then(() => this.run(job, paths, name));
    return job.id;
  }

  cancel(jobId: string): boolean {
    const job = this.jobs.get(jobId);
    if (job === undefined) return false;
    job.abort.abort();
    return true;
  }

  /** Resolves when every queued job is over (tests). */
  idle(): Promise<void> {
    return this.queue;
  }

  private emit(job: Job, e: Omit<IngestProgressEvent, 'jobId'>): void {
    this.ctx.events.emit('ingest:progress', { jobId: job.id, ...e });
  }

  private async run(job: Job, paths: readonly string[], name?: string): Promise<void> {
    const base = { bundleId: null, cancelled: false, error: null, done: false };
    const onProgress = (p: IngestProgress): void =>
      this.emit(job, { ...base, phase: p.phase === 'done' ? 'finishing' : p.phase, file: p.file, bytes: p.bytes, totalBytes: p.totalBytes, lines: p.lines });
    let last = { bytes: 0, totalBytes: null as number | null, lines: 0 };
    try {
      const s = await ingestBundle(this.ctx.db, paths, { signal: job.abort.signal, onProgress, ...(name ? { name } : {}) });
      last = { bytes: s.bytes, totalBytes: s.bytes, lines: s.lines };
      if (!s.cancelled && s.bundleId !== null) {
        const bundleId = s.bundleId;
        await buildSearchIndex(this.ctx.db, bundleId, {
          signal: job.abort.signal,
          onProgress: (p) => this.emit(job, { ...base, bundleId, phase: 'indexing', file: null, bytes: s.bytes, totalBytes: s.bytes, lines: p.indexed }),
        }).catch((e: unknown) => {
          if ((e as { name?: string }).name !== 'AbortError') throw e;
        });
      }
      this.emit(job, { ...base, phase: 'done', done: true, cancelled: s.cancelled, bundleId: s.bundleId, file: null, ...last });
    } catch (e) {
      this.emit(job, { ...base, phase: 'done', done: true, error: e instanceof Error ? e.message : String(e), file: null, ...last });
    } finally {
      this.jobs.delete(job.id);
    }
  }
}

const registry = new WeakMap<ApiContext['events'], IngestJobs>();

/** The job list of one backend (keyed by its event bus, which lives as long as its context). */
export function ingestJobs(ctx: ApiContext): IngestJobs {
  let jobs = registry.get(ctx.events);
  if (jobs === undefined) {
    jobs = new IngestJobs(ctx);
    registry.set(ctx.events, jobs);
  }
  return jobs;
}
