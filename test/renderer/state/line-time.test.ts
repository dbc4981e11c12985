import { describe, expect, it } from 'vitest';
import { lineTimeLabel } from '../../../renderer/state/line-time';

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
