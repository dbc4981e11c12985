// Fault assembly from lines written from the kernel's, QEMU's and the SMMU drivers' format strings
// (main/core/ingest/kernel-log/patterns.ts cites each), and the damage real logs carry
// (../shared/docs/DOMAIN.md §4). Expected values are the fields those format strings print.
import { describe, expect, it } from 'vitest';
import { hex, readLog } from './read-log';
import type { FaultRecord } from '../../../../main/core/ingest/fault-record';
import { mayMatter } from '../../../../main/core/ingest/kernel-log/openers';

const MEM_ABORT_519 = `[   45.100000] Unable to handle kernel paging request at virtual address ffff800012345678
[   45.100010] Mem abort info:
[   45.100011]   ESR = 0x0000000096000047
[   45.100012]   EC = 0x25: DABT (current EL), IL = 32 bits
[   45.100013]   SET = 0, FnV = 0
[   45.100014]   EA = 0, S1PTW = 0
[   45.100015]   FSC = 0x07: level 3 translation fault
[   45.100016] Data abort info:
[   45.100017]   ISV = 0, ISS = 0x00000047
[   45.100018]   CM = 0, WnR = 1
[   45.100019] swapper pgtable: 4k pages, 48-bit VAs, pgdp=0000000081c1d000
[   45.100020] [ffff800012345678] pgd=10000000bffff003, p4d=10000000bffff003, pud=10000000bfffe003, pmd=0000000000000000
[   45.100030] Internal error: Oops: 0000000096000047 [#1] PREEMPT SMP
[   45.100031] Modules linked in: vfio_pci vfio_pci_core
[   45.100032] CPU: 5 PID: 812 Comm: modprobe Not tainted 6.1.0-18-arm64 #1  Debian 6.1.76-1
[   45.100033] Hardware name: Ampere Altra (DT)
[   45.100034] pstate: 60400009 (nZCv daif +PAN -UAO -TCO -DIT -SSBS BTYPE=--)
[   45.100035] pc : vfio_pci_core_init+0x24/0x80 [vfio_pci_core]
[   45.100036] lr : do_one_initcall+0x4c/0x1d0
[   45.100037] Call trace:
[   45.100038]  vfio_pci_core_init+0x24/0x80 [vfio_pci_core]
[   45.100039]  do_one_initcall+0x4c/0x1d0
[   45.100040] Code: d2800001 f9000bf3 aa0003f3 (f9000020)
[   45.100041] ---[ end trace 0000000000000000 ]---`;

