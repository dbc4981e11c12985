import { describe, expect, it } from 'vitest';
import { bootLabel, bootOf, earlierBootClock } from '../../../main/core/ingest/boot-clock';

describe('boot clocks', () => {
  it('name an earlier boot by how many boots came after it, and read the name back', () => {
    expect(earlierBootClock(1)).toBe('monotonic@-1');
    expect([1, 2, 30].map((n) => bootOf(earlierBootClock(n)))).toEqual([-1, -2, -30]);
    expect(bootOf('monotonic')).toBe(0);
    expect([bootOf('realtime'), bootOf('time-of-day'), bootOf(null), bootOf(undefined), bootOf('monotonic@-0'), bootOf('monotonic@-x')]).toEqual([null, null, null, null, null, null]);
    expect([bootLabel('monotonic@-2'), bootLabel('monotonic'), bootLabel('realtime')]).toEqual(['boot -2', '', '']);
  });
});
