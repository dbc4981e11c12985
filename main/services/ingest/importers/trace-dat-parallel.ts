// A trace.dat read on a second thread (trace-dat-worker.ts: the reader and the producer, core/ingest/tracedat/
// producer.ts) while this one assembles and stores the batches (PERFORMANCE.md: both cores can work). The
// input's bytes move to the worker (or, spooled to a file, it opens the file); batches come back in order,
// their arrays moved, at most MAX_IN_FLIGHT ahead of the ones this thread has taken.
import type { Worker } from 'node:worker_threads';
import { ThreadSlot, whenReady, workerBeside } from '../../../storage/threads';
import type { PackedBatch, ProducerReport } from '../../../core/ingest/tracedat/producer';

/** `open`: the bytes (moved), or the file: by the walk's descriptor `fd` where given (never closed by the thread), else by `path`. */
export type ToReader = { readonly type: 'open'; readonly bytes: Uint8Array | null; readonly path: string | null; readonly fd: number | null; readonly size: number } | { readonly type: 'ack' };
export type FromReader =
  | { readonly type: 'ready' }
  | { readonly type: 'batch'; readonly batch: PackedBatch }
  | { readonly type: 'done'; readonly report: ProducerReport }
  | { readonly type: 'error'; readonly message: string };

export const MAX_IN_FLIGHT = 4;

// The producer's garbage is per chunk (its arrays go to this thread): a small young generation keeps the
// process's peak RSS down.
const RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 8 };

/** The reader thread, started ahead (pipeline.ts) where the input is a big trace.dat. */
export const traceDatThreadSlot = new ThreadSlot(() => whenReady(() => workerBeside(import.meta.url, 'trace-dat-worker', RESOURCE_LIMITS)));

export class TraceDatThread {
  private readonly queue: FromReader[] = [];
  private wake: (() => void) | null = null;
  private failure: Error | null = null;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (m: FromReader) => this.push(m));
    worker.on('error', (e) => this.fail(e));
    worker.on('exit', (code) => this.fail(new Error(`the trace.dat reader thread exited with code ${code}`)));
  }

  /**
   * The thread started ahead for this database's ingest, or a new one, once it runs; null where a worker
   * cannot start (the caller reads on its own thread).
   */
  static async start(db: object): Promise<TraceDatThread | null> {
    const worker = await traceDatThreadSlot.take(db);
    return worker === null ? null : new TraceDatThread(worker);
  }

  private push(m: FromReader): void {
    this.queue.push(m);
    this.signal();
  }

  private fail(e: Error): void {
    this.failure ??= e;
    this.signal();
  }

  private signal(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  /**
   * Reads the trace.dat in `bytes` (moved to the thread: the caller must not read them again) or in the
   * file (by `fd`, open until the caller is done, else at `path`); yields its batches, then the producer's
   * report.
   */
  async *read(source: { bytes: Uint8Array } | { path: string; fd: number | null; size: number }): AsyncGenerator<PackedBatch, ProducerReport> {
    if ('bytes' in source) {
      const own = source.bytes.byteOffset === 0 && source.bytes.buffer.byteLength === source.bytes.byteLength ? source.bytes : new Uint8Array(source.bytes);
      this.worker.postMessage({ type: 'open', bytes: own, path: null, fd: null, size: own.length } satisfies ToReader, [own.buffer as ArrayBuffer]);
    } else {
      this.worker.postMessage({ type: 'open', bytes: null, path: source.path, fd: source.fd, size: source.size } satisfies ToReader);
    }
    for (;;) {
      const m = this.queue.shift();
      if (m === undefined) {
        // Messages before a failure are taken first: the batches read before a worker died are good.
        if (this.failure !== null) throw this.failure;
        await new Promise<void>((resolve) => (this.wake = resolve));
        continue;
      }
      switch (m.type) {
        case 'ready':
          continue;
        case 'batch':
          yield m.batch;
          // Taken: the thread may read one more ahead.
          this.worker.postMessage({ type: 'ack' } satisfies ToReader);
          continue;
        case 'done':
          return m.report;
        case 'error':
          throw new Error(`trace.dat reader thread: ${m.message}`);
      }
    }
  }

  async close(): Promise<void> {
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }
}
