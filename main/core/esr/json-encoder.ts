// Batch encoding: ESR values -> UTF-8 `--json` lines, for `faultline decode --json` on stdin.
// Logs repeat the same few ESRs thousands of times, so each distinct value is encoded once (esrJsonLine())
// and its bytes are reused; the cache is bounded, values beyond it are encoded each time.

import { esrJsonLine } from './json-line';
import type { EsrEl } from './types';

export interface EsrJsonEncoder {
  /** The JSON line of one ESR (low and high 32-bit halves), UTF-8, ending in `\n`. Do not modify it. */
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
  const utf8 = new TextEncoder();
  // 32-bit values (the usual case) keyed by number; wider ones by their hex halves.
  const narrow = new Map<number, Uint8Array>();
  const wide = new Map<string, Uint8Array>();
  const encode = (lo: number, hi: number): Uint8Array => utf8.encode(esrJsonLine(lo, hi, el, kernel) + '\n');
  return {
    encodeLine(lo, hi) {
      lo >>>= 0;
      hi >>>= 0;
      if (hi === 0) {
        let bytes = narrow.get(lo);
        if (bytes === undefined) {
          bytes = encode(lo, 0);
          if (narrow.size < limit) narrow.set(lo, bytes);
        }
        return bytes;
      }
      const key = `${hi}:${lo}`;
      let bytes = wide.get(key);
      if (bytes === undefined) {
        bytes = encode(lo, hi);
        if (wide.size < limit) wide.set(key, bytes);
      }
      return bytes;
    },
  };
}
