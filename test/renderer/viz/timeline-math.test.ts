import { describe, expect, it } from 'vitest';
import {
  bucketCountFor,
  centreOn,
  clampDomain,
  densityBars,
  densityPath,
  formatSpan,
  formatTraceTime,
  layoutMarkers,
  panDomain,
  relNs,
  zoomDomain,
} from '../../../renderer/viz/timeline-math';

const full = { start: 0, end: 10_000_000_000 }; // a 10 s trace
const id = (ns: number): number => ns / 1e7; // 10 s over 1000 px

describe('window changes', () => {
  it('zooms around the anchor: the time under the pointer stays put', () => {
    const d = zoomDomain({ start: 2e9, end: 6e9 }, 0.5, 0.25, full);
    expect(d).toEqual({ start: 2.5e9, end: 4.5e9 }); // 3 s was at 25 % and still is
  });
  it('pans by a fraction of the window and stops at the ends', () => {
    expect(panDomain({ start: 2e9, end: 4e9 }, 0.5, full)).toEqual({ start: 3e9, end: 5e9 });
    expect(panDomain({ start: 8e9, end: 9.5e9 }, 1, full)).toEqual({ start: 8.5e9, end: 10e9 });
    expect(panDomain({ start: 1e9, end: 2e9 }, -5, full)).toEqual({ start: 0, end: 1e9 });
  });
  it('never zooms out past the trace nor in below 1 µs', () => {
    expect(zoomDomain({ start: 0, end: 10e9 }, 4, 0.5, full)).toEqual(full);
    const tiny = zoomDomain({ start: 5e9, end: 5e9 + 2000 }, 0.01, 0.5, full);
    expect(tiny.end - tiny.start).toBe(1000);
  });
  it('clamps a window that starts before the trace, keeping its width', () => {
    expect(clampDomain({ start: -1e9, end: 1e9 }, full)).toEqual({ start: 0, end: 2e9 });
    expect(centreOn(9.9e9, 1e9, full)).toEqual({ start: 9e9, end: 10e9 });
  });
});

describe('relNs', () => {
  it('subtracts in bigint, so nanoseconds of a long uptime survive', () => {
    // 9 007 199 254.740 993 s of uptime: above 2^53 ns, where Number(ns) would round
    expect(relNs('9007199254740993', 9007199254740000n)).toBe(993);
  });
});

describe('bucketCountFor', () => {
  it('asks for one bucket per two pixels, within bounds', () => {
    expect(bucketCountFor(1200)).toBe(600);
    expect(bucketCountFor(0)).toBe(1);
    expect(bucketCountFor(100_000)).toBe(4096);
  });
});

describe('densityBars', () => {
  it('places buckets by time, heights on a log scale, a single event at least 1 px', () => {
    const bars = densityBars(
      [
        { start: 0, width: 1e8, count: 1_000_000 },
        { start: 1e9, width: 1e8, count: 1 },
        { start: 2e9, width: 1e8, count: 0 },
        { start: 20e9, width: 1e8, count: 5 },
      ],
      id,
      1000,
      20,
      1_000_000,
    );
    expect(bars.map((b) => [b.x, b.width, b.count])).toEqual([
      [0, 10, 1_000_000],
      [100, 10, 1],
    ]);
    expect(bars[0]!.height).toBeCloseTo(20);
    expect(bars[1]!.height).toBeCloseTo((Math.log(2) / Math.log1p(1_000_000)) * 20);
    expect(bars[1]!.height).toBeGreaterThanOrEqual(1);
  });
});

describe('layoutMarkers', () => {
  it('merges faults closer than the gap into one marker with all their ids', () => {
    const m = layoutMarkers(
      [
        { id: 3, t: 5e9 + 1e6, kind: 'kvm_unsupported_fsc' },
        { id: 1, t: 1e9, kind: 'mem_abort' },
        { id: 2, t: 5e9, kind: 'vmm_error' },
        { id: 4, t: 50e9, kind: 'mem_abort' },
      ],
      id,
      1000,
    );
    expect(m).toEqual([
      { x: 100, kind: 'mem_abort', ids: [1] },
      { x: 500, kind: 'vmm_error', ids: [2, 3] },
    ]);
  });
});

describe('formatTraceTime', () => {
  it('prints seconds since boot, resolving a tenth of the window (the tick spacing), digits truncated', () => {
    expect(formatTraceTime(0, 12_345_678_901n, 10e9)).toBe('12 s'); // ticks 1 s apart
    expect(formatTraceTime(0, 12_345_678_901n, 1e6)).toBe('12.3456 s'); // 100 µs apart
    expect(formatTraceTime(0, 12_345_678_901n, 1000)).toBe('12.3456789 s'); // 100 ns apart
    expect(formatTraceTime(5e8, 12_000_000_000n, 1e9)).toBe('12.5 s');
  });
  it('formats spans in human units', () => {
    expect([formatSpan(850), formatSpan(12_500), formatSpan(3_200_000), formatSpan(4.75e9)]).toEqual(['850 ns', '12.5 µs', '3.2 ms', '4.75 s']);
  });
  it('prints the counter clock (a trace clock that does not count ns) as the bare count, its spans as counts', () => {
    expect(formatTraceTime(27, 1_234_567_890_123n, 100, 'counter')).toBe('1234567890150');
    expect(formatSpan(2000, 'counter')).toBe('2000 counts');
  });
});

describe('densityPath', () => {
  it('draws every bar as a closed rectangle standing on the baseline', () => {
    expect(densityPath([{ x: 10, width: 2, height: 5 }, { x: 20.25, width: 1, height: 0.5 }], 30)).toBe('M10.0,30v-5.0h2.0v5.0zM20.3,30v-0.5h1.0v0.5z');
    expect(densityPath([], 30)).toBe('');
  });
});