describe('mem_abort', () => {
  it('reads a 5.19+ report: 64-bit ESR, FAR from the header, CPU/PID/Comm, kernel, range', () => {
    const { faults, context } = readLog(MEM_ABORT_519);
    expect(faults).toHaveLength(1);
    const f = faults[0]!;
    expect([f.kind, hex(f.esr), hex(f.far), f.cpu, f.pid, f.comm, f.kernel]).toEqual(['mem_abort', '0x96000047', '0xffff800012345678', 5, 812, 'modprobe', '6.1.0-18-arm64']);
    expect([f.source.line, f.source.endLine, f.timeNs, f.el]).toEqual([1, 24, 45_100_000_000n, 1]);
    expect(f.extra).toMatchObject({ reason: 'paging request', fsc_name: 'level 3 translation fault', pc_symbol: 'vfio_pci_core_init+0x24/0x80', oops: 1, pgtable: 'swapper' });
    expect(context).toContainEqual({ kind: 'paging', pageSizeKiB: 4, vaBits: 48 });
  });

  it('reads a kernel pc without a symbol (%pS prints the bare address as 0x%lx)', () => {
    const { faults } = readLog(MEM_ABORT_519.replace('pc : vfio_pci_core_init+0x24/0x80 [vfio_pci_core]', 'pc : 0xffff800008001234'));
    expect(faults.map((f) => [hex(f.pc), f.extra.pc_symbol ?? null])).toEqual([['0xffff800008001234', null]]);
  });

  it('takes the ESR from Internal error when Mem abort info has none (4.14) and reads Unhandled fault', () => {
    const { faults } = readLog(`Unhandled fault: synchronous external abort (0x96000210) at 0xffff000008c4a000
Internal error: : 96000210 [#1] PREEMPT SMP
CPU: 2 PID: 1 Comm: swapper/0 Not tainted 4.14.98 #1
pc : [<ffff0000085c1a2c>] lr : [<ffff0000085c19f0>] pstate: 60000145`);
    expect(faults.map((f) => [f.kind, hex(f.esr), hex(f.far), hex(f.pc), f.comm])).toEqual([['sync_external_abort', '0x96000210', '0xffff000008c4a000', '0xffff0000085c1a2c', 'swapper/0']]);
  });

  it('classifies a BRK-class Oops as kernel_bug, with the BUG location', () => {
    const { faults } = readLog(`------------[ cut here ]------------
kernel BUG at fs/ext4/inode.c:2674!
Internal error: Oops - BUG: 00000000f2000800 [#1] PREEMPT SMP
CPU: 0 PID: 44 Comm: kworker/u16:2 Not tainted 6.6.0 #1
pc : ext4_writepages+0xd08/0xd10
---[ end trace 0000000000000000 ]---`);
    expect(faults.map((f) => [f.kind, hex(f.esr), f.extra.bug_at, f.source.line])).toEqual([['kernel_bug', '0xf2000800', 'fs/ext4/inode.c:2674', 2]]);
  });

  it('gives no record for BUG/WARNING splats without an ESR', () => {
    expect(readLog(`BUG: sleeping function called from invalid context at kernel/locking/rtmutex.c:968
WARNING: CPU: 0 PID: 1430 at kernel/sched/core.c:7366 migrate_enable+0x21c/0x428
kernel BUG at mm/slub.c:306!
Call trace:
 dump_backtrace+0x0/0x130`).faults).toEqual([]);
  });

  it('reads a user-space fault with an ESR (old and new messages) and ignores one without', () => {
    const { faults } = readLog(`a.out[1234]: unhandled level 2 translation fault (11) at 0x00000008, esr 0x92000046
a.out[1234]: unhandled exception: DABT (lower EL), ESR 0x0000000092000047, level 3 translation fault in a.out[400000+1000]
CPU: 1 PID: 1234 Comm: a.out Not tainted 6.1.0 #1
pc : 0000000000400580
a.out[99]: unhandled exception: BRK (AArch64), ESR 0x00000000f2000000, Unknown in a.out[400000+1000]`);
    expect(faults.map((f) => [f.kind, hex(f.esr), hex(f.far), f.pid, f.comm, hex(f.pc)])).toEqual([
      ['mem_abort', '0x92000046', '0x8', 1234, 'a.out', null],
      ['mem_abort', '0x92000047', null, 1234, 'a.out', '0x400580'],
    ]);
  });

  it('keeps recursive aborts apart (a new header is a new fault)', () => {
    const one = MEM_ABORT_519.split('\n').slice(0, 13).join('\n');
    expect(readLog(`${one}\n${one.replace(/ffff800012345678/g, 'ffff8000deadbeef').replace(/45\.1/g, '45.2')}`).faults.map((f) => hex(f.far))).toEqual(['0xffff800012345678', '0xffff8000deadbeef']);
  });
});

