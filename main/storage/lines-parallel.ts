// A reader thread for big log files (lines-worker.ts), one per database, started by the pipeline when a
// bundle is big: it decodes, splits, tokenizes and packs each log's lines (line-producer.ts) while the
// importing thread assembles faults and stores the blocks, so a big log costs about half of doing both in
// one thread (../shared/docs/PERFORMANCE.md: both cores can work). Requests are answered in order; the
// importer keeps a bounded number in flight, so memory stays flat. Small bundles and hosts where the
// thread cannot start read in the importing thread with the same code.
import type { Worker } from 'node:worker_threads';
import { whenReady, workerBeside } from './threads';
import type { Db } from './db';
import type { Produced, ProducedEnd } from './line-producer';
import type { WorkerCommand, WorkerReply, WorkerRequest } from './lines-protocol';

// The reader keeps only the chunk it is reading: a young generation big enough that the short-lived
// strings of a chunk die young, and a small old one (the process's RSS stays small).
const RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 32, maxOldGenerationSizeMb: 96 };

interface Pending {
  resolve(p: Produced | ProducedEnd | null): void;
  reject(e: Error): void;
}

export class LineWorkerClient {
  private failure: Error | null = null;
  private seq = 0;
  private closed: Promise<void> | null = null;
  private readonly pending = new Map<number, Pending>();

  private constructor(private readonly worker: Worker) {
    worker.on('message', (m: WorkerReply) => this.onReply(m));
    worker.on('error', (e) => this.fail(e));
    worker.on('exit', (code) => code !== 0 && this.fail(new Error(`line reader thread exited with code ${code}`)));
  }

  /** Starts a reader thread; null when one cannot start here. */
  static async start(): Promise<LineWorkerClient | null> {
    const worker = await whenReady(() => workerBeside(import.meta.url, 'lines-worker', RESOURCE_LIMITS));
    return worker === null ? null : new LineWorkerClient(worker);
  }

  get error(): Error | null {
    return this.failure;
  }

  /** Sends a request; resolves with what the thread read for it (null for `open`). */
  request(command: WorkerCommand, transfer: ArrayBuffer[] = []): Promise<Produced | ProducedEnd | null> {
    if (this.failure) return Promise.reject(this.failure);
    const seq = ++this.seq;
    const reply = new Promise<Produced | ProducedEnd | null>((resolve, reject) => this.pending.set(seq, { resolve, reject }));
    this.worker.postMessage({ ...command, seq } as WorkerRequest, transfer);
    return reply;
  }

  close(): Promise<void> {
    this.closed ??= this.worker.terminate().then(() => undefined);
    return this.closed;
  }

  private onReply(m: WorkerReply): void {
    if (m.type === 'done') {
      const p = this.pending.get(m.seq);
      this.pending.delete(m.seq);
      p?.resolve(m.produced);
    } else if (m.type === 'error') {
      this.fail(new Error(`line reader: ${m.message}`));
    }
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const p of this.pending.values()) p.reject(this.failure);
    this.pending.clear();
  }
}

const clients = new WeakMap<Db, Promise<LineWorkerClient | null>>();

/** The reader thread of this database's ingest if one was started (`lineWorker`), else null. */
export function startedLineWorker(db: Db): Promise<LineWorkerClient | null> | null {
  return clients.get(db) ?? null;
}

/** The reader thread of this database's ingest (started once, on first need). */
export function lineWorker(db: Db): Promise<LineWorkerClient | null> {
  let c = clients.get(db);
  if (c === undefined) {
    c = LineWorkerClient.start();
    clients.set(db, c);
  }
  return c;
}

/** Stops the reader thread of this database (the end of an ingest). */
export async function releaseLineWorker(db: Db): Promise<void> {
  const c = clients.get(db);
  if (c === undefined) return;
  clients.delete(db);
  await (await c)?.close();
}
