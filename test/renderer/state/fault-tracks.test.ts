import { describe, expect, it } from 'vitest';
import type { FaultItem } from '../../../renderer/state/fault-item';
import { fullDomain, tracksFromFaults } from '../../../renderer/state/fault-tracks';

const item = (id: number, file: string, t: number | null): FaultItem => ({
  id, kind: 'mem_abort', esr: null, ec: null, fsc: null, ipa: null, ipaPage: null, device: null, t, timeLabel: '', summary: '',
  file, line: 1, endLine: 1, count: 1, cpu: null, pid: null, comm: null,
});

describe('tracksFromFaults', () => {
  it('makes one track per file with a timed fault, ordered by its first fault', () => {
    const tracks = tracksFromFaults([item(1, 'var/log/qemu/vm0.log', 50), item(2, 'sos_commands/kernel/dmesg', 10), item(3, 'var/log/kern.log', null), item(4, 'var/log/qemu/vm0.log', 5)]);
    expect(tracks).toEqual([
      { id: 'file:var/log/qemu/vm0.log', label: 'qemu/vm0.log' },
      { id: 'file:sos_commands/kernel/dmesg', label: 'kernel/dmesg' },
    ]);
  });
});

describe('fullDomain', () => {
  it('pads the span by 3 % and never starts before the clock zero', () => {
    expect(fullDomain(100e9, 50_000_000_000n)).toEqual({ start: -3e9, end: 103e9 });
    expect(fullDomain(100e9, 1_000_000_000n)).toEqual({ start: -1e9, end: 103e9 });
    expect(fullDomain(0, 5_000_000_000n)).toEqual({ start: -1e9, end: 1e9 });
  });
});
