// Ftrace text tokenized on a second thread (ftrace-text-worker.ts) while this one assembles and stores the
// events (PERFORMANCE.md: both cores can work): the input's chunks go to the worker as they are read, or,
// for a file on disk, the worker reads it itself; its batches (core/ingest/ftrace/text-batches.ts, one per
// storage chunk) come back in order. At most MAX_IN_FLIGHT input chunks (or reads) are ahead of this
// thread, so memory stays bounded. Where a thread cannot start,
// the same batcher runs on this thread.
import type { Worker } from 'node:worker_threads';
import { ThreadSlot, whenReady, workerBeside } from '../../../storage/threads';
import type { Dialect } from '../../../core/ingest/ftrace/tokenizer';
import type { ParsedBatch } from '../../../core/ingest/ftrace/text-batches';

/**
 * To the thread: the input's chunks then its end; or a file on disk to read itself, with `credit` reads
 * granted, one more per `more` (each read is answered by `consumed`).
 */
export type ToTokenizer =
  | { readonly type: 'chunk'; readonly bytes: Uint8Array }
  | { readonly type: 'end' }
  | { readonly type: 'file'; readonly path: string; readonly fd: number; readonly credit: number }
  | { readonly type: 'more' };
export type FromTokenizer =
  | { readonly type: 'ready' }
  | { readonly type: 'batch'; readonly batch: ParsedBatch }
  | { readonly type: 'consumed'; readonly lines: number; readonly bytes: number }
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
  /** The sizes of the reads the thread made of a file and has not been answered for (readFile). */
  private consumed: number[] = [];
  private readingFile = false;
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
            if (this.readingFile) this.consumed.push(m.bytes);
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

  /**
   * Has the thread read the file itself (instead of push() and end()), by the descriptor `fd` (the walk's,
   * which stays open until the importer is done; `path` names it in errors). `read` is awaited after
   * each of its reads, with the bytes read, before the thread may read one more (at most MAX_IN_FLIGHT
   * reads ahead): the caller reports progress and waits for storage there. Resolves as end() does.
   */
  async readFile(file: { path: string; fd: number }, read: (bytes: number) => Promise<void>): Promise<TokenizerEnd> {
    if (this.failure !== null) throw this.failure;
    this.readingFile = true;
    this.worker.postMessage({ type: 'file', path: file.path, fd: file.fd, credit: MAX_IN_FLIGHT } satisfies ToTokenizer);
    for (;;) {
      await this.until(() => this.finished !== null || this.consumed.length > 0);
      while (this.consumed.length > 0) {
        await read(this.consumed.shift()!);
        if (this.failure !== null) throw this.failure;
        this.worker.postMessage({ type: 'more' } satisfies ToTokenizer);
      }
      if (this.finished !== null) return this.finished;
    }
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
