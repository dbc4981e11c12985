import { describe, expect, it } from 'vitest';
import { bootAt, bootName, bootOfClock, clockName, lineTimeLabel } from '../../../renderer/state/line-time';

describe('lineTimeLabel', () => {
  it('prints the monotonic clock as journalctl -o short-monotonic does', () => {
    expect(lineTimeLabel('23352431103000', 'monotonic')).toBe('23352.431103');
    expect(lineTimeLabel('5000', 'monotonic')).toBe('0.000005');
  });

  it('prints wall-clock time in UTC with microseconds', () => {
    expect(lineTimeLabel('1591023352431106000', 'realtime')).toBe('2020-06-01 14:55:52.431106');
  });

  it('prints nothing for a line without a time', () => {
    expect(lineTimeLabel(null, 'monotonic')).toBe('');
    expect(lineTimeLabel('not a number', 'realtime')).toBe('');
  });
});

describe('clocks of boots', () => {
  it('tells the last boot from earlier ones, and names what the times are', () => {
    expect([bootOfClock('monotonic'), bootOfClock('monotonic@-1'), bootOfClock('monotonic@-12'), bootOfClock('realtime'), bootOfClock('monotonic@-0'), bootOfClock(null)]).toEqual([0, -1, -12, null, null, null]);
    expect(clockName('monotonic')).toBe('seconds since boot');
    expect(clockName('monotonic@-1')).toBe('seconds since boot, in boot -1 of its log');
    expect(clockName('monotonic@-2', 'var/log/console.log')).toBe('seconds since boot, in boot -2 of var/log/console.log');
    expect(clockName('realtime')).toBe('UTC');
  });
});

describe('the boots of a log', () => {
  const boots = [
    { fromLine: 1, clock: 'monotonic@-2' },
    { fromLine: 238, clock: 'monotonic@-1' },
    { fromLine: 301, clock: 'monotonic' },
  ];
  it('finds the boot a line is of, and names it', () => {
    expect([1, 237, 238, 300, 301, 9999].map((n) => bootAt(boots, n)?.fromLine)).toEqual([1, 1, 238, 238, 301, 301]);
    expect(bootAt(null, 5)).toBe(null);
    expect(boots.map((b) => bootName(b.clock))).toEqual(['boot -2', 'boot -1', 'the last boot']);
    expect(bootName('realtime')).toBe('');
  });
});