describe('repairs of damaged logs', () => {
  it('re-joins a header wrapped before the address and a hex value wrapped in the middle', () => {
    const { faults } = readLog(`[  122.564868] 000: Unable to handle kernel paging request at virtual address
ffff001f11e1e436
[  122.564871] 000: Mem abort info:
[  122.564872] 000:   ESR = 0x00000000960
00021
[  122.564944] 000: Internal error: Oops: 96000021 [#1] PREEMPT SMP`);
    expect(faults.map((f) => [hex(f.far), hex(f.esr), f.cpu])).toEqual([['0xffff001f11e1e436', '0x96000021', 0]]);
  });

  it('splits a LAVA line injected into another and re-joins the interrupted line', () => {
    const { faults } = readLog(`<1>[   45.834000] Unable to handle kernel NULL pointer dereference at virtual addr<5>[   45.834484] random: fast init done
ess 0000000000000010
<1>[   45.834500] Mem abort info:
<1>[   45.834510]   ESR = 0x96000006
<0>[   45.834600] Internal error: Oops: 96000006 [#1] PREEMPT SMP`);
    expect(faults.map((f) => [hex(f.far), hex(f.esr)])).toEqual([['0x10', '0x96000006']]);
  });

  it('keeps two CPUs\' interleaved reports apart (PREEMPT_RT CPU prefixes)', () => {
    const { faults } = readLog(`[  10.000000] 001: Unable to handle kernel NULL pointer dereference at virtual address 0000000000000008
[  10.000001] 002: Unable to handle kernel NULL pointer dereference at virtual address 0000000000000010
[  10.000002] 001: Mem abort info:
[  10.000003] 002: Mem abort info:
[  10.000004] 002:   ESR = 0x96000005
[  10.000005] 001:   ESR = 0x96000004
[  10.000006] 001: Internal error: Oops: 96000004 [#1] SMP
[  10.000007] 002: Internal error: Oops: 96000005 [#2] SMP`);
    expect(faults.map((f) => [f.cpu, hex(f.far), hex(f.esr)]).sort()).toEqual([
      [1, '0x8', '0x96000004'],
      [2, '0x10', '0x96000005'],
    ]);
  });

  it('keeps two tasks\' interleaved reports apart by their printk caller ids (CONFIG_PRINTK_CALLER)', () => {
    const { faults } = readLog(`[  10.000000] [ T1918] Unable to handle kernel NULL pointer dereference at virtual address 0000000000000008
[  10.000001] [  T245] Unable to handle kernel NULL pointer dereference at virtual address 0000000000000010
[  10.000002] [ T1918] Mem abort info:
[  10.000003] [  T245] Mem abort info:
[  10.000004] [  T245]   ESR = 0x96000005
[  10.000005] [ T1918]   ESR = 0x96000004
[  10.000006] [ T1918] Internal error: Oops: 96000004 [#1] SMP
[  10.000007] [ T1918] CPU: 1 PID: 1918 Comm: qemu-system-aar Not tainted 6.1.0 #1
[  10.000008] [  T245] Internal error: Oops: 96000005 [#2] SMP
[  10.000009] [  T245] CPU: 3 PID: 245 Comm: kworker/3:1 Not tainted 6.1.0 #1`);
    expect(faults.map((f) => [f.pid, f.cpu, hex(f.far), hex(f.esr)]).sort()).toEqual([
      [1918, 1, '0x8', '0x96000004'],
      [245, 3, '0x10', '0x96000005'],
    ]);
    // Each record's text is its own report's lines, not the other's printed between them.
    for (const f of faults) {
      const lines = f.text.split('\n');
      const own = f.pid === 1918 ? '[ T1918]' : '[  T245]';
      expect(lines.length, own).toBe(5);
      expect(lines.every((l) => l.includes(own)), own).toBe(true);
    }
  });

  it("keeps two SMMUs' interleaved event records apart (each SMMU's queue thread prints its own)", () => {
    // drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.c arm_smmu_evtq_thread: "event 0x%02x received:", then each
    // dword "\t0x%016llx", by dev_info: the device names every line.
    const { faults } = readLog(`[ 6542.670624] arm-smmu-v3 arm-smmu-v3.2.auto: event 0x10 received:
[ 6542.670625] arm-smmu-v3 arm-smmu-v3.3.auto: event 0x10 received:
[ 6542.670630] arm-smmu-v3 arm-smmu-v3.2.auto: 	0x00007d1200000010
[ 6542.670631] arm-smmu-v3 arm-smmu-v3.3.auto: 	0x0000030000000010
[ 6542.670632] arm-smmu-v3 arm-smmu-v3.2.auto: 	0x000012000000007c
[ 6542.670633] arm-smmu-v3 arm-smmu-v3.3.auto: 	0x0000020800000000
[ 6542.670634] arm-smmu-v3 arm-smmu-v3.2.auto: 	0x00000000fffef040
[ 6542.670635] arm-smmu-v3 arm-smmu-v3.3.auto: 	0x0000000012340000
[ 6542.670636] arm-smmu-v3 arm-smmu-v3.2.auto: 	0x00000000fffef000
[ 6542.670637] arm-smmu-v3 arm-smmu-v3.3.auto: 	0x0000000000000000`);
    expect(faults.map((f) => [f.extra.smmu, hex(f.far), hex(f.ipa), f.text.split('\n').length])).toEqual([
      ['arm-smmu-v3.2.auto', '0xfffef040', '0xfffef000', 5],
      ['arm-smmu-v3.3.auto', '0x12340000', null, 5],
    ]);
  });

  it('merges a chunk a serial capture printed twice into one record', () => {
    const chunk = MEM_ABORT_519.split('\n').slice(0, 14).join('\n');
    const r = readLog(`${chunk}\n${chunk}`);
    expect(r.faults).toHaveLength(1);
    expect(r.faults[0]!.extra.reprinted).toBe(1);
    expect(r.diagnostics.map((d) => d.id)).toContain('fault-duplicate');
  });

  it('keeps two SErrors on different CPUs 228 µs apart as two records', () => {
    const { faults } = readLog(`[ 1200.000100] SError Interrupt on CPU1, code 0x00000000bf000002 -- SError
[ 1200.000328] SError Interrupt on CPU6, code 0x00000000bf000002 -- SError
[ 1200.000400] Kernel panic - not syncing: Asynchronous SError Interrupt`);
    expect(faults.map((f) => [f.kind, f.cpu, hex(f.esr), f.timeNs])).toEqual([
      ['serror', 1, '0xbf000002', 1_200_000_100_000n],
      ['serror', 6, '0xbf000002', 1_200_000_328_000n],
    ]);
  });

  it('splits a kernel line printed over a shell prompt on a serial console', () => {
    const SEED = 'kvm [2001]: Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061';
    const r = readLog(`[  412.880700] virbr0: port 1(vnet0) entered forwarding state\r
root@kvmhost01:~# [  412.880753] ${SEED}\r
[  412.880801] virbr0: port 1(vnet0) entered disabled state\r`);
    expect(r.faults.map((f) => [f.kind, hex(f.esr), f.pid, f.timeNs, f.source.line, f.source.endLine])).toEqual([['kvm_unsupported_fsc', '0x92000061', 2001, 412_880_753_000n, 2, 2]]);
    expect(r.diagnostics.map((d) => d.id)).toEqual(['line-injected']);
    // The first line of an Oops printed over the prompt opens its record, at its own time.
    const oops = MEM_ABORT_519.split('\n');
    const { faults } = readLog([oops[0]!.replace(/^/, 'root@kvmhost01:~# '), ...oops.slice(1)].join('\n'));
    expect(faults.map((f) => [f.kind, hex(f.far), hex(f.esr), f.timeNs, f.source.line])).toEqual([['mem_abort', '0xffff800012345678', '0x96000047', 45_100_000_000n, 1]]);
  });

  it('never takes a console\'s status lines or prompt for the wrapped end of a kernel line', () => {
    const oops = MEM_ABORT_519.split('\n');
    const noisy = [...oops.slice(0, 4), '[  OK  ] Started Session 3 of user root.', ...oops.slice(4, 9), 'root@kvmhost01:~# ', ...oops.slice(9)];
    const r = readLog(noisy.join('\n'));
    expect(r.diagnostics.filter((d) => d.id === 'line-wrapped')).toEqual([]);
    const fields = (f: FaultRecord): unknown[] => [f.kind, hex(f.far), hex(f.esr), f.cpu, f.pid, f.comm, f.timeNs, f.kernel];
    expect(r.faults.map(fields)).toEqual([['mem_abort', '0xffff800012345678', '0x96000047', 5, 812, 'modprobe', 45_100_000_000n, '6.1.0-18-arm64']]);
  });

  it('re-joins a wrapped line of a log pasted after a few lines of prose', () => {
    const SEED = 'kvm [2001]: Unsupported FSC: EC=0x24 xFSC=0x21';
    const mail = `Hi all,

we see this on every boot of the guest with the GPU passed through, since the
upgrade to 6.1; the host log around it is below, the full one is attached.

> [  412.880753] ${SEED}
> ESR_EL2=0x92000061
> [  412.880801] ${SEED} ESR_EL2=0x92000061`;
    expect(readLog(mail).faults.map((f) => [f.kind, hex(f.esr), f.source.line, f.source.endLine])).toEqual([
      ['kvm_unsupported_fsc', '0x92000061', 6, 7],
      ['kvm_unsupported_fsc', '0x92000061', 8, 8],
    ]);
  });

  it('reads a kern.log whose lines end in rsyslog\'s escaped CR (#015) as the same log without it', () => {
    const USER_FAULT = [
      '[   45.100000] a.out[1234]: unhandled exception: DABT (lower EL), ESR 0x0000000092000047, level 3 translation fault in a.out[400000+1000]',
      '[   45.100001] CPU: 1 PID: 1234 Comm: a.out Not tainted 6.1.0 #1',
      '[   45.100002] pc : 0000000000400580',
    ];
    const kern = (lines: string[], end: string): string => lines.map((l) => `May 24 14:33:18 myhost kernel: ${l}${end}`).join('\n');
    const fields = (f: FaultRecord): unknown[] => [f.kind, hex(f.esr), hex(f.far), hex(f.pc), f.cpu, f.pid, f.comm, f.timeNs, f.source.line, f.source.endLine, f.extra.pc_symbol ?? null];
    for (const lines of [MEM_ABORT_519.split('\n'), USER_FAULT]) {
      const plain = readLog(kern(lines, '')).faults.map(fields);
      expect(plain).toHaveLength(1);
      expect(readLog(kern(lines, '#015')).faults.map(fields)).toEqual(plain);
    }
  });

  it('reads dmesg --time-format iso: the message follows the date, no host or program name', () => {
    // util-linux dmesg print_timestamp: "%04d-%02d-%02dT%02d:%02d:%02d,%06ld%+03d:%02d"
    const iso = MEM_ABORT_519.replace(/^\[\s*45\.(\d{6})\] /gm, (_m, us: string) => `2024-05-24T14:33:45,${us}+02:00 `);
    const { faults } = readLog(iso);
    expect(faults.map((f) => [f.kind, hex(f.esr), hex(f.far), f.cpu, f.pid, f.comm, f.kernel, f.timeNs])).toEqual([
      ['mem_abort', '0x96000047', '0xffff800012345678', 5, 812, 'modprobe', '6.1.0-18-arm64', BigInt(Date.UTC(2024, 4, 24, 12, 33, 45)) * 1_000_000n + 100_000_000n],
    ]);
  });

  it('reads RFC 5424 syslog lines (rsyslog\'s protocol-23 format), structured data or none', () => {
    // RFC 5424 §6: <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA MSG
    const r5424 = MEM_ABORT_519.split('\n')
      .map((l, i) => `<${i === 0 ? 1 : 4}>1 2024-05-24T14:33:45.${String(i).padStart(6, '0')}+02:00 myhost kernel - - ${i % 2 ? '[origin software="rsyslogd" x="a\\"]"]' : '-'} ${l}`)
      .join('\n');
    const { faults } = readLog(r5424);
    expect(faults.map((f) => [f.kind, hex(f.esr), hex(f.far), f.cpu, f.pid, f.comm, f.kernel, f.timeNs, f.source.line, f.source.endLine])).toEqual([
      ['mem_abort', '0x96000047', '0xffff800012345678', 5, 812, 'modprobe', '6.1.0-18-arm64', BigInt(Date.UTC(2024, 4, 24, 12, 33, 45)) * 1_000_000n, 1, 24],
    ]);
  });

  it('says that dmesg -H times are to the minute, and only for that form', () => {
    const SEED = 'kvm [2001]: Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061';
    const human = readLog(`[May24 14:33] virbr0: port 1(vnet0) entered forwarding state\n[  +0.000053] ${SEED}`);
    expect(human.faults.map((f) => hex(f.esr))).toEqual(['0x92000061']);
    expect(human.diagnostics.map((d) => d.id)).toContain('time-to-the-minute');
    const ctime = readLog(`[Fri May 24 14:33:12 2024] virbr0: port 1(vnet0) entered forwarding state\n[Fri May 24 14:33:12 2024] ${SEED}`);
    expect(ctime.faults.map((f) => hex(f.esr))).toEqual(['0x92000061']);
    expect(ctime.diagnostics.map((d) => d.id)).not.toContain('time-to-the-minute');
  });

  it('reads a report pasted with mail quotes and function-name prefixes', () => {
    const { faults } = readLog(`> [  803.014258] kvm [19040]: Unsupported guest sys_reg access at: 8129fa50 [600003c9]
>                  { Op0( 3), Op1( 5), CRn( 1), CRm( 0), Op2( 2), func_read },`);
    expect(faults.map((f) => [f.kind, f.pid, hex(f.pc), f.extra.sysreg, f.extra.direction])).toEqual([['kvm_sysreg_trap', 19040, '0x8129fa50', 'S3_5_C1_C0_2', 'read']]);
  });
});

