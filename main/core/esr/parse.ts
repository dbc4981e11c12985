// Reading ESR values as logs and people write them, for the batch path: hex with or without `0x`
// (`ESR = 0x96000004`, `ESR:f2000800`, `Oops: 0000000096000004`), optionally decimal. Results are the two
// unsigned 32-bit halves, so that the hot path needs no BigInt.

import { err, ok, type Result } from '../result';

export interface EsrHalves {
  readonly lo: number;
  readonly hi: number;
}

/** Value of one hex digit character code, or -1. */
function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 0x20;
  return l >= 97 && l <= 102 ? l - 87 : -1;
}

/**
 * Parses a hexadecimal ESR token (`0x` optional, `_` separators allowed, at most 64 bits) into
 * `out[0]` (low half) and `out[1]` (high half). Returns null, or the error naming the token:
 * `not a hexadecimal value: "xyz"`, `more than 64 bits: 0x1_0000_0000_0000_0000`. Allocation-free.
 */
export function parseEsrHexInto(token: string, out: Uint32Array): string | null {
  const start = token.length > 1 && token.charCodeAt(0) === 48 && (token.charCodeAt(1) | 0x20) === 120 ? 2 : 0;
  let lo = 0;
  let hi = 0;
  let any = false;
  let digits = 0; // significant digits: leading zeros do not count towards the 64 bits
  for (let i = start; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c === 95) continue;
    const d = hexDigit(c);
    if (d < 0) return `not a hexadecimal value: ${JSON.stringify(token)}`;
    any = true;
    if (digits === 0 && d === 0) continue;
    if (++digits > 16) return `more than 64 bits: ${token}`;
    hi = ((hi << 4) | (lo >>> 28)) >>> 0;
    lo = ((lo << 4) | d) >>> 0;
  }
  if (!any) return `not a hexadecimal value: ${JSON.stringify(token)}`;
  out[0] = lo;
  out[1] = hi;
  return null;
}

const scratch = new Uint32Array(2);

/** Parses a hexadecimal ESR token; see parseEsrHexInto(). */
export function parseEsrHex(token: string): Result<EsrHalves> {
  const error = parseEsrHexInto(token, scratch);
  return error === null ? ok({ lo: scratch[0] as number, hi: scratch[1] as number }) : err(error);
}

const MAX64 = (1n << 64n) - 1n;

/** Parses a decimal ESR token (`--decimal`). */
export function parseEsrDecimal(token: string): Result<EsrHalves> {
  if (!/^\d+$/.test(token)) return err(`not a decimal value: ${JSON.stringify(token)}`);
  const v = BigInt(token);
  if (v > MAX64) return err(`more than 64 bits: ${token}`);
  return ok({ lo: Number(v & 0xffffffffn), hi: Number(v >> 32n) });
}

export function halvesToBigInt(h: EsrHalves): bigint {
  return (BigInt(h.hi) << 32n) | BigInt(h.lo);
}
