// A writer thread for log lines (lines-worker.ts), one per database file, started by the pipeline when a
// bundle is big: the importing thread reads each log for faults while this one stores the same text's
// lines (line-text-store.ts), so a big log costs max(fault path, storage path) rather than their sum
// (../shared/docs/PERFORMANCE.md: both cores can work). At most MAX_IN_FLIGHT text chunks are queued, so
// memory stays bounded. In-memory databases, small bundles and hosts where the thread cannot open the
// file (Electron's native build) store in the importing thread.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Db } from './db';
import type { WorkerCommand, WorkerReply, WorkerRequest } from './lines-protocol';

/** Text chunks (256 KiB each) queued for the writer thread at most: bounded memory, no stall. */
const MAX_IN_FLIGHT = 8;

/**
 * Built, the worker is out/main/lines-worker.js beside this chunk (an entry in electron.vite.config.ts).
 * From source (tsx, vitest) it is TypeScript: a small module registers tsx's loader in the new thread, then
 * imports it (`--import tsx` in execArgv does not apply to a worker's entry module on Node 20).
 */
// The writer keeps little: a small young generation keeps its heap (and the process's RSS) small.
const RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 32, maxOldGenerationSizeMb: 96 };

function newWorker(workerData: unknown): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(new URL('./lines-worker.js', here), { workerData, resourceLimits: RESOURCE_LIMITS });
  const tsxDir = dirname(createRequire(here).resolve('tsx/package.json'));
  const api = pathToFileURL(join(tsxDir, 'dist', 'esm', 'api', 'index.mjs')).href;
  const entry = new URL('./lines-worker.ts', here).href;
  const code = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(code, { eval: true, workerData, resourceLimits: RESOURCE_LIMITS });
}

export class LineWorkerClient {
  private inFlight = 0;
  private waiters: (() => void)[] = [];
  private failure: Error | null = null;
  private seq = 0;
  private closed: Promise<void> | null = null;
  /** Requests whose reply someone awaits (a file's `end`: its line count). */
  private readonly replies = new Map<number, { resolve: (lines: number) => void; reject: (e: Error) => void }>();

  private constructor(private readonly worker: Worker) {
    worker.on('message', (m: WorkerReply) => this.onReply(m));
    worker.on('error', (e) => this.fail(e));
    worker.on('exit', (code) => code !== 0 && this.fail(new Error(`line writer thread exited with code ${code}`)));
  }

  /** Starts a writer thread on `db`'s file; null when it cannot work here. */
  static async start(db: Db): Promise<LineWorkerClient | null> {
    if (db.memory || db.readonly || db.name === '' || db.name === ':memory:') return null;
    let worker: Worker;
    try {
      worker = newWorker({ path: db.name });
    } catch {
      return null;
    }
    const ready = await new Promise<boolean>((resolve) => {
      worker.once('message', (m: WorkerReply) => resolve(m.type === 'ready'));
      worker.once('error', () => resolve(false));
      worker.once('exit', () => resolve(false));
    });
    if (!ready) {
      await worker.terminate();
      return null;
    }
    return new LineWorkerClient(worker);
  }

  get error(): Error | null {
    return this.failure;
  }

  /** Sends a request; its reply only lowers the count in flight. */
  post(command: WorkerCommand): number {
    if (this.failure) throw this.failure;
    const seq = ++this.seq;
    this.inFlight++;
    this.worker.postMessage({ ...command, seq } as WorkerRequest);
    return seq;
  }

  /** Sends a request and resolves with the line count its reply carries. */
  request(command: WorkerCommand): Promise<number> {
    const seq = this.post(command);
    return new Promise((resolve, reject) => this.replies.set(seq, { resolve, reject }));
  }

  /** Resolves when fewer than `limit` batches are in flight. */
  async below(limit = MAX_IN_FLIGHT): Promise<void> {
    while (this.inFlight >= limit) {
      if (this.failure) throw this.failure;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    if (this.failure) throw this.failure;
  }

  /** Every batch sent so far is committed. */
  drain(): Promise<void> {
    return this.below(1);
  }

  close(): Promise<void> {
    this.closed ??= (async () => {
      if (this.failure === null) {
        await this.drain().catch(() => undefined);
        const done = new Promise<void>((resolve) => this.worker.once('message', () => resolve()));
        this.worker.postMessage({ type: 'close' });
        // unref: a timer left pending would keep the process alive for its full 5 s after `done`.
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([done, new Promise((r) => (timer = setTimeout(r, 5000)).unref())]);
        clearTimeout(timer);
      }
      await this.worker.terminate();
    })();
    return this.closed;
  }

  private onReply(m: WorkerReply): void {
    if (m.type === 'ack') {
      this.inFlight--;
      const r = this.replies.get(m.seq);
      if (r !== undefined) {
        this.replies.delete(m.seq);
        r.resolve(m.lines ?? 0);
      }
      this.wake();
    } else if (m.type === 'error') {
      this.fail(new Error(`line writer: ${m.message}`));
    }
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const r of this.replies.values()) r.reject(this.failure);
    this.replies.clear();
    this.wake();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const resolve of w) resolve();
  }
}

const clients = new WeakMap<Db, Promise<LineWorkerClient | null>>();

/** The writer thread of this database if one was started (`lineWorker`), else null. */
export function startedLineWorker(db: Db): Promise<LineWorkerClient | null> | null {
  return clients.get(db) ?? null;
}

/** The writer thread of this database (started once, on first need). */
export function lineWorker(db: Db): Promise<LineWorkerClient | null> {
  let c = clients.get(db);
  if (c === undefined) {
    c = LineWorkerClient.start(db);
    clients.set(db, c);
  }
  return c;
}

/** Stops the writer thread of this database after its last batch (the end of an ingest). */
export async function releaseLineWorker(db: Db): Promise<void> {
  const c = clients.get(db);
  if (c === undefined) return;
  clients.delete(db);
  await (await c)?.close();
}