describe('KVM, hypervisor, SMMU and VMM records', () => {
  it('reads Unsupported FSC (the seed case) as ESR_EL2 with the vCPU thread pid', () => {
    const { faults } = readLog('[  412.883121] kvm [4325]: Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061');
    expect(faults.map((f) => [f.kind, hex(f.esr), f.el, f.pid, f.extra.ec, f.extra.xfsc])).toEqual([['kvm_unsupported_fsc', '0x92000061', 2, 4325, '0x24', '0x21']]);
  });

  it('reads the no-valid-syndrome messages of both generations', () => {
    const { faults } = readLog(`[ 10.0] kvm [1201]: Data abort outside memslots with no valid syndrome info
[ 11.0] kvm [1202]: load/store instruction decoding not implemented`);
    expect(faults.map((f) => [f.kind, f.pid, f.esr])).toEqual([
      ['kvm_nisv', 1201, null],
      ['kvm_nisv', 1202, null],
    ]);
  });

  it('reads a standalone HYP panic with its echo as one record, IPA from HPFAR and FAR', () => {
    const { faults } = readLog(`[ 5.000000] Kernel panic - not syncing: HYP panic:
[ 5.000000] PS:600003c9 PC:ffff800010123456 ESR:0000000096000046
[ 5.000000] FAR:0000000012345678 HPFAR:0000000000123450 PAR:0000000000000000
[ 5.000000] VCPU:ffff000812345000
[ 5.000001] CPU: 2 PID: 998 Comm: CPU 0/KVM Not tainted 6.1.0 #1
[ 5.100000] ---[ end Kernel panic - not syncing: HYP panic:
[ 5.100000] PS:600003c9 PC:ffff800010123456 ESR:0000000096000046
[ 5.100000] FAR:0000000012345678 HPFAR:0000000000123450 PAR:0000000000000000
[ 5.100000] VCPU:ffff000812345000 ]---`);
    expect(faults).toHaveLength(1);
    const f = faults[0]!;
    expect([f.kind, hex(f.esr), hex(f.pc), hex(f.far), hex(f.ipa), f.comm, f.source.endLine]).toEqual(['hyp_panic', '0x96000046', '0xffff800010123456', '0x12345678', '0x12345678', 'CPU 0/KVM', 9]);
  });

  it('reads a HYP panic whose string dmesg printed as one indented multi-line record', () => {
    const { faults } = readLog(`[   46.754840] kvm [307]: nVHE hyp BUG at: arch/arm64/kvm/hyp/nvhe/switch.c:242!
[   46.755824] Kernel panic - not syncing: HYP panic:
               PS:400003c9 PC:0000d93a82c705ac ESR:f2000800
               FAR:0000000080080000 HPFAR:0000000000800800 PAR:0000000000000000
               VCPU:0000d93a880d0000
[   46.756960] CPU: 3 PID: 307 Comm: kvm-vcpu-0 Not tainted 5.12.0-rc3 #133`);
    expect(faults.map((f) => [f.kind, hex(f.esr), hex(f.ipa), f.pid, f.timeNs])).toEqual([['hyp_bug', '0xf2000800', '0x80080000', 307, 46_754_840_000n]]);
  });

  it('reads an SMMUv3 event printed as two 32-bit halves per dword', () => {
    const { faults } = readLog(`[ 1.0] arm-smmu-v3 arm-smmu-v3.0.auto: event 0x10 received:
[ 1.0] arm-smmu-v3 arm-smmu-v3.0.auto: 0x00000180 00000010
[ 1.0] arm-smmu-v3 arm-smmu-v3.0.auto: 0x00000000 00000000
[ 1.0] arm-smmu-v3 arm-smmu-v3.0.auto: 0x00000000 ffff0000
[ 1.0] arm-smmu-v3 arm-smmu-v3.0.auto: 0x00000000 00000000`);
    expect(faults.map((f) => [f.kind, f.extra.stream_id, f.extra.event_name, hex(f.far)])).toEqual([['smmu_event', '0x180', 'F_TRANSLATION', '0xffff0000']]);
  });

  it('reads QEMU\'s KVM_RUN failure with the register dump\'s PC', () => {
    const { faults } = readLog(`char device redirected to /dev/pts/1 (label charserial0)
error: kvm run failed Bad address
 PC=ffff800008a1c2f4 X00=ffff800088001001 X01=0000000000000000
X02=0000000000000000 X03=0000000000000010 X04=ffff000812a40000
PSTATE=60400005 -ZC- EL1h
2024-03-05 10:16:57.804+0000: shutting down, reason=crashed`);
    expect(faults.map((f) => [f.kind, hex(f.pc), f.extra.error, f.extra.errno, f.source.line, f.source.endLine])).toEqual([['vmm_error', '0xffff800008a1c2f4', 'Bad address', 'EFAULT', 2, 5]]);
  });

  it('takes the VMM\'s process from a journal line that printed its KVM_RUN failure', () => {
    const { faults } = readLog(`Feb 27 10:00:09.654321 altra-01 kernel: kvm [4242]: Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061
Feb 27 10:00:09.700000 altra-01 qemu-system-aarch64[4242]: error: kvm run failed Bad address`);
    expect(faults.map((f) => [f.kind, f.pid, f.comm])).toEqual([
      ['kvm_unsupported_fsc', 4242, null],
      ['vmm_error', 4242, 'qemu-system-aarch64'],
    ]);
  });

  it('reads journal JSON kernel records', () => {
    const j = (m: string, us: number) => JSON.stringify({ _SOURCE_MONOTONIC_TIMESTAMP: String(us), _TRANSPORT: 'kernel', MESSAGE: m });
    const { faults } = readLog([j('SError Interrupt on CPU0, code 0x00000000be000411 -- SError', 5000000), j('Kernel panic - not syncing: Asynchronous SError Interrupt', 5000001)].join('\n'));
    expect(faults.map((f) => [f.kind, hex(f.esr), f.cpu, f.timeNs])).toEqual([['serror', '0xbe000411', 0, 5_000_000_000n]]);
  });
});

