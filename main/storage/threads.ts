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
