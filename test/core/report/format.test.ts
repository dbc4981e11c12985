// Spellings of times and sizes in reports.
import { describe, expect, it } from 'vitest';
import { formatDuration, formatSeconds, formatTime, listing } from '../../../main/core/report/format';

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

  it('durations and lists', () => {
    expect(formatDuration(168_000n)).toBe('168 us');
    expect(formatDuration(6_000_000_000n)).toBe('6.0 s');
    expect(formatDuration(3_725_000_000_000n)).toBe('1 h 02 min');
    expect(listing(['a', 'b', 'c'])).toBe('a, b and c');
    expect(listing(['a'])).toBe('a');
  });
});
