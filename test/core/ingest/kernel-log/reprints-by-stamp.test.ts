// A re-print against a second fault, in each form a kernel log is stamped in (dedup.ts). The faults are
// KVM's refusal of a guest abort (arch/arm64/kvm/mmu.c kvm_handle_guest_abort: kvm_err("Unsupported FSC:
// EC=%#x xFSC=%#lx ESR_EL2=%#lx\n")), after which its vCPU stops, and an SMMU context fault, which a
// device's DMA repeats.
// The Oops is sample 021's (../shared/samples/logs), the SError sample 013's.
import { describe, expect, it } from 'vitest';
import { readLog } from './read-log';

const FSC = 'kvm [4242]: Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061';
// arm-smmu.c arm_smmu_context_fault: a device's DMA faulting again and again, one line each time.
const CONTEXT_FAULT = 'arm-smmu 2b400000.iommu: Unhandled context fault: fsr=0x402, iova=0x00001000, fsynr=0x21, cbfrsynra=0x0, cb=1';
const OOPS = [
  'Unable to handle kernel NULL pointer dereference at virtual address 0000000000000010',
  'Mem abort info:',
  '  ESR = 0x96000006',
  'Internal error: Oops: 96000006 [#1] PREEMPT SMP',
  'CPU: 2 PID: 33 Comm: kworker/2:1 Tainted: G        W         5.4.37-rc1 #1',
  'pc : snd_soc_dapm_new_dai+0x3c/0x1b0',
];
const SERROR = ['SError Interrupt on CPU3, code 0xbf000002 -- SError', 'CPU: 3 PID: 177 Comm: devmem Not tainted', 'pc : 00000000004087b0', 'Kernel panic - not syncing: Asynchronous SError Interrupt'];

/** Three copies of `lines`, the n-th stamped by `stamp(n)` (copies 200 ms apart, where the form can say so). */
function thrice(lines: readonly string[], stamp: (n: number) => string): string {
  return [0, 1, 2].flatMap((n) => lines.map((l) => stamp(n) + l)).join('\n');
}

const faults = (text: string): number => readLog(text).faults.length;
const duplicates = (text: string): number => readLog(text).diagnostics.filter((d) => d.id === 'fault-duplicate').length;

describe('a fault printed again, or printed by a second fault, when the stamps are exact', () => {
  // printk's stamp (kernel/printk/printk.c print_time: seconds and microseconds since boot).
  it('dmesg: 200 ms apart are three faults; the same line at its stamp is one', () => {
    expect(faults(thrice([FSC], (n) => `[ 1200.${n * 2}00001] `))).toBe(3);
    expect(faults(thrice([FSC], () => '[ 1200.000001] '))).toBe(1);
  });

  it("syslog keeping the kernel's stamp (`kernel: [ 1200.200001]`): the kernel's stamp decides, not the second", () => {
    expect(faults(thrice([FSC], (n) => `Jan  2 09:00:00 kvmhost kernel: [ 1200.${n * 2}00001] `))).toBe(3);
    const once = thrice([FSC], () => 'Jan  2 09:00:00 kvmhost kernel: [ 1200.000001] ');
    expect([faults(once), duplicates(once)]).toEqual([1, 2]);
  });

  it('RFC 3339 syslog to the microsecond (rsyslog RSYSLOG_FileFormat): 200 ms apart are three faults', () => {
    expect(faults(thrice([FSC], (n) => `2024-01-02T09:00:00.${n * 2}00001+00:00 kvmhost kernel: `))).toBe(3);
    expect(faults(thrice([FSC], () => '2024-01-02T09:00:00.000001+00:00 kvmhost kernel: '))).toBe(1);
  });
});

