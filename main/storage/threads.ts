// Starting the ingest's worker threads (storage/lines-worker.ts, storage/checkpoint-worker.ts,
// services/.../ftrace-text-worker.ts): the module beside the caller, built or from source, and a start that
// counts only once the thread said it runs.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';

/**
 * A worker running the module `name` beside the module at `here` (its import.meta.url). Built, that is
 * `<name>.js` in out/main (an entry in electron.vite.config.ts). From source (tsx, vitest) it is
 * `<name>.ts`: a small module registers tsx's loader in the new thread, then imports it (`--import tsx` in
 * execArgv does not apply to a worker's entry module on Node 20).
 */
export function workerBeside(here: string, name: string, resourceLimits: ResourceLimits, workerData?: unknown): Worker {
  if (!here.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, here), { resourceLimits, workerData });
  const tsxDir = dirname(createRequire(here).resolve('tsx/package.json'));
  const api = pathToFileURL(join(tsxDir, 'dist', 'esm', 'api', 'index.mjs')).href;
  const entry = new URL(`./${name}.ts`, here).href;
  const code = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(code, { eval: true, resourceLimits, workerData });
}

/**
 * Waits for a new worker's first message, which must be `{ type: 'ready' }` (it loaded); otherwise (an
 * error, an exit, another message) the worker is terminated and the result is null, and the caller does
 * the work in its own thread.
 */
export async function whenReady(start: () => Worker): Promise<Worker | null> {
  let worker: Worker;
  try {
    worker = start();
  } catch {
    return null;
  }
  const ready = await new Promise<boolean>((resolve) => {
    worker.once('message', (m: { type?: unknown }) => resolve(m.type === 'ready'));
    worker.once('error', () => resolve(false));
    worker.once('exit', () => resolve(false));
  });
  if (ready) return worker;
  await worker.terminate();
  return null;
}

/** Every ThreadSlot, for releaseThreads. */
const slots = new Set<ThreadSlot>();

/**
 * A kind of worker thread one file of an ingest may need, started ahead of that file: the pipeline knows
 * from the input's first bytes which importer will read it, and a thread started then boots (~0.1-0.2 s
 * here) while the process and the database open, not after. One per database (an ingest runs per
 * database); the importer takes it, or starts one itself where none was.
 */
export class ThreadSlot {
  private readonly started = new WeakMap<object, Promise<Worker | null>>();

  constructor(private readonly begin: () => Promise<Worker | null>) {
    slots.add(this);
  }

  /** Starts the thread for this database's ingest (once). */
  prestart(db: object): void {
    if (!this.started.has(db)) this.started.set(db, this.begin());
  }

  /** The thread started for this database, given up by the slot (the caller terminates it), or a new one. */
  take(db: object): Promise<Worker | null> {
    const w = this.started.get(db);
    this.started.delete(db);
    return w ?? this.begin();
  }

  /** Stops a thread started and never taken. */
  async release(db: object): Promise<void> {
    const w = this.started.get(db);
    this.started.delete(db);
    await (await w)?.terminate();
  }
}

/** Stops the threads started for this database's ingest and never taken (its end). */
export async function releaseThreads(db: object): Promise<void> {
  await Promise.all([...slots].map((s) => s.release(db)));
}