describe('host facts', () => {
  it('reports the CPU, kernel and command line from the boot lines', () => {
    const { context } = readLog(`[    0.000000] Booting Linux on physical CPU 0x0000000000 [0x413fd0c1]
[    0.000000] Linux version 6.1.0-18-arm64 (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14) 12.2.0) #1 SMP Debian 6.1.76-1 (2024-02-01)
[    0.000000] Kernel command line: BOOT_IMAGE=/boot/vmlinuz-6.1.0-18-arm64 root=UUID=5f0e ro quiet`);
    expect(context).toEqual([
      { kind: 'cpu', midr: '0x413fd0c1', description: 'Arm Neoverse-N1 r3p1' },
      { kind: 'kernel', release: '6.1.0-18-arm64' },
      { kind: 'cmdline', cmdline: 'BOOT_IMAGE=/boot/vmlinuz-6.1.0-18-arm64 root=UUID=5f0e ro quiet' },
    ]);
  });
  it('reports the host kernel and name from the header libvirt writes to a VM\'s log, and gives its records that kernel', () => {
    const { context, faults } = readLog(`2024-05-24 14:30:00.123+0000: starting up libvirt version: 9.0.0, package: 9.0.0-4 (Debian), qemu version: 7.2.0Debian 1:7.2+dfsg-7, kernel: 6.1.0-18-arm64, hostname: myhost
LC_ALL=C \\
/usr/bin/qemu-system-aarch64 \\
-name guest=gpu-vm,debug-threads=on
error: kvm run failed Bad address
 PC=ffff8000108c1234 X00=0000000000000000 X01=ffff000004000000`);
    expect(context).toEqual([
      { kind: 'kernel', release: '6.1.0-18-arm64' },
      { kind: 'hostname', name: 'myhost' },
    ]);
    expect(faults.map((f) => [f.kind, f.kernel, hex(f.pc)])).toEqual([['vmm_error', '6.1.0-18-arm64', '0xffff8000108c1234']]);
  });
});

