// Fault records from the same kernel lines in the less common dialects of a kernel log: each must give the
// record its plain dmesg form gives. The prefixes are those of the tools' format strings, cited per test.
import { describe, expect, it } from 'vitest';
import { hex, readLog } from './read-log';

const OOPS = [
  'Unable to handle kernel NULL pointer dereference at virtual address 0000000000000038',
  'Mem abort info:',
  '  ESR = 0x96000007',
  'Internal error: Oops: 96000007 [#1] SMP',
];

describe('kern.log (rsyslog) of a kernel with CONFIG_PRINTK_CALLER', () => {
  it('reads the records after the kernel stamp and its caller id', () => {
    // kernel/printk/printk.c info_print_prefix: "[%5lu.%06lu]" then print_caller's "[%6s]", then a space.
    const text = [
      'May 24 14:00:07 myhost kernel: [    7.913815][ T1918] kvm [1918]: Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061',
      ...OOPS.map((m) => `May 24 14:00:08 myhost kernel: [    8.913815][ T1918] ${m}`),
    ].join('\n');
    const { faults } = readLog(text);
    expect(faults.map((f) => [f.kind, hex(f.esr), hex(f.far), f.pid, f.extra.since_boot_ns])).toEqual([
      ['kvm_unsupported_fsc', '0x92000061', null, 1918, '7913815000'],
      ['mem_abort', '0x96000007', '0x38', null, '8913815000'],
    ]);
  });
});

describe('dmesg -T -d and dmesg --time-format delta (util-linux sys-utils/dmesg.c print_record)', () => {
  const deltas = ['    0.000000', '    0.008924', '    0.002969', '    0.003302'];

  it('reads -T -d ("[%s <%12.06f>] ") as dmesg, the record at the date of its first line', () => {
    const text = OOPS.map((m, i) => `[Mon May 24 14:00:16 2021 <${deltas[i]!}>] ${m}`).join('\n');
    const r = readLog(text);
    expect(r.faults.map((f) => [f.kind, hex(f.esr), hex(f.far), f.timeNs, f.source.line, f.source.endLine])).toEqual([
      ['mem_abort', '0x96000007', '0x38', BigInt(Date.UTC(2021, 4, 24, 14, 0, 16)) * 1_000_000n, 1, 4],
    ]);
  });

  it('reads --time-format delta ("[<%12.06f>] "): the record, with no time (deltas to nothing)', () => {
    const text = OOPS.map((m, i) => `[<${deltas[i]!}>] ${m}`).join('\n');
    const r = readLog(text);
    expect(r.faults.map((f) => [f.kind, hex(f.esr), hex(f.far), f.timeNs, f.source.line, f.source.endLine])).toEqual([['mem_abort', '0x96000007', '0x38', null, 1, 4]]);
  });
});
