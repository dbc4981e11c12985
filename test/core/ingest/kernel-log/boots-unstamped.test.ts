// A log without stamps across a reboot (a console captured with printk.time=0, a paste with the stamps
// cut): only the boot banner tells the boots apart (arch/arm64/kernel/setup.c setup_arch prints "Booting
// Linux on physical CPU", then init/main.c start_kernel the `Linux version` banner). The Oops is sample 021's
// (../shared/samples/logs), its stamps cut: die() counts the Oopses of a boot from 1 (arch/arm64/kernel/
// traps.c __die, "[#%d]" from ++die_counter), so each boot's first Oops is `[#1]`.
import { describe, expect, it } from 'vitest';
import { readLog } from './read-log';

const BANNER = `Booting Linux on physical CPU 0x0000000000 [0x410fd034]
Linux version 5.4.37-rc1 (builder@host) (gcc version 9.2.1 20191025) #1 SMP PREEMPT`;
const OOPS = `Unable to handle kernel NULL pointer dereference at virtual address 0000000000000010
Mem abort info:
  ESR = 0x96000006
  EC = 0x25: DABT (current EL), IL = 32 bits
Internal error: Oops: 96000006 [#1] PREEMPT SMP
CPU: 2 PID: 33 Comm: kworker/2:1 Tainted: G        W         5.4.37-rc1 #1
pc : snd_soc_dapm_new_dai+0x3c/0x1b0
---[ end trace 0123456789abcdef ]---`;

describe('a log without stamps, across a reboot', () => {
  it('has one fault per boot when each boot prints the same Oops', () => {
    const r = readLog([BANNER, OOPS, 'reboot: Restarting system', BANNER, OOPS].join('\n'));
    expect(r.faults.map((f) => [f.kind, f.extra.oops, f.cpu, f.extra.boot, f.source.line])).toEqual([
      ['mem_abort', 1, 2, undefined, 3],
      ['mem_abort', 1, 2, 1, 14],
    ]);
    // The second boot begins at its first banner line, and only there.
    expect(r.bootStarts).toEqual([12]);
    expect(r.diagnostics.filter((d) => d.id === 'fault-duplicate')).toEqual([]);
  });

  it('starts no boot where dmesg, run at a prompt, prints the log again from its banner', () => {
    for (const prompt of ['root@kvmhost01:~# dmesg', '# dmesg | tail -n 200']) {
      const r = readLog([BANNER, OOPS, prompt, BANNER, OOPS].join('\n'));
      expect(r.bootStarts).toEqual([]);
      expect(r.faults.map((f) => [f.extra.oops, f.extra.reprinted])).toEqual([[1, 1]]);
    }
  });

  it('starts no boot at the banner that opens the log, or at a banner in a stamped log', () => {
    expect(readLog([BANNER, OOPS].join('\n')).bootStarts).toEqual([]);
    // A stamped log tells its boots by the clock going back (assembler.test.ts): a banner line printed
    // without a stamp in it is no reboot.
    const stamped = OOPS.split('\n').map((l, i) => `[   16.00000${i}] ${l}`).join('\n');
    expect(readLog([stamped, BANNER].join('\n')).bootStarts).toEqual([]);
  });
});
