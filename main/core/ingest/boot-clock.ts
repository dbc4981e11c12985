// The kernel's since-boot clock restarts at every boot, so one log of several boots holds several clocks
// that cannot be compared: a serial console capture across a panic and the reboot after it, or
// `journalctl -o short-monotonic` without `--boot` (it prints `-- Boot <id> --` between boots,
// systemd src/shared/logs-show.c). The records of a file's last boot keep the clock `monotonic`: it is the
// boot a bundle's dmesg shows when the bundle was collected after the last reboot. Those of earlier boots
// are on `monotonic@-N`, N boots before the file's last, counted as `journalctl --boot=-N` counts them.

export const MONOTONIC = 'monotonic';

/**
 * The clock of a trace whose times are bare counts (kernel/trace/trace.c trace_clocks[]: counter, uptime,
 * x86-tsc … have in_ns 0, and trace_print_time prints their value as it is): no unit known, no link to the
 * since-boot clock of the other logs.
 */
export const COUNTER_CLOCK = 'counter';

/** The clock of a record read N boots before the last boot of its file (N >= 1). */
export type EarlierBootClock = `monotonic@-${number}`;

export function earlierBootClock(bootsBefore: number): EarlierBootClock {
  return `${MONOTONIC}@-${bootsBefore}`;
}

/**
 * Which boot a since-boot clock belongs to, relative to its file's last boot: 0 for `monotonic`, -N for
 * `monotonic@-N`; null for any other clock (wall clock, time of day, none).
 */
export function bootOf(clock: string | null | undefined): number | null {
  if (clock === MONOTONIC) return 0;
  if (clock === null || clock === undefined || !clock.startsWith(`${MONOTONIC}@-`)) return null;
  const n = Number(clock.slice(MONOTONIC.length + 2));
  return Number.isInteger(n) && n > 0 ? -n : null;
}

/** A record's clock: since boot (of the last boot, or an earlier one), wall clock, time of day, a trace clock's count. */
export type RecordClock = typeof MONOTONIC | EarlierBootClock | 'realtime' | 'time-of-day' | typeof COUNTER_CLOCK;

/** A stored clock as a RecordClock; null for none, or for a value that names no clock. */
export function recordClock(clock: unknown): RecordClock | null {
  if (clock === MONOTONIC || clock === 'realtime' || clock === 'time-of-day' || clock === COUNTER_CLOCK) return clock;
  const boot = typeof clock === 'string' ? bootOf(clock) : null;
  return boot !== null && boot < 0 ? earlierBootClock(-boot) : null;
}

/** `boot -1` for an earlier boot's clock, '' for the last boot's and for other clocks. */
export function bootLabel(clock: string | null | undefined): string {
  const b = bootOf(clock);
  return b === null || b === 0 ? '' : `boot ${b}`;
}
