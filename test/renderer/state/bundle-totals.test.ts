import { describe, expect, it } from 'vitest';
import { totalsLine } from '../../../renderer/state/bundle-totals';
import type { BundleSummary } from '../../../preload/contract';

const base: BundleSummary = { id: 1, name: 'b', sourcePath: '/b', status: 'complete', createdAt: 'now', files: 5, lines: 1234, events: 10_000, faults: 5, faultEvents: 5 };

describe('a bundle\'s totals line', () => {
  it('counts faults as events, and names the records when a group makes them differ', () => {
    expect(totalsLine(base)).toBe('5 faults · 1,234 lines · 10,000 events · 5 files');
    expect(totalsLine({ ...base, faultEvents: 300_004 })).toBe('300,004 faults (5 records) · 1,234 lines · 10,000 events · 5 files');
    expect(totalsLine({ ...base, faults: 1, faultEvents: 1, files: 1 })).toBe('1 fault · 1,234 lines · 10,000 events · 1 file');
  });
});
