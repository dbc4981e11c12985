// ftrace timestamps to integer nanoseconds, converted once, from the digits (STYLE.md §9).
//
// The kernel prints `%5llu.%06lu` (microseconds; kernel/trace/trace_output.c trace_print_time) for the
// nanosecond clocks, more fraction digits with some tools, and a bare count (`%12llu`) for the clocks that
// do not count nanoseconds (counter, uptime, x86-tsc): a bare integer is taken as it is, a count.

/**
 * The last whole second all of whose nanoseconds are exact doubles: 2^53 ns is 9,007,199.254740992 s, so
 * from second 9,007,199 on a time may not be one (read it as a bigint).
 */
export const MAX_SAFE_SECONDS = 9_007_198;

/** The largest time storage holds (SQLite's INTEGER): ~292 years in ns, beyond any trace. */
export const INT64_MAX = 0x7fff_ffff_ffff_ffffn;

const POW10 = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000];

/**
 * Nanoseconds of `secs.frac` as a number when exact (below 2^53 ns, about 104 days of uptime), else null
 * (call parseTimestampBig). `frac` may have 0 to 9 digits; more are truncated, as the value had no more
 * precision than a nanosecond to begin with.
 */
export function timestampNs(secs: string, frac: string): number | null {
  const s = secs.length <= 7 ? Number(secs) : Number.NaN;
  if (!(s <= MAX_SAFE_SECONDS)) return null;
  const digits = frac.length > 9 ? frac.slice(0, 9) : frac;
  const f = digits.length === 0 ? 0 : Number(digits) * (POW10[9 - digits.length] ?? 1);
  return s * 1_000_000_000 + f;
}

/** The exact value for any size, as bigint. */
export function timestampBig(secs: string, frac: string): bigint {
  const digits = (frac.length > 9 ? frac.slice(0, 9) : frac).padEnd(9, '0');
  return BigInt(secs) * 1_000_000_000n + BigInt(digits);
}

/**
 * Formats nanoseconds the way the kernel and `trace-cmd report` print them: `%5llu.%06llu` of the time
 * rounded to the microsecond (kernel/trace/trace.c ns2usecs: "nsec += 500; do_div(nsec, 1000)").
 */
export function formatMicros(ns: bigint | number): string {
  const v = typeof ns === 'bigint' ? ns : BigInt(ns);
  const usecs = (v + 500n) / 1000n;
  const secs = usecs / 1_000_000n;
  const frac = (usecs % 1_000_000n).toString().padStart(6, '0');
  return `${secs.toString().padStart(5, ' ')}.${frac}`;
}
