// Text renderings. The kernel block's expected lines come from the format strings of Linux
// arch/arm64/mm/fault.c mem_abort_decode()/data_abort_decode() (v6.7+: ISS2, TnD/TagAccess and the
// GCS/Overlay/DirtyBit/Xs line), worked by hand for the value; the older layouts are checked against real
// logs in samples.test.ts.
import { describe, expect, it } from 'vitest';
import { decodeEsr, renderEsrTree, renderMemAbortInfo } from '../../../main/core/esr/index';

describe('renderMemAbortInfo', () => {
  it('prints the instruction syndrome block of a v6.7+ kernel for ISV=1', () => {
    // 0x93c08047: DABT_LOW, ISV=1, SAS=0b11 (8 bytes), SSE=0, SRT=0, SF=1, AR=0, WnR=1, DFSC 0x07.
    expect(renderMemAbortInfo(decodeEsr(0x93c08047n), { kernel: '6.12' })).toBe(
      [
        'Mem abort info:',
        '  ESR = 0x0000000093c08047',
        '  EC = 0x24: DABT (lower EL), IL = 32 bits',
        '  SET = 0, FnV = 0',
        '  EA = 0, S1PTW = 0',
        '  FSC = 0x07: level 3 translation fault',
        'Data abort info:',
        '  Access size = 8 byte(s)',
        '  SSE = 0, SRT = 0',
        '  SF = 1, AR = 0',
        '  CM = 0, WnR = 1, TnD = 0, TagAccess = 0',
        '  GCS = 0, Overlay = 0, DirtyBit = 0, Xs = 0',
        '',
      ].join('\n'),
    );
  });

  it('prints ISS2 in the ISV=0 line from v6.7, and not before', () => {
    const v = (BigInt(1 << 8) << 32n) | 0x92000061n;
    expect(renderMemAbortInfo(decodeEsr(v), { kernel: '6.7' })).toContain('  ISV = 0, ISS = 0x00000061, ISS2 = 0x00000100\n');
    expect(renderMemAbortInfo(decodeEsr(v), { kernel: '6.7' })).toContain('  GCS = 1, Overlay = 0, DirtyBit = 0, Xs = 0\n');
    expect(renderMemAbortInfo(decodeEsr(v), { kernel: '6.6' })).toContain('  ISV = 0, ISS = 0x00000061\n');
  });

  it('has no Data abort info for an instruction abort', () => {
    expect(renderMemAbortInfo(decodeEsr(0x86000007n), { kernel: '6.1' })).not.toContain('Data abort info');
  });
});

describe('renderEsrTree', () => {
  it('lists fields in bit order, marks the ones that mean nothing, and ends with warnings', () => {
    const text = renderEsrTree(decodeEsr(0x01000000_92000061n, { el: 2 }));
    const lines = text.split('\n');
    const at = (name: string): number => lines.findIndex((l) => l.trim().replace(/^-/, '').startsWith(name + ' '));
    expect(at('EC')).toBeLessThan(at('IL'));
    expect(at('ISV')).toBeLessThan(at('WnR'));
    expect(at('WnR')).toBeLessThan(at('DFSC'));
    expect(lines[at('FnV')]).toMatch(/^\s+-FnV/);
    expect(lines[at('WnR')]).toMatch(/^\s+ WnR\s+\[6\]\s+1\s+abort caused by writing/);
    expect(text).toContain('prints: kvm [PID]: Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x100000092000061');
    expect(text).toMatch(/Warnings:\n {2}! bits \[63:56\] are RES0 but read 0x1\n$/);
  });
});