describe('the gate (which lines are built into logical lines at all)', () => {
  it('passes KVM messages by what follows their `kvm [pid]: ` prefix', async () => {
    const { FaultAssembler } = await import('../../../../main/core/ingest/kernel-log/assembler');
    const asm = new FaultAssembler({ file: 'x' }, { fault: () => undefined, context: () => undefined, diagnostic: () => undefined });
    expect(asm.wants('kvm [4325]: Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061')).toBe(true);
    expect(asm.wants('kvm [4325]:   nVHE hyp BUG at: arch/arm64/kvm/hyp/nvhe/switch.c:242!')).toBe(true);
    expect(asm.wants('kvm [4325]: vgic interrupt IRQ9')).toBe(false);
    expect(asm.wants('kvm [4325]:IRQ9 without the space')).toBe(true); // not the usual shape: let the rules decide
    expect(asm.wants('Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061')).toBe(true);
    expect(asm.wants('usb 1-1: new high-speed USB device number 5 using xhci-hcd')).toBe(false);
  });

  it('still finds a KVM fault among a host\'s other KVM messages', () => {
    const log = ['[  10.0] kvm [4325]: vgic interrupt IRQ9', '[  10.1] kvm [4325]: Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061', '[  10.2] kvm [4325]: vgic interrupt IRQ9'].join('\n');
    const { faults } = readLog(log);
    expect(faults.map((f) => [f.kind, hex(f.esr), f.source.line])).toEqual([['kvm_unsupported_fsc', '0x92000061', 2]]);
  });
});

