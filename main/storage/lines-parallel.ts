// A writer thread for log lines (lines-worker.ts), one per database file, started when a file turns out
// big: the importing thread tokenizes and assembles faults while this one inserts, so a big log costs
// max(parse, insert) rather than their sum (../shared/docs/PERFORMANCE.md: both cores can work). At most
// two batches are in flight, so memory stays bounded. In-memory databases and hosts where the thread
// cannot open the file (Electron's native build) keep writing in the importing thread.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Db } from './db';
import type { LineBatch, WorkerReply } from './lines-protocol';

const MAX_IN_FLIGHT = 2;

/**
 * Built, the worker is out/main/lines-worker.js beside this chunk (an entry in electron.vite.config.ts).
 * From source (tsx, vitest) it is TypeScript: a small module registers tsx's loader in the new thread, then
 * imports it (`--import tsx` in execArgv does not apply to a worker's entry module on Node 20).
 */
// The writer only binds rows: a small young generation keeps its heap (and the process's RSS) small.
const RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 64 };

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

  send(batch: Omit<LineBatch, 'seq'>): void {
    if (this.failure) throw this.failure;
    const b: LineBatch = { ...batch, seq: ++this.seq };
    this.inFlight++;
    this.worker.postMessage({ type: 'batch', batch: b }, [b.lineNo.buffer, b.ts.buffer, b.tsNull.buffer, b.cpu.buffer, b.pid.buffer, b.level.buffer, b.textLength.buffer] as ArrayBuffer[]);
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
      this.wake();
    } else if (m.type === 'error') {
      this.fail(new Error(`line writer: ${m.message}`));
    }
  }

  private fail(e: Error): void {
    this.failure ??= e;
    this.wake();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const resolve of w) resolve();
  }
}

const clients = new WeakMap<Db, Promise<LineWorkerClient | null>>();

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

/** Column buffers for one batch of lines, filled in the importing thread. */
export class LineColumns {
  readonly lineNo: Int32Array;
  readonly ts: BigInt64Array;
  readonly tsNull: Uint8Array;
  readonly cpu: Int32Array;
  readonly pid: Int32Array;
  readonly level: Int8Array;
  readonly textLength: Int32Array;
  readonly texts: string[] = [];
  count = 0;

  constructor(readonly capacity: number) {
    this.lineNo = new Int32Array(capacity);
    this.ts = new BigInt64Array(capacity);
    this.tsNull = new Uint8Array(capacity);
    this.cpu = new Int32Array(capacity);
    this.pid = new Int32Array(capacity);
    this.level = new Int8Array(capacity);
    this.textLength = new Int32Array(capacity);
  }

  add(lineNo: number, tsNs: bigint | null, cpu: number | null, pid: number | null, level: number | null, text: string): void {
    const i = this.count++;
    this.lineNo[i] = lineNo;
    if (tsNs === null) this.tsNull[i] = 1;
    else this.ts[i] = tsNs;
    this.cpu[i] = cpu ?? -1;
    this.pid[i] = pid ?? -1;
    this.level[i] = level ?? -1;
    this.textLength[i] = text.length;
    this.texts.push(text);
  }

  /** The batch to send; a full buffer is handed over as is (its arrays are transferred, not copied). */
  batch(fileId: number): Omit<LineBatch, 'seq'> {
    const n = this.count;
    const cut = <T extends { subarray(a: number, b: number): T; slice(a: number, b: number): T }>(a: T): T => (n === this.capacity ? a : a.slice(0, n));
    return {
      fileId,
      count: n,
      lineNo: cut(this.lineNo),
      ts: cut(this.ts),
      tsNull: cut(this.tsNull),
      cpu: cut(this.cpu),
      pid: cut(this.pid),
      level: cut(this.level),
      texts: this.texts.join(''),
      textLength: cut(this.textLength),
    };
  }
}
