// The compression of trace chunks before they are stored (event-writer.ts writes them): a worker thread that
// packs a chunk's numeric columns and compresses them with its texts and raw records, or zlib's thread pool
// where no worker can start. events.ts unpackChunk inflates them again.
import { brotliCompress, constants as zlibConstants } from 'node:zlib';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import { encodeColumns, type EncodedChunk } from '../core/ingest/ftrace/chunk';

// Stored chunks' codecs (trace_chunks.codec): 0 none, 1 raw deflate at level 1 (written before 2026-11-24,
// still read), 2 brotli at quality 0. Brotli's quality 0 compresses these chunks as well as deflate's level 1
// (3.7:1 on trace.dat records and columns, 9:1 on text lines, against 3.65 and 11:1) in 40% of its CPU time;
// it inflates 15% slower, under 0.3 ms a chunk. The compression thread shares two cores with the reader and
// the importing thread: its CPU is the ingest's.
export const CODEC = 2;
const brotli = promisify(brotliCompress);
const brotliOptions = (size: number) => ({ params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 0, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: size } });

export interface PackedChunk {
  readonly c: EncodedChunk;
  readonly columns: Uint8Array;
  readonly args: Uint8Array | null;
  readonly raw: Uint8Array | null;
}

// Compression runs in a worker thread (the second core) while the main thread parses the next chunk: the
// input buffers are transferred, the compressed ones transferred back. The worker also packs the numeric
// columns (chunk.ts encodeColumns, its source text inlined here: it refers to nothing outside itself), which
// would otherwise cost the importing thread ~0.2 s per 2M events. The worker is plain JavaScript evaluated
// from this string, so it needs no build step in any environment; where a worker cannot start, zlib's
// asynchronous API (libuv's thread pool) is used instead.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
// esbuild's keepNames helper, which encodeColumns' source text calls when run from source with tsx.
const __name = (f) => f;
const { brotliCompressSync, constants } = require('node:zlib');
const encodeColumns = ${encodeColumns.toString()};
const brotli = (b) => brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 0, [constants.BROTLI_PARAM_SIZE_HINT]: b.length } });
const pack = (x) => (x === null ? null : new Uint8Array(brotli(typeof x === 'string' ? Buffer.from(x, 'utf8') : x)));
parentPort.on('message', (m) => {
  const u = m.unpacked;
  const out = [pack(encodeColumns(u.ts, u.ints, u.stride, u.count, u.intCols)), pack(m.args), pack(m.raw)];
  parentPort.postMessage({ id: m.id, out }, out.filter((x) => x !== null).map((x) => x.buffer));
});
`;

class Compressor {
  private worker: Worker | null = null;
  private failed = false;
  private next = 0;
  private readonly waiting = new Map<number, (out: (Uint8Array | null)[]) => void>();

  start(): Worker | null {
    if (this.worker !== null || this.failed) return this.worker;
    try {
      // It holds no JavaScript objects beyond a message: a small young generation keeps its heap small.
      const w = new Worker(WORKER_SOURCE, { eval: true, resourceLimits: { maxYoungGenerationSizeMb: 4 } });
      w.on('message', (m: { id: number; out: (Uint8Array | null)[] }) => {
        const done = this.waiting.get(m.id);
        this.waiting.delete(m.id);
        if (this.waiting.size === 0) w.unref();
        done?.(m.out);
      });
      w.on('error', () => this.fail());
      w.unref();
      this.worker = w;
    } catch {
      this.failed = true;
    }
    return this.worker;
  }

  private fail(): void {
    this.failed = true;
    this.worker = null;
    // Requests in flight are lost with the worker, their chunks' arrays with them: their callers fail
    // (pack), so the import fails with that reason and its events are dropped; later chunks are compressed
    // on the thread pool.
    for (const done of this.waiting.values()) done([]);
    this.waiting.clear();
  }

  async pack(c: EncodedChunk): Promise<PackedChunk> {
    const w = this.start();
    if (w !== null) {
      const id = this.next++;
      const out = await new Promise<(Uint8Array | null)[]>((resolve) => {
        this.waiting.set(id, resolve);
        w.ref();
        // Texts go as UTF-8 bytes: transferring them costs far less than cloning the string.
        const args = c.args === null ? null : typeof c.args === 'string' ? ownBuffer(Buffer.from(c.args, 'utf8')) : ownBytes(c.args);
        const u = c.unpacked;
        const transfer = [u.ts.buffer, u.ints.buffer, ...(args === null ? [] : [args.buffer]), ...(c.raw === null ? [] : [c.raw.buffer])] as ArrayBuffer[];
        w.postMessage({ id, unpacked: u, args, raw: c.raw }, transfer);
      });
      if (out.length === 3) return { c, columns: out[0]!, args: out[1] ?? null, raw: out[2] ?? null };
      throw new Error('the compression worker stopped');
    }
    const view = (u: Uint8Array): Buffer => Buffer.from(u.buffer, u.byteOffset, u.byteLength);
    const squeeze = (b: Buffer): Promise<Buffer> => brotli(b, brotliOptions(b.length));
    const [columns, args, raw] = await Promise.all([
      squeeze(view(c.columns)),
      c.args === null ? null : squeeze(typeof c.args === 'string' ? Buffer.from(c.args, 'utf8') : view(c.args)),
      c.raw === null ? null : squeeze(view(c.raw)),
    ]);
    return { c, columns, args, raw };
  }
}

/** Bytes in an ArrayBuffer of their own (small Buffers share Node's pool, which must not be transferred). */
function ownBuffer(b: Buffer): Uint8Array {
  return b.byteOffset === 0 && b.buffer.byteLength === b.byteLength ? new Uint8Array(b.buffer, 0, b.byteLength) : new Uint8Array(b);
}

/** Bytes that may be transferred: a view over a whole ArrayBuffer of their own, else a copy. */
function ownBytes(u: Uint8Array): Uint8Array {
  return u.byteOffset === 0 && u.buffer.byteLength === u.byteLength && !(u.buffer instanceof SharedArrayBuffer) ? u : new Uint8Array(u);
}

/** The process's one compression thread (started on first use, or by warmTraceWriter). */
export const compressor = new Compressor();
