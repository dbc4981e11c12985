// Lines below are real kernel/KVM formats (DOMAIN.md §2 format strings; ../shared/samples/logs).
import { describe, expect, it } from 'vitest';
import { extractEsrValues } from '../../../renderer/state/esr-input';

describe('extractEsrValues', () => {
  it('takes bare values and lists', () => {
    expect(extractEsrValues('0x92000061')).toEqual(['0x92000061']);
    expect(extractEsrValues('0x92000061, 96000004\n0x0000000096000004')).toEqual(['0x92000061', '96000004', '0x0000000096000004']);
  });

  it('finds the ESR in the lines the kernel and KVM print', () => {
    expect(extractEsrValues('[   12.345678] kvm [1234]: Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061')).toEqual(['0x92000061']);
    expect(extractEsrValues('[    6.625500]   ESR = 0x0000000096000004')).toEqual(['0x0000000096000004']);
    expect(extractEsrValues('SError Interrupt on CPU1, code 0xbf000002 -- SError')).toEqual(['0xbf000002']);
    expect(extractEsrValues('PS:800003c9 PC:ffff8000100b1234 ESR:f2000800')).toEqual(['800003c9', 'ffff8000100b1234', 'f2000800']);
    expect(extractEsrValues('Internal error: Oops: 0000000096000004 [#1] SMP')).toEqual(['0000000096000004']);
    expect(extractEsrValues('  ESR =3D0x96000004')).toEqual(['0x96000004']);
  });

  it('leaves words, short numbers and the EC/FSC parts alone', () => {
    expect(extractEsrValues('dead face cafe 12345 EC = 0x25 FSC = 0x04')).toEqual([]);
    expect(extractEsrValues('[ 1234.56789012] 2024-01-01T10:00:00.12345678Z')).toEqual([]);
  });
});
