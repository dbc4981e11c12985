import { describe, expect, it } from 'vitest';
import type { FaultSummary } from '../../../preload/contract';
import { readContext } from '../../../renderer/state/bundle-context';
import { faultAxes, faultAxis, toFaultItems } from '../../../renderer/state/fault-items';

const base: FaultSummary = {
  id: 1,
  bundleId: 1,
  kind: 'kvm_unsupported_fsc',
  esr: '0x92000061',
  el: 2,
  far: null,
  ipa: null,
  pc: null,
  cpu: null,
  pid: 4242,
  comm: null,
  timeNs: '12500000000',
  clock: 'monotonic',
  kernel: null,
  file: 'var/log/kern.log',
  line: 7,
  endLine: 7,
  count: 1,
  firstNs: null,
  lastNs: null,
  headline: 'kvm [4242]: Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061',
};

describe('faultAxis and toFaultItems', () => {
  const faults: FaultSummary[] = [
    base,
    { ...base, id: 2, kind: 'vmm_error', esr: null, timeNs: '12500400000', headline: 'error: kvm run failed Bad address' },
    { ...base, id: 3, kind: 'mem_abort', esr: '0x96000004', timeNs: '1700000000000000000', clock: 'realtime', ipa: '0x8000001001' },
    { ...base, id: 4, kind: 'serror', esr: '0xbe000411', timeNs: null, clock: null },
  ];

  it('puts the faults of the most common clock on the axis, from the first one', () => {
    const axis = faultAxis(faults);
    expect(axis).toEqual({ clock: 'monotonic', file: null, origin: 12_500_000_000n, end: 400_000 });
  });

  it('gives times on the axis, keys from the ESR, and the device whose BAR holds the IPA', () => {
    const ctx = readContext({ pciDevices: [{ bdf: '0000:01:00.0', bars: [{ index: 1, address: '0x8000000000', size: '0x800000000' }] }] });
    const items = toFaultItems(faults, faultAxis(faults), ctx, (t) => `${t}`);
    expect(items.map((i) => i.t)).toEqual([0, 400_000, null, null]);
    expect(items.map((i) => i.timeLabel)).toEqual(['0', '400000', '(realtime)', '—']);
    expect(items[0]).toMatchObject({ ec: 0x24, fsc: 0x21, device: null });
    expect(items[2]).toMatchObject({ ec: 0x25, fsc: 0x04, ipaPage: '0x8000001000', device: '0000:01:00.0' });
  });
});

describe('faults of an earlier boot', () => {
  it("of two logs share no axis: each log's boot before its last is its own", () => {
    const faults: FaultSummary[] = [
      { ...base, id: 1, timeNs: '122564868000', clock: 'monotonic@-1', file: 'console.log' },
      { ...base, id: 2, timeNs: '23352431103000', clock: 'monotonic@-1', file: 'journal.txt' },
      { ...base, id: 3, timeNs: '29973397066000', clock: 'monotonic@-1', file: 'journal.txt' },
    ];
    const axis = faultAxis(faults);
    expect(axis).toEqual({ clock: 'monotonic@-1', file: 'journal.txt', origin: 23_352_431_103_000n, end: 6_620_965_963_000 });
    expect(toFaultItems(faults, axis, readContext({}), (t) => `${t}`).map((i) => i.timeLabel)).toEqual(['boot -1: 122.564868', '0', '6620965963000']);
  });

  it('stay off the axis of the last boot, labelled with their boot and their time in it', () => {
    const faults: FaultSummary[] = [
      base,
      { ...base, id: 2, timeNs: '122564868000', clock: 'monotonic@-1' },
      { ...base, id: 3, timeNs: '7913815000', clock: 'monotonic@-2' },
    ];
    const axis = faultAxis(faults);
    expect(axis.clock).toBe('monotonic');
    const items = toFaultItems(faults, axis, readContext({}), (t) => `${t}`);
    expect(items.map((i) => [i.t, i.timeLabel])).toEqual([
      [0, '0'],
      [null, 'boot -1: 122.564868'],
      [null, 'boot -2: 7.913815'],
    ]);
  });

  it('make their own axis where most faults are theirs; the last boot\'s then say theirs', () => {
    const faults: FaultSummary[] = [base, { ...base, id: 2, timeNs: '122564868000', clock: 'monotonic@-1' }, { ...base, id: 3, timeNs: '122564869000', clock: 'monotonic@-1' }];
    const axis = faultAxis(faults);
    expect(axis).toEqual({ clock: 'monotonic@-1', file: 'var/log/kern.log', origin: 122_564_868_000n, end: 1_000 });
    expect(toFaultItems(faults, axis, readContext({}), (t) => `${t}`).map((i) => i.timeLabel)).toEqual(['last boot: 12.500000', '0', '1000']);
  });
});

describe('the axes a bundle\'s faults can be placed on', () => {
  const faults: FaultSummary[] = [
    { ...base, id: 1, timeNs: '7913815000', clock: 'monotonic', file: 'console.log' },
    { ...base, id: 2, timeNs: '122564868000', clock: 'monotonic@-1', file: 'console.log' },
    { ...base, id: 3, timeNs: '122564900000', clock: 'monotonic@-1', file: 'console.log' },
    { ...base, id: 4, timeNs: '23352431103000', clock: 'monotonic@-1', file: 'journal.txt' },
    { ...base, id: 5, timeNs: '1700000000000000000', clock: 'realtime', file: 'kern.log' },
    { ...base, id: 6, timeNs: null, clock: null },
  ];

  it('are every clock with timed faults (an earlier boot\'s per log), the one most faults are on first', () => {
    expect(faultAxes(faults).map((c) => [c.clock, c.file, c.count])).toEqual([
      ['monotonic@-1', 'console.log', 2],
      ['monotonic', null, 1],
      ['monotonic@-1', 'journal.txt', 1],
      ['realtime', null, 1],
    ]);
  });

  it('give the axis picked, or the first when the pick is not one of them', () => {
    const [first, last] = faultAxes(faults);
    expect(faultAxis(faults, last!.key)).toEqual({ clock: 'monotonic', file: null, origin: 7_913_815_000n, end: 0 });
    expect(faultAxis(faults, 'no such axis')).toEqual(faultAxis(faults));
    expect(faultAxis(faults)).toEqual({ clock: first!.clock, file: 'console.log', origin: 122_564_868_000n, end: 32_000 });
    // Placed on the last boot's axis, the first boot's faults keep their boot in their label.
    const items = toFaultItems(faults, faultAxis(faults, last!.key), readContext({}), (t) => `${t}`);
    expect(items.map((i) => i.timeLabel)).toEqual(['0', 'boot -1: 122.564868', 'boot -1: 122.564900', 'boot -1: 23352.431103', '(realtime)', '—']);
  });
});