describe('a fault printed again, or printed by a second fault, when the stamps cannot tell', () => {
  // `Jan  2 09:00:00`: rsyslog's RSYSLOG_TraditionalFileFormat, to the second. The same second for all.
  const classic = (): string => 'Jan  2 09:00:00 kvmhost kernel: ';

  it('classic syslog: identical one-line faults in one second are that many faults', () => {
    const r = readLog(thrice([CONTEXT_FAULT], classic));
    expect(r.faults.map((f) => f.source.line)).toEqual([1, 2, 3]);
    expect(r.diagnostics.filter((d) => d.id === 'fault-duplicate')).toEqual([]);
  });

  it('a log without stamps: identical one-line faults are that many faults', () => {
    expect(faults(thrice([CONTEXT_FAULT], () => ''))).toBe(3);
  });

  it('a KVM message that stops its vCPU, printed again by the same thread, is one fault; by two threads, two', () => {
    // A capture that holds the log twice (cat a.log a.log, rsyslog's imklog and imjournal both on).
    for (const prefix of [classic, (): string => '']) {
      const twice = readLog(`${prefix()}${FSC}\n${prefix()}br0: port 1(tap0) entered forwarding state\n${prefix()}${FSC}`);
      expect(twice.faults.map((f) => [f.kind, f.pid, f.extra.reprinted])).toEqual([['kvm_unsupported_fsc', 4242, 1]]);
      const two = readLog(`${prefix()}${FSC}\n${prefix()}${FSC.replace('4242', '4243')}`);
      expect(two.faults.map((f) => f.pid)).toEqual([4242, 4243]);
    }
  });

  it('an Oops printed again with its `[#N]` is one fault, in either form', () => {
    for (const prefix of [classic, (): string => '']) {
      const r = readLog(thrice(OOPS, prefix));
      expect(r.faults.map((f) => [f.extra.oops, f.cpu, f.extra.reprinted])).toEqual([[1, 2, 2]]);
    }
    // The second Oops of a boot is `[#2]`: two faults.
    const second = [...OOPS, ...OOPS.map((l) => l.replace('[#1]', '[#2]'))].join('\n');
    expect(faults(second)).toBe(2);
  });

  it('a panic printed again is one fault; panics on two CPUs are two', () => {
    expect(readLog(thrice(SERROR, () => '')).faults.map((f) => [f.kind, f.cpu, f.extra.reprinted])).toEqual([['serror', 3, 2]]);
    const other = SERROR.map((l) => l.replace('CPU3', 'CPU1').replace('CPU: 3', 'CPU: 1'));
    expect(readLog([...SERROR, ...other].join('\n')).faults.map((f) => f.cpu)).toEqual([3, 1]);
  });
});

describe("a panic's string printed again at its end, apart from its block", () => {
  // Sample 003's hyp BUG (lines cut between), with more lines of another driver between the panic and its
  // echo than the block waits through (DOMAIN.md §4: other drivers' printk lines inside a report).
  const PANIC = `[   46.754840] kvm [307]: nVHE hyp BUG at: arch/arm64/kvm/hyp/nvhe/switch.c:242!
[   46.755357] kvm [307]: Hyp Offset: 0xfffea6c58e1e0000
[   46.755824] Kernel panic - not syncing: HYP panic:
[   46.755824] PS:400003c9 PC:0000d93a82c705ac ESR:f2000800
[   46.755824] FAR:0000000080080000 HPFAR:0000000000800800 PAR:0000000000000000
[   46.755824] VCPU:0000d93a880d0000
[   46.756960] CPU: 3 PID: 307 Comm: kvm-vcpu-0 Not tainted 5.12.0-rc3-00005-gc572b99cf65b-dirty #133
[   46.761889] SMP: stopping secondary CPUs`;
  const ECHO = `[   46.813867] ---[ end Kernel panic - not syncing: HYP panic:
[   46.813867] PS:400003c9 PC:0000d93a82c705ac ESR:f2000800
[   46.813867] FAR:0000000080080000 HPFAR:0000000000800800 PAR:0000000000000000
[   46.813867] VCPU:0000d93a880d0000 ]---`;
  const noise = Array.from({ length: 80 }, (_, i) => `[   46.7700${String(i).padStart(2, '0')}] virtio_net virtio0 eth0: tx timeout ${i}`).join('\n');
  const unstamped = (text: string): string => text.replace(/^\[[ \d.]+\] /gm, '');

  it('is one record, the panic, in a stamped log and in one without stamps', () => {
    for (const text of [[PANIC, noise, ECHO].join('\n'), unstamped([PANIC, noise, ECHO].join('\n'))]) {
      const r = readLog(text);
      expect(r.faults.map((f) => [f.kind, f.cpu, f.source.line, f.extra.reprinted])).toEqual([['hyp_bug', 3, 1, 1]]);
    }
  });

  it('is a record of its own when it repeats another string', () => {
    const other = ECHO.replace(/ESR:f2000800/g, 'ESR:96000046');
    expect(readLog([PANIC, noise, other].join('\n')).faults.map((f) => f.kind)).toEqual(['hyp_bug', 'hyp_panic']);
  });
});