describe('the fault gate (mayMatter)', () => {
  const messages: [string, boolean][] = [
    ['kvm [4325]: Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061', true],
    ['kvm [4325]: vgic interrupt IRQ9', false],
    ['Unable to handle kernel paging request at virtual address ffff800012340000', true],
    ['usb 1-1: new high-speed USB device number 5 using xhci-hcd', false],
    ['a.out[812]: unhandled level 2 translation fault (11) at 0x00000000, esr 0x92000006', true],
    [']: unhandled at the very start', false],
    ['  Mem abort info:', true],
  ];

  it('passes the lines that can open a block or carry a fact, read after a `kvm [pid]: ` prefix', () => {
    expect(messages.map(([m]) => [m, mayMatter(m, 0, m.length)])).toEqual(messages);
  });

  it('answers for the message alone when it lies inside a bigger text, whatever follows it', () => {
    const after = '\n[   12.4] a.out[1]: unhandled level 2 translation fault\n';
    for (const [m, passes] of messages) {
      const text = `[   12.345678] ${m}${after}`;
      const start = text.indexOf(m);
      expect([m, mayMatter(text, start, start + m.length)]).toEqual([m, passes]);
    }
  });
});

describe('boots: the since-boot clock restarts at each', () => {
  // arm64's first two lines of a boot (setup_arch, start_kernel), as a console prints them.
  const banner = (kernel: string): string =>
    `[    0.000000] Booting Linux on physical CPU 0x0000000000 [0x413fd0c1]\n[    0.000000] Linux version ${kernel} (builder@host) (gcc (Debian 12.2.0-14) 12.2.0) #1 SMP\n`;
  const fsc = (stamp: string, pid: number): string => `[${stamp}] kvm [${pid}]: Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061\n`;
  const boots = (r: ReturnType<typeof readLog>): unknown[] => r.faults.map((f) => f.extra.boot);

  it('a banner stamped before what was read starts the next boot; its records say which boot they were read in', () => {
    const r = readLog(banner('6.1.0-13-arm64') + fsc(' 5000.000001', 4242) + '[ 5001.000000] reboot: Restarting system\n' + banner('6.12.9-arm64') + fsc('  300.000001', 4242));
    expect(r.faults.map((f) => [f.timeNs, f.kernel])).toEqual([
      [5_000_000_001_000n, '6.1.0-13-arm64'],
      [300_000_001_000n, '6.12.9-arm64'],
    ]);
    expect(boots(r)).toEqual([undefined, 1]);
    // The second boot begins at its banner, line 5.
    expect(r.bootStarts).toEqual([5]);
  });

  it('the banner that opens a log, and one stamped later than what was read, start no boot', () => {
    expect(boots(readLog(banner('6.1.0-13-arm64') + fsc('   10.000001', 4242)))).toEqual([undefined]);
    // A capture that starts mid-boot and prints a banner later on the same clock is one boot.
    expect(boots(readLog(fsc('    0.500001', 4242) + '[    0.600000] Booting Linux on physical CPU 0x0000000000 [0x413fd0c1]\n' + fsc('    0.700001', 4242)))).toEqual([undefined, undefined]);
  });

  it("journalctl's separator starts the next boot, and the banner after it starts no other", () => {
    const j = (stamp: string, msg: string): string => `[${stamp}] altra-01 kernel: ${msg}\n`;
    const r = readLog(
      j(' 5000.000001', 'kvm [4242]: Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061') +
        '-- Boot 9b2c4d6e8f0a1b2c3d4e5f6a7b8c9d0e --\n' +
        j('    0.000000', 'Booting Linux on physical CPU 0x0000000000 [0x413fd0c1]') +
        j('    0.000000', 'Linux version 6.12.9-arm64 (builder@host) #1 SMP') +
        j('  300.000001', 'kvm [4242]: Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061') +
        '-- Reboot --\n' +
        j('  300.000001', 'kvm [4242]: Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061'),
    );
    expect(boots(r)).toEqual([undefined, 1, 2]);
    expect(r.bootStarts).toEqual([2, 6]);
    expect(r.faults.map((f) => f.kernel)).toEqual([null, '6.12.9-arm64', null]);
  });

  it('a log replayed into the capture from its banner (`dmesg` run on the console) is no reboot', () => {
    // The banner again, then the boot's faults again at their stamps: one boot, each fault once.
    const boot = banner('6.1.0-13-arm64') + fsc('   45.000001', 4242) + fsc('   46.000001', 4243);
    const r = readLog(boot + '[   50.000000] kvm [4243]: vgic: guest left\n' + boot + fsc('   51.000001', 4242));
    expect(r.faults.map((f) => [f.timeNs, f.extra.boot, f.extra.reprinted])).toEqual([
      [45_000_001_000n, undefined, 1],
      [46_000_001_000n, undefined, 1],
      [51_000_001_000n, undefined, undefined],
    ]);
    expect(r.diagnostics.filter((d) => d.id === 'fault-duplicate').length).toBe(2);
    expect(r.bootStarts).toEqual([]);
    // After a reboot the same messages come at other stamps: two boots.
    expect(boots(readLog(boot + banner('6.1.0-13-arm64') + fsc('   45.000002', 4242)))).toEqual([undefined, undefined, 1]);
  });
});
