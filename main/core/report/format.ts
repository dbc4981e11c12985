// Small spellings shared by the model and both renderings: times, counts, registers.
import { toHex } from '../hex';
import type { ReportClock } from './input';
import { bootLabel, bootOf, COUNTER_CLOCK } from '../ingest/boot-clock';

const NS_PER_S = 1_000_000_000n;

/**
 * Integer nanoseconds as the kernel prints its timestamps: seconds with six decimals (`4455.108833`), from the
 * digits (never through a float). Negative values keep their sign.
 */
export function formatSeconds(ns: bigint): string {
  const sign = ns < 0n ? '-' : '';
  const a = ns < 0n ? -ns : ns;
  return `${sign}${a / NS_PER_S}.${((a % NS_PER_S) / 1000n).toString().padStart(6, '0')}`;
}

const NS_PER_DAY = 86_400n * NS_PER_S;
const two = (n: bigint): string => n.toString().padStart(2, '0');

/**
 * A timestamp on its clock: seconds since boot as the kernel prints them (`4455.108833 s`), a wall-clock time
 * as ISO 8601 UTC with microseconds (`2023-08-16T14:04:59.487900Z`; zone-less logs are read as UTC by the
 * ingest), a time of day as `14:04:59.000000`, a trace clock's count as it is (`5000123 counts`).
 */
export function formatTime(ns: bigint, clock: ReportClock = null): string {
  if (clock === COUNTER_CLOCK) return `${ns} counts`;
  if (clock === 'monotonic' || clock === null || ns < 0n) return `${formatSeconds(ns)} s`;
  if (bootOf(clock) !== null) return `${formatSeconds(ns)} s (${bootLabel(clock)})`;
  const micros = ((ns % NS_PER_S) / 1000n).toString().padStart(6, '0');
  const inDay = ns % NS_PER_DAY;
  const hms = `${two(inDay / 3_600_000_000_000n)}:${two((inDay / 60_000_000_000n) % 60n)}:${two((inDay / NS_PER_S) % 60n)}.${micros}`;
  if (clock === 'time-of-day') return hms;
  const date = new Date(Number(ns / 1_000_000n)).toISOString().slice(0, 10);
  return `${date}T${hms}Z`;
}

/** A duration in the largest unit that keeps it readable: `168 us`, `2.650 ms`, `3.2 s`, `1 h 02 min`. */
export function formatDuration(ns: bigint): string {
  const a = ns < 0n ? -ns : ns;
  if (a < 1000n) return `${a} ns`;
  if (a < 1_000_000n) return `${a / 1000n} us`;
  if (a < NS_PER_S) return `${(Number(a) / 1e6).toFixed(3)} ms`;
  if (a < 3600n * NS_PER_S) return `${(Number(a) / 1e9).toFixed(1)} s`;
  const minutes = a / (60n * NS_PER_S);
  return `${minutes / 60n} h ${(minutes % 60n).toString().padStart(2, '0')} min`;
}

/** One sentence on what the report's times mean. */
export function clockNote(clock: ReportClock): string {
  if (clock === 'realtime') return 'Times are UTC wall-clock times from the logs (zone-less logs read as UTC).';
  if (clock === 'time-of-day') return 'Times are times of day from the logs, which carry no date.';
  if (clock === COUNTER_CLOCK) return "Times are counts of the trace's clock, which does not count nanoseconds (counter, x86-tsc …): not times since boot.";
  const boot = bootOf(clock);
  if (boot !== null && boot < 0) {
    return `Times are seconds since boot on the kernel's clock, in ${bootLabel(clock)} of one log: it spans several boots, and ${plural(-boot, 'boot')} followed this one.`;
  }
  return "Times are seconds since boot on the kernel's clock.";
}

/** `a`, `a and b`, `a, b and c`. */
export function listing(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** `1 fault`, `3 faults`. */
export function plural(n: number, noun: string, nouns = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : nouns}`;
}

/** The register an ESR was read from, as the kernel and KVM name it. */
export function esrRegister(el: 1 | 2 | null): string {
  return el === 2 ? 'ESR_EL2' : el === 1 ? 'ESR_EL1' : 'ESR';
}

/** Hex as Faultline prints addresses and ESRs (lower case, `0x`, no leading zeros). */
export function hex(value: bigint): string {
  return toHex(value);
}

/** `6.1` -> `Linux 6.1`; already-prefixed names are kept. */
export function linuxVersion(v: string): string {
  return /^linux\b/i.test(v) ? v : `Linux ${v.replace(/^v/, '')}`;
}

/** `6.1.0-18-arm64` -> `Linux 6.1`: the mainline series, how people name the kernel that printed a layout. */
export function linuxSeries(release: string): string {
  const m = /^v?(\d+)\.(\d+)/.exec(release.trim());
  return m ? `Linux ${m[1]}.${m[2]}` : linuxVersion(release);
}
