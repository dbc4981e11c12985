// Reports in the formats of older arm64 kernels, written from their format strings (each test cites them).
import { describe, expect, it } from 'vitest';
import { hex, readLog } from './read-log';

describe('4.16-5.12 do_mem_abort: `Unhandled fault at 0x%016lx`', () => {
  // arch/arm64/mm/fault.c do_mem_abort of those versions: pr_alert("Unhandled fault at 0x%016lx\n", addr);
  // mem_abort_decode(esr); show_pte(addr); then arm64_notify_die(inf->name, ...) -> die(): `Internal error: %s: %x`.
  const report = (addr: string, pte: string): string => `[   10.000000] Unhandled fault at 0x${addr}
[   10.000010] Mem abort info:
[   10.000020]   ESR = 0x96000000
[   10.000030]   EC = 0x25: DABT (current EL), IL = 32 bits
[   10.000040]   SET = 0, FnV = 0
[   10.000050]   EA = 0, S1PTW = 0
[   10.000060] Data abort info:
[   10.000070]   ISV = 0, ISS = 0x00000000
[   10.000080]   CM = 0, WnR = 0
[   10.000090] swapper pgtable: 4k pages, 48-bit VAs, pgdp=0000000041e2b000
[   10.000100] [${addr}] ${pte}
[   10.000110] Internal error: level 0 address size fault: 96000000 [#1] PREEMPT SMP
[   10.000120] Modules linked in:
[   10.000130] CPU: 0 PID: 1 Comm: swapper/0 Not tainted 5.10.0 #1
[   10.000140] pc : some_driver_probe+0x40/0x100
[   10.000150] ---[ end trace 1234567890abcdef ]---`;

  it('starts the record at the header, with its time and the address as FAR', () => {
    // show_pte of a user address while the swapper's tables are live prints no table walk.
    const { faults } = readLog(report('0000000000001000', 'user address but active_mm is swapper'));
    expect(faults.map((f) => [f.kind, hex(f.esr), hex(f.far), f.timeNs, f.source.line, f.source.endLine, f.cpu, f.comm, f.extra.internal_error])).toEqual([
      ['mem_abort', '0x96000000', '0x1000', 10_000_000_000n, 1, 16, 0, 'swapper/0', 'level 0 address size fault'],
    ]);
  });

  it('takes the FAR from the header for a kernel address too', () => {
    const { faults } = readLog(report('ffff800011c4a000', 'pgd=000000043ffff003, p4d=000000043ffff003, pud=000000043fffe003, pmd=0000000101a5c003, pte=0000000000000000'));
    expect(faults.map((f) => [f.kind, hex(f.far), f.timeNs, f.source.line])).toEqual([['mem_abort', '0xffff800011c4a000', 10_000_000_000n, 1]]);
  });

  it('reads a synchronous external abort by the name die() gives it', () => {
    const text = report('ffff800011c4a000', 'pgd=000000043ffff003').replace('ESR = 0x96000000', 'ESR = 0x96000010').replace('Internal error: level 0 address size fault: 96000000', 'Internal error: synchronous external abort: 96000010');
    const { faults } = readLog(text);
    expect(faults.map((f) => [f.kind, hex(f.esr), hex(f.far), f.source.line])).toEqual([['sync_external_abort', '0x96000010', '0xffff800011c4a000', 1]]);
  });
});

describe('4.x bad_mode in the Error handler: an SError', () => {
  // arch/arm64/kernel/traps.c bad_mode of 4.x: pr_crit("Bad mode in %s handler detected on CPU%d, code 0x%08x
  // -- %s\n", handler[reason], smp_processor_id(), esr, esr_get_class_string(esr)); die("Oops - bad mode",
  // regs, 0) (`Internal error: %s: %x [#%d]`, then __show_regs: the CPU line, 4.x `PC is at`, `pc : [<%016llx>]`).
  const BAD_MODE = `[  555.123456] Bad mode in Error handler detected on CPU2, code 0xbf000002 -- SError
[  555.123460] Internal error: Oops - bad mode: 0 [#1] PREEMPT SMP
[  555.123465] Modules linked in: ipv6
[  555.123470] CPU: 2 PID: 0 Comm: swapper/2 Not tainted 4.9.0 #1
[  555.123475] Hardware name: Example Board (DT)
[  555.123480] task: ffffffc0fa8b0000 task.stack: ffffffc0fa8b4000
[  555.123485] PC is at arch_cpu_idle+0x10/0x18
[  555.123490] LR is at arch_cpu_idle+0xc/0x18
[  555.123495] pc : [<ffffff80080853f8>] lr : [<ffffff80080853f4>] pstate: 60000145
[  555.123500] sp : ffffffc0fa8b7f20
[  555.123505] Process swapper/2 (pid: 0, stack limit = 0xffffffc0fa8b4000)
[  555.123510] Call trace:
[  555.123515] [<ffffff80080853f8>] arch_cpu_idle+0x10/0x18
[  555.123520] Code: d503201f d503201f d503203f d50342ff (d65f03c0)
[  555.123525] ---[ end trace 9e6d1b2e4f0d5c3a ]---
[  555.123530] Kernel panic - not syncing: Attempted to kill the idle task!`;

  it('reads the die() after it as the same SError: one record, with the CPU line and pc', () => {
    const { faults } = readLog(BAD_MODE);
    expect(faults.map((f) => [f.kind, hex(f.esr), f.cpu, f.pid, f.comm, f.kernel, hex(f.pc), f.timeNs, f.source.line, f.source.endLine])).toEqual([
      ['serror', '0xbf000002', 2, 0, 'swapper/2', '4.9.0', '0xffffff80080853f8', 555_123_456_000n, 1, 15],
    ]);
    expect(faults[0]!.extra).toMatchObject({ description: 'SError', internal_error: 'Oops - bad mode' });
  });

  it('leaves another Internal error after an SError to its own record', () => {
    const { faults } = readLog(`[ 1200.000100] SError Interrupt on CPU1, code 0xbf000002 -- SError
[ 1200.000200] Internal error: Oops - BUG: 00000000f2000800 [#1] PREEMPT SMP
[ 1200.000300] CPU: 1 PID: 12 Comm: kworker/1:0 Not tainted 5.15.0 #1`);
    expect(faults.map((f) => [f.kind, hex(f.esr)])).toEqual([
      ['serror', '0xbf000002'],
      ['kernel_bug', '0xf2000800'],
    ]);
  });
});
