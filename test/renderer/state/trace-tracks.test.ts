import { describe, expect, it } from 'vitest';
import type { TimelineBuckets } from '../../../preload/contract';
import { densityTracks, windowRequest } from '../../../renderer/state/trace-tracks';

const r: TimelineBuckets = {
  fromNs: '412880000000',
  toNs: '412884000000',
  bucketNs: 1_000_000,
  source: 'summary',
  tracks: [
    { kind: 'cpu', key: '12', label: 'CPU 12', counts: [0, 3, 0, 1], hostNs: null },
    { kind: 'event', key: 'kvm_exit', label: 'kvm_exit', counts: [1, 1, 1, 1], hostNs: null },
    { kind: 'vcpu', key: '4325', label: 'vCPU 0', counts: [2, 0, 0, 0], hostNs: [5, 0, 0, 0] },
    { kind: 'cpu', key: '2', label: 'CPU 2', counts: [1, 0, 0, 0], hostNs: null },
  ],
};

describe('densityTracks', () => {
  it('keeps VM, vCPU and CPU tracks in that order, buckets placed on the axis', () => {
    const t = densityTracks(r, 412_881_000_000n);
    expect(t.map((x) => x.label)).toEqual(['vCPU 0', 'CPU 2', 'CPU 12']);
    expect(t[2]?.buckets[1]).toEqual({ start: 0, width: 1_000_000, count: 3 });
    expect(t[2]?.buckets[0]?.start).toBe(-1_000_000);
  });
  it('has nothing for a bundle without traces', () => {
    expect(densityTracks({ ...r, source: 'empty', bucketNs: 0, tracks: [] }, 0n)).toEqual([]);
  });
});

describe('windowRequest', () => {
  it('turns a window on the axis back into absolute decimal ns, never below zero', () => {
    expect(windowRequest(-5e9, 2.5e9, 1_000_000_000n)).toEqual({ fromNs: '0', toNs: '3500000000' });
  });
});
