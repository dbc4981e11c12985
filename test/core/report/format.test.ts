// Spellings of times and sizes in reports.
import { describe, expect, it } from 'vitest';
import { clockNote, formatDuration, formatSeconds, formatTime, listing } from '../../../main/core/report/format';
import { tickLabel } from '../../../main/core/report/svg-timeline';

describe('times', () => {
  it('prints monotonic times as the kernel does, from the digits', () => {
    // dmesg `[ 4455.108833]`: 4455 s and 108833 us.
    expect(formatSeconds(4455_108_833_000n)).toBe('4455.108833');
    expect(formatTime(4455_108_833_999n, 'monotonic')).toBe('4455.108833 s');
    // Beyond 2^53 ns a float would lose the microseconds.
    expect(formatSeconds(9_007_199_254_740_993_001n)).toBe('9007199254.740993');
  });

  it('prints wall-clock times as ISO 8601 UTC and times of day as such', () => {
    // ../shared/samples/logs/035: NetworkManager stamps `[1692187490.4879]` on the syslog line `14:04:50`
    // of a host two hours east of UTC (CEST): 12:04:50 UTC on 2023-08-16.
    expect(formatTime(1_692_187_490_487_900_000n, 'realtime')).toBe('2023-08-16T12:04:50.487900Z');
    // `14:04:59 h63 kernel:` read as ns since midnight.
    expect(formatTime((14n * 3600n + 4n * 60n + 59n) * 1_000_000_000n, 'time-of-day')).toBe('14:04:59.000000');
  });

  it("prints a trace clock's bare count as a count, not as seconds", () => {
    expect(formatTime(25_000_000_350n, 'counter')).toBe('25000000350 counts');
    expect(clockNote('counter')).toMatch(/counts of the trace's clock/);
  });

  it('prints the since-boot time of an earlier boot with its boot, and says what that clock is', () => {
    expect(formatTime(122_564_868_000n, 'monotonic@-1')).toBe('122.564868 s (boot -1)');
    expect(clockNote('monotonic@-2')).toBe("Times are seconds since boot on the kernel's clock, in boot -2 of one log: it spans several boots, and 2 boots followed this one.");
    expect(clockNote('monotonic')).toBe("Times are seconds since boot on the kernel's clock.");
  });

  it('durations and lists', () => {
    expect(formatDuration(168_000n)).toBe('168 us');
    expect(formatDuration(6_000_000_000n)).toBe('6.0 s');
    expect(formatDuration(3_725_000_000_000n)).toBe('1 h 02 min');
    expect(listing(['a', 'b', 'c'])).toBe('a, b and c');
    expect(listing(['a'])).toBe('a');
  });
});

describe('timeline tick labels', () => {
  it('use the unit of the span and the decimals of the step', () => {
    // A 2.9 ms span with 0.5 ms ticks: milliseconds, one decimal; neighbours differ.
    expect([0, 5e5, 1e6, 1.5e6].map((v) => tickLabel(v, 2.9e6, 5e5))).toEqual(['0.0 ms', '+0.5 ms', '+1.0 ms', '+1.5 ms']);
    expect(tickLabel(12e9, 60e9, 10e9)).toBe('+12 s');
    expect(tickLabel(250e3, 900e3, 50e3)).toBe('+250 us');
    expect(tickLabel(-1e9, 2e9, 5e8)).toBe('-1.0 s');
  });
});
