// Batch encoding: ESR values -> UTF-8 `--json` lines, for `faultline decode --json` on stdin.
// Logs repeat the same few ESRs thousands of times, so the bytes of each distinct value are kept and
// reused. Keeping costs (a copy, a map entry, memory): the cache is bounded, and once 4096 values have
// missed it without at least as many hits (input of mostly distinct values) nothing more is kept; values
// not kept are written each time (writeEsrJson(), no strings).

import { ByteWriter } from './byte-writer';
import { writeEsrJson } from './json-line';
import type { EsrEl } from './types';

export interface EsrJsonEncoder {
  /**
   * The JSON line of one ESR (low and high 32-bit halves), UTF-8, ending in `\n`. The bytes are valid until
   * the next call; do not modify them.
   */
  encodeLine(lo: number, hi: number): Uint8Array;
}

export interface EsrJsonEncoderOptions {
  readonly el?: EsrEl | null;
  readonly kernel?: string;
  /** Most distinct values kept (default 65536). */
  readonly cacheLimit?: number;
}

export function createEsrJsonEncoder(opts: EsrJsonEncoderOptions = {}): EsrJsonEncoder {
  const el = opts.el ?? null;
  const kernel = opts.kernel;
  const limit = opts.cacheLimit ?? 1 << 16;
  const writer = new ByteWriter(1 << 12);
  // 32-bit values (the usual case) keyed by number; wider ones by their halves.
  const narrow = new Map<number, Uint8Array>();
  const wide = new Map<string, Uint8Array>();
  let hits = 0;
  let misses = 0;
  const worthKeeping = (size: number): boolean => size < limit && (misses < 4096 || hits >= misses);
  const write = (lo: number, hi: number, keep: boolean): Uint8Array => {
    writer.pos = 0;
    writeEsrJson(writer, lo, hi, el, kernel);
    return keep ? writer.buf.slice(0, writer.pos) : writer.view();
  };
  return {
    encodeLine(lo, hi) {
      lo >>>= 0;
      hi >>>= 0;
      if (hi === 0) {
        const hit = narrow.get(lo);
        if (hit !== undefined) {
          hits++;
          return hit;
        }
        misses++;
        const keep = worthKeeping(narrow.size);
        const bytes = write(lo, 0, keep);
        if (keep) narrow.set(lo, bytes);
        return bytes;
      }
      const key = `${hi}:${lo}`;
      const hit = wide.get(key);
      if (hit !== undefined) {
        hits++;
        return hit;
      }
      misses++;
      const keep = worthKeeping(wide.size);
      const bytes = write(lo, hi, keep);
      if (keep) wide.set(key, bytes);
      return bytes;
    },
  };
}
