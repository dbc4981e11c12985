// Ftrace text tokenized on a second thread (ftrace-text-worker.ts) while this one assembles and stores the
// events (PERFORMANCE.md: both cores can work): the input's chunks go to the worker as they are read, its
// batches (core/ingest/ftrace/text-batches.ts, one per storage chunk) come back in order. At most
// MAX_IN_FLIGHT input chunks are ahead of the worker, so memory stays bounded. Where a thread cannot start,
// the same batcher runs on this thread.
import type { Worker } from 'node:worker_threads';
import { ThreadSlot, whenReady, workerBeside } from '../../../storage/threads';
import type { Dialect } from '../../../core/ingest/ftrace/tokenizer';
import type { ParsedBatch } from '../../../core/ingest/ftrace/text-batches';

export type ToTokenizer = { readonly type: 'chunk'; readonly bytes: Uint8Array } | { readonly type: 'end' };
export type FromTokenizer =
  | { readonly type: 'ready' }
  | { readonly type: 'batch'; readonly batch: ParsedBatch }
  | { readonly type: 'consumed'; readonly lines: number }
  | { readonly type: 'done'; readonly lines: number; readonly dialect: Dialect; readonly inputs: string[] }
  | { readonly type: 'error'; readonly message: string };

const MAX_IN_FLIGHT = 4;

// The tokenizer's garbage is short-lived (lines, matches): a small young generation keeps its heap, and the
// process's peak RSS, ~20 MB smaller for a few percent more scavenging.
const RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 8 };

/** The tokenizer thread, started ahead (pipeline.ts) where the input is a big ftrace text. */
export const tokenizerThreadSlot = new ThreadSlot(() => whenReady(() => workerBeside(import.meta.url, 'ftrace-text-worker', RESOURCE_LIMITS)));

/** What the tokenizer knows of the whole text once it has read it. */
export interface TokenizerEnd {
  readonly lines: number;
  readonly dialect: Dialect;
  readonly inputs: string[];
}

export class TokenizerThread {
  private inFlight = 0;
  private waiters: (() => void)[] = [];
  private failure: Error | null = null;
  private finished: TokenizerEnd | null = null;
  lines = 0;

  private constructor(
    private readonly worker: Worker,
    onBatch: (b: ParsedBatch) => void,
  ) {
    worker.on('message', (m: FromTokenizer) => {
      try {
        switch (m.type) {
          case 'ready':
            return;
          case 'batch':
            onBatch(m.batch);
            return;
          case 'consumed':
            this.inFlight--;
            this.lines = m.lines;
            break;
          case 'done':
            this.finished = { lines: m.lines, dialect: m.dialect, inputs: m.inputs };
            this.lines = m.lines;
            break;
          case 'error':
            this.failure = new Error(`ftrace tokenizer thread: ${m.message}`);
            break;
        }
      } catch (e) {
        this.failure = e instanceof Error ? e : new Error(String(e));
      }
      this.wake();
    });
    worker.on('error', (e) => {
      this.failure = e;
      this.wake();
    });
    worker.on('exit', (code) => {
      if (this.finished === null && this.failure === null) this.failure = new Error(`ftrace tokenizer thread exited with code ${code}`);
      this.wake();
    });
  }

  /**
   * The thread started ahead for this database's ingest, or a new one, once it runs; null where a worker
   * cannot start or load (the caller then tokenizes on its own thread). `onBatch` gets the batches in order.
   */
  static async start(db: object, onBatch: (b: ParsedBatch) => void): Promise<TokenizerThread | null> {
    const worker = await tokenizerThreadSlot.take(db);
    if (worker === null) return null;
    return new TokenizerThread(worker, onBatch);
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private async until(done: () => boolean): Promise<void> {
    while (!done()) {
      if (this.failure !== null) throw this.failure;
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    if (this.failure !== null) throw this.failure;
  }

  /** Sends a chunk of the input (its bytes are copied: the caller's buffer may be pooled). */
  async push(chunk: Buffer): Promise<void> {
    if (this.failure !== null) throw this.failure;
    const bytes = new Uint8Array(chunk);
    this.inFlight++;
    this.worker.postMessage({ type: 'chunk', bytes } satisfies ToTokenizer, [bytes.buffer]);
    await this.until(() => this.inFlight < MAX_IN_FLIGHT);
  }

  /** Ends the input; resolves once every batch has been handed to `onBatch`. */
  async end(): Promise<TokenizerEnd> {
    this.worker.postMessage({ type: 'end' } satisfies ToTokenizer);
    await this.until(() => this.finished !== null);
    return this.finished!;
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
