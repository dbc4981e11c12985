// Fault records from the same kernel lines in the less common dialects of a kernel log: each must give the
// record its plain dmesg form gives. The prefixes are those of the tools' format strings, cited per test.
import { describe, expect, it } from 'vitest';
import { hex, readLog } from './read-log';
import type { FaultRecord } from '../../../../main/core/ingest/fault-record';

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

describe('journal JSON: a printk record with newlines in it is one MESSAGE', () => {
  // Sample 003 (../shared/samples/logs/003-kvm-nvhe-hyp-bug-qemu-guest-host.log) as its printk records:
  // hyp_panic (arch/arm64/kvm/hyp/nvhe/switch.c) panics with "HYP panic:\nPS:%08llx PC:%016llx ESR:%016llx\n
  // FAR:%016llx HPFAR:%016llx PAR:%016llx\nVCPU:%016lx", one record, that panic() prints again at its end.
  const HYP = 'HYP panic:\nPS:400003c9 PC:0000d93a82c705ac ESR:f2000800\nFAR:0000000080080000 HPFAR:0000000000800800 PAR:0000000000000000\nVCPU:0000d93a880d0000';
  const RECORDS: readonly (readonly [number, string])[] = [
    [46_754_840, 'kvm [307]: nVHE hyp BUG at: arch/arm64/kvm/hyp/nvhe/switch.c:242!'],
    [46_755_357, 'kvm [307]: Hyp Offset: 0xfffea6c58e1e0000'],
    [46_755_824, `Kernel panic - not syncing: ${HYP}`],
    [46_756_960, 'CPU: 3 PID: 307 Comm: kvm-vcpu-0 Not tainted 5.12.0-rc3-00005-gc572b99cf65b-dirty #133'],
    [46_757_459, 'Hardware name: QEMU QEMU Virtual Machine, BIOS 0.0.0 02/06/2015'],
    [46_758_366, 'Call trace:'],
    [46_761_889, 'SMP: stopping secondary CPUs'],
    [46_813_867, `---[ end Kernel panic - not syncing: ${HYP} ]---`],
  ];
  const stamp = (us: number): string => `[${String(Math.floor(us / 1e6)).padStart(5)}.${String(us % 1e6).padStart(6, '0')}]`;
  const dmesg = RECORDS.flatMap(([us, m]) => m.split('\n').map((l) => `${stamp(us)} ${l}`)).join('\n');
  const json = RECORDS.map(([us, m]) =>
    JSON.stringify({ __REALTIME_TIMESTAMP: String(1_621_818_092_000_000 + us), _SOURCE_MONOTONIC_TIMESTAMP: String(us), _TRANSPORT: 'kernel', PRIORITY: '0', SYSLOG_IDENTIFIER: 'kernel', MESSAGE: m }),
  ).join('\n');
  const fields = (f: FaultRecord) => [f.kind, hex(f.esr), f.el, hex(f.far), hex(f.ipa), hex(f.pc), f.cpu, f.pid, f.comm, f.timeNs, f.kernel];

  it('gives the record the dmesg form gives: ESR, FAR, IPA and PC from the lines inside the MESSAGE', () => {
    const fromDmesg = readLog(dmesg).faults;
    const fromJson = readLog(json).faults;
    expect(fromDmesg.map(fields)).toEqual([['hyp_bug', '0xf2000800', 2, '0x80080000', '0x80080000', '0xd93a82c705ac', 3, 307, 'kvm-vcpu-0', 46_754_840_000n, '5.12.0-rc3-00005-gc572b99cf65b-dirty']]);
    expect(fromJson.map(fields)).toEqual(fromDmesg.map(fields));
    expect(fromJson[0]!.extra).toEqual(fromDmesg[0]!.extra);
    expect([fromJson[0]!.source.line, fromJson[0]!.source.endLine]).toEqual([1, 8]);
  });
});
