// ESR field positions: Arm ARM D24.2.45 (EC [31:26]; for aborts xFSC [5:0]).
import { describe, expect, it } from 'vitest';
import { esrParts, groupKey, pageOf, type FaultItem } from '../../../renderer/state/fault-item';

describe('esrParts', () => {
  it('reads EC and, for aborts, the fault code', () => {
    expect(esrParts('0x92000061')).toEqual({ ec: 0x24, fsc: 0x21 });
    expect(esrParts('0x96000004')).toEqual({ ec: 0x25, fsc: 0x04 });
    // SError: EC 0x2f has no xFSC in [5:0] in the abort sense
    expect(esrParts('0xbe000411')).toEqual({ ec: 0x2f, fsc: null });
    expect(esrParts(null)).toEqual({ ec: null, fsc: null });
    expect(esrParts('garbage')).toEqual({ ec: null, fsc: null });
  });
});

describe('pageOf and groupKey', () => {
  const item: FaultItem = {
    id: 1,
    kind: 'kvm_unsupported_fsc',
    esr: '0x92000061',
    ec: 0x24,
    fsc: 0x21,
    ipa: '0x8000001001',
    ipaPage: pageOf('0x8000001001'),
    device: '0000:01:00.0',
    t: 0,
    timeLabel: '',
    summary: '',
    file: 'a',
    line: 1,
    endLine: 1,
    count: 1,
    cpu: null,
    pid: null,
    comm: null,
  };
  it('groups by each key', () => {
    expect(pageOf('0x8000001001')).toBe('0x8000001000');
    expect(['kind', 'ec', 'fsc', 'ipa-page', 'device', 'none'].map((g) => groupKey(item, g as never))).toEqual([
      'kvm_unsupported_fsc',
      '0x24',
      '0x21',
      '0x8000001000',
      '0000:01:00.0',
      null,
    ]);
  });
});
