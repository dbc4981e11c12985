// `faultline decode` as scripts use it (issue 3 CLI contract): values as arguments or on stdin, the JSON
// line shape, one-line errors for bad values with exit 1, usage errors with exit 2.
import { describe, expect, it } from 'vitest';
import { runFaultline } from '../helpers/cli';

const KEYS = ['esr', 'ec', 'il', 'ec_name', 'ec_description', 'iss', 'iss2', 'fields', 'fsc', 'sysreg_name', 'warnings', 'kvm'];

describe('faultline decode', () => {
  it('--json prints one object per value with the contract keys, in order', async () => {
    const r = await runFaultline(['decode', '--json', '--el', '2', '0x92000061']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const obj = JSON.parse(lines[0] as string) as Record<string, unknown>;
    expect(Object.keys(obj)).toEqual(KEYS);
    expect(obj).toMatchObject({
      esr: '0x92000061',
      ec: 0x24,
      il: 1,
      ec_name: 'DABT_LOW',
      fields: { isv: 0, wnr: 1, dfsc: 33 },
      fsc: { code: 33, type: 'alignment', level: null, reserved: false },
      sysreg_name: null,
      warnings: [],
      kvm: { path: 'unsupported_fsc', errno: 'EFAULT' },
    });
  });

  it('reads the spellings logs use: 0x-prefixed, bare, zero-padded 64-bit', async () => {
    const r = await runFaultline(['decode', '--json', '0x96000004', '96000004', '0000000096000004', 'F2000800']);
    const esrs = r.stdout.trimEnd().split('\n').map((l) => (JSON.parse(l) as { esr: string }).esr);
    expect(esrs).toEqual(['0x96000004', '0x96000004', '0x96000004', '0xf2000800']);
  });

  it('batch mode: streams values from stdin; a bad value gets a one-line error naming it, the rest decode, exit 1', async () => {
    const r = await runFaultline(['decode', '--json'], { stdin: '0x96000004 nothex\n  f2000800\t0x1_0000_0000_0000_0000\n0x5a000000' });
    expect(r.code).toBe(1);
    const esrs = r.stdout.trimEnd().split('\n').map((l) => (JSON.parse(l) as { esr: string }).esr);
    expect(esrs).toEqual(['0x96000004', '0xf2000800', '0x5a000000']);
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      'faultline decode: not a hexadecimal value: "nothex"',
      'faultline decode: more than 64 bits: 0x1_0000_0000_0000_0000',
    ]);
  });

  it('--decimal reads decimal values', async () => {
    const r = await runFaultline(['decode', '--json', '--decimal', String(0x96000004)]);
    expect((JSON.parse(r.stdout) as { esr: string }).esr).toBe('0x96000004');
  });

  it('--far/--hpfar add the addresses; the JSON keeps its shape', async () => {
    const r = await runFaultline(['decode', '--json', '--el', '2', '--hpfar', '0x800800', '--far', '0x80080000', '0xf2000800']);
    const obj = JSON.parse(r.stdout) as { warnings: string[] };
    expect(Object.keys(obj)).toEqual(KEYS);
    expect(obj.warnings.join()).toMatch(/HPFAR_EL2 is only written for aborts/);
  });

  it('prints a field tree by default and the kernel block with --kernel', async () => {
    const tree = await runFaultline(['decode', '0x96000005', '0x92000061']);
    expect(tree.code).toBe(0);
    expect(tree.stdout).toMatch(/^ESR 0x96000005 {2}DABT_CUR/);
    expect(tree.stdout).toMatch(/\n\nESR 0x92000061 {2}DABT_LOW/);
    const block = await runFaultline(['decode', '--kernel', '--kernel-version', '6.1.45', '0x96000005']);
    expect(block.stdout).toBe(
      'Mem abort info:\n  ESR = 0x0000000096000005\n  EC = 0x25: DABT (current EL), IL = 32 bits\n  SET = 0, FnV = 0\n' +
        '  EA = 0, S1PTW = 0\n  FSC = 0x05: level 1 translation fault\nData abort info:\n  ISV = 0, ISS = 0x00000005\n  CM = 0, WnR = 0\n',
    );
  });

  it('usage errors exit 2', async () => {
    expect((await runFaultline(['decode', '--el', '3', '0x1'])).code).toBe(2);
    expect((await runFaultline(['decode', '--json', '--kernel', '0x1'])).code).toBe(2);
    expect((await runFaultline(['decode', '--far', 'zz', '0x1'])).code).toBe(2);
    expect((await runFaultline(['decode', '--bogus'])).code).toBe(2);
  });

  it('--help prints the usage', async () => {
    const r = await runFaultline(['decode', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: faultline decode/);
  });
});
