// Decompression by magic number (never by file name), streaming, with expansion limits.
//   gzip: gunzip.ts (node:zlib's raw inflate, multi-member files too);  xz: xz-decompress (xz-embedded
//   compiled to WASM, no native code, streaming);  zstd: fzstd (pure JS, streaming; Node 20's zlib has no zstd).
// Magic numbers: gzip RFC 1952 §2.3.1 (1f 8b); xz file format 1.2.1 §2.1.1.1 (fd 37 7a 58 5a 00); zstd
// RFC 8878 §3.1.1 (28 b5 2f fd, little-endian 0xFD2FB528); bzip2 `BZh`; lz4 frame (04 22 4d 18).
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { Decompress as ZstdDecompress } from 'fzstd';
import * as xzModule from 'xz-decompress';
import { gunzipChunks } from './gunzip';

// xz-decompress ships a webpack UMD bundle: under Node's ESM loader its exports sit on `default`.
const XzReadableStream: typeof xzModule.XzReadableStream =
  (xzModule as { XzReadableStream?: typeof xzModule.XzReadableStream }).XzReadableStream ??
  (xzModule as unknown as { default: typeof xzModule }).default.XzReadableStream;

export type Compression = 'gzip' | 'xz' | 'zstd' | 'bzip2' | 'lz4';

export function detectCompression(head: Uint8Array): Compression | null {
  const b = (i: number): number => head[i] ?? -1;
  if (b(0) === 0x1f && b(1) === 0x8b) return 'gzip';
  if (b(0) === 0xfd && b(1) === 0x37 && b(2) === 0x7a && b(3) === 0x58 && b(4) === 0x5a && b(5) === 0x00) return 'xz';
  if (b(0) === 0x28 && b(1) === 0xb5 && b(2) === 0x2f && b(3) === 0xfd) return 'zstd';
  if (b(0) === 0x42 && b(1) === 0x5a && b(2) === 0x68 && b(3) >= 0x31 && b(3) <= 0x39) return 'bzip2';
  if (b(0) === 0x04 && b(1) === 0x22 && b(2) === 0x4d && b(3) === 0x18) return 'lz4';
  return null;
}

/** Compressions this build can read. */
export function canDecompress(c: Compression): c is 'gzip' | 'xz' | 'zstd' {
  return c === 'gzip' || c === 'xz' || c === 'zstd';
}

export interface ExpansionLimits {
  /** Decompressed bytes allowed for a whole bundle. */
  readonly maxTotalBytes: number;
  /** Largest decompressed/compressed ratio tolerated once `ratioFloorBytes` have come out. */
  readonly maxRatio: number;
  readonly ratioFloorBytes: number;
}

// Kernel logs compress 10-30x, very repetitive generated logs up to a few hundred; a zip bomb reaches
// millions. 16 GiB per bundle is above any support bundle seen in practice.
export const DEFAULT_LIMITS: ExpansionLimits = {
  maxTotalBytes: 16 * 1024 ** 3,
  maxRatio: 2000,
  ratioFloorBytes: 256 * 1024 ** 2,
};

export class ExpansionLimitError extends Error {}
export class CorruptCompressedError extends Error {}

/** Shared by every decompressor of one bundle: counts what came in and out and stops a bomb. */
export class ExpansionBudget {
  private totalOut = 0;

  constructor(readonly limits: ExpansionLimits = DEFAULT_LIMITS) {}

  get total(): number {
    return this.totalOut;
  }

  /** Accounts `out` decompressed bytes of a stream that has read `inBytes` compressed bytes so far. */
  check(streamIn: number, streamOut: number, added: number): void {
    this.totalOut += added;
    if (this.totalOut > this.limits.maxTotalBytes) {
      throw new ExpansionLimitError(`decompressed data exceeds ${this.limits.maxTotalBytes} bytes for this bundle`);
    }
    if (streamOut > this.limits.ratioFloorBytes && streamOut > streamIn * this.limits.maxRatio) {
      throw new ExpansionLimitError(`expansion ratio above ${this.limits.maxRatio}:1 (${streamOut} bytes from ${streamIn})`);
    }
  }
}

async function* counted(source: AsyncIterable<Uint8Array>, counter: { in: number }): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) {
    counter.in += chunk.length;
    yield chunk;
  }
}

async function* guarded(out: AsyncIterable<Uint8Array>, counter: { in: number }, budget: ExpansionBudget): AsyncGenerator<Buffer> {
  let produced = 0;
  try {
    for await (const chunk of out) {
      produced += chunk.length;
      budget.check(counter.in, produced, chunk.length);
      yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    }
  } catch (e) {
    if (e instanceof ExpansionLimitError) throw e;
    throw new CorruptCompressedError(e instanceof Error ? e.message : String(e));
  }
}

async function* zstdChunks(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const pending: Uint8Array[] = [];
  let ended = false;
  const dec = new ZstdDecompress((chunk, final) => {
    pending.push(chunk);
    if (final) ended = true;
  });
  for await (const chunk of source) {
    dec.push(chunk);
    while (pending.length > 0) yield pending.shift()!;
  }
  if (!ended) dec.push(new Uint8Array(0), true);
  while (pending.length > 0) yield pending.shift()!;
}

async function* xzChunks(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const web = Readable.toWeb(Readable.from(source)) as unknown as ReadableStream<Uint8Array>;
  const out = new XzReadableStream(web) as unknown as WebReadableStream<Uint8Array>;
  for await (const chunk of out) yield chunk;
}

/**
 * The decompressed bytes of `source`. Errors: CorruptCompressedError (truncated/corrupt input, after
 * the data before the damage was yielded), ExpansionLimitError (a bomb).
 */
export function decompress(kind: 'gzip' | 'xz' | 'zstd', source: AsyncIterable<Uint8Array>, budget: ExpansionBudget): AsyncGenerator<Buffer> {
  const counter = { in: 0 };
  const input = counted(source, counter);
  switch (kind) {
    case 'gzip':
      return guarded(gunzipChunks(input), counter, budget);
    case 'xz':
      return guarded(xzChunks(input), counter, budget);
    case 'zstd':
      return guarded(zstdChunks(input), counter, budget);
  }
}
