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
