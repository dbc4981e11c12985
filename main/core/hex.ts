// Hexadecimal <-> bigint, the one place that spells 64-bit values the way Faultline prints them.
import { err, ok, type Result } from './result';

const MASK64 = (1n << 64n) - 1n;

/** Lower-case hex with `0x` and no leading zeros: the JSON and CLI spelling of ESRs and addresses. */
export function toHex(value: bigint): string {
  return '0x' + value.toString(16);
}

/** Zero-padded to `digits` hex digits, as the kernel's `%016lx` prints. */
export function toHexPadded(value: bigint, digits: number): string {
  return value.toString(16).padStart(digits, '0');
}

/**
 * Parses a hex value as logs and users write it: `0x92000061`, `92000061`, `0000000096000004`,
 * `0X1F`. Underscores are allowed as digit separators (`0xffff_0000`). More than 64 bits is an error.
 */
export function parseHex64(text: string): Result<bigint> {
  const t = text.trim().replace(/_/g, '');
  const digits = /^0[xX]/.test(t) ? t.slice(2) : t;
  if (digits.length === 0 || !/^[0-9a-fA-F]+$/.test(digits)) return err(`not a hexadecimal value: ${JSON.stringify(text)}`);
  const value = BigInt('0x' + digits);
  if (value > MASK64) return err(`more than 64 bits: ${text}`);
  return ok(value);
}

/** Bits [hi:lo] of a 64-bit value, as the Arm ARM writes field positions. */
export function bits(value: bigint, hi: number, lo: number): number {
  return Number((value >> BigInt(lo)) & ((1n << BigInt(hi - lo + 1)) - 1n));
}
