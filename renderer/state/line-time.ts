// The time column of a log whose stored lines are messages alone (a journal read from `-o json` or
// `-o export`: its entries' times are fields, not text). Printed as journalctl prints them: the kernel's
// monotonic clock as `-o short-monotonic` does (seconds, 6 decimals), wall-clock time as `-o short-iso-precise`
// does in UTC.

const NS_PER_S = 1_000_000_000n;

/** `timeNs` (decimal ns) on `clock`, or '' when the line has no time. */
export function lineTimeLabel(timeNs: string | null, clock: string | null): string {
  if (timeNs === null || !/^-?\d+$/.test(timeNs)) return '';
  const ns = BigInt(timeNs);
  if (clock === 'realtime') {
    const ms = Number(ns / 1_000_000n);
    const micros = String((ns % NS_PER_S) / 1000n).padStart(6, '0');
    const date = new Date(ms);
    return Number.isNaN(date.getTime()) ? '' : `${date.toISOString().slice(0, 19).replace('T', ' ')}.${micros}`;
  }
  const seconds = ns / NS_PER_S;
  const micros = String((ns % NS_PER_S) / 1000n).padStart(6, '0');
  return `${seconds}.${micros}`;
}

/**
 * Which boot a fault's since-boot clock is of (contract FaultClock): 0 for `monotonic`, the last boot its log
 * shows; -N for `monotonic@-N`, N boots before it; null for other clocks.
 */
export function bootOfClock(clock: string | null): number | null {
  if (clock === 'monotonic') return 0;
  const m = clock === null ? null : /^monotonic@-([1-9]\d*)$/.exec(clock);
  return m === null ? null : -Number(m[1]);
}

/** The boot of a log of several (LinePage.boots) that line `lineNo` is in; null for a log of one boot. */
export function bootAt<B extends { readonly fromLine: number }>(boots: readonly B[] | null, lineNo: number): B | null {
  if (boots === null) return null;
  let found: B | null = null;
  for (const b of boots) if (b.fromLine <= lineNo) found = b;
  return found;
}

/** `boot -1`, `the last boot`: the boot a since-boot clock is of; '' for other clocks. */
export function bootName(clock: string | null): string {
  const boot = bootOfClock(clock);
  return boot === null ? '' : boot === 0 ? 'the last boot' : `boot ${boot}`;
}

/** What the times on `clock` are, for an axis or a list's heading; `file`: the log an earlier boot is of. */
export function clockName(clock: string | null, file: string | null = null): string {
  const boot = bootOfClock(clock);
  if (boot === 0) return 'seconds since boot';
  if (boot !== null) return `seconds since boot, in boot ${boot} of ${file ?? 'its log'}`;
  if (clock === 'realtime') return 'UTC';
  if (clock === 'counter') return "counts of the trace's clock (not ns)";
  return clock ?? '';
}
