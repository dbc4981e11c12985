// The codecs trace-cmd compresses a v7 trace.dat's CPU data with (trace-cmd lib/trace-cmd/trace-compress-zlib.c,
// trace-compress-zstd.c), for the reader on either thread (trace-dat.ts, trace-dat-worker.ts).
import { inflateSync } from 'node:zlib';
import { decompress as zstdDecompress } from 'fzstd';
import type { Decompress } from '../../../core/ingest/tracedat/file';

export const decompress: Decompress = (algorithm, data, size) => {
  if (algorithm === 'zstd') return zstdDecompress(data, new Uint8Array(size));
  if (algorithm === 'zlib') return new Uint8Array(inflateSync(data));
  throw new Error(`compression ${algorithm} is not supported`);
};
