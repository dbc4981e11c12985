// The CPU line of an Oops (lib/dump_stack.c dump_stack_print_info:
// "CPU: %d [UID: %u ]PID: %d Comm: %.20s %s%s %s %.*s", the first %s being
// `kexec_crash_loaded() ? "Kdump: loaded " : ""`, the second print_tainted()), in each form it takes.
import { describe, expect, it } from 'vitest';
import { hex, readLog } from './read-log';

const oops = (cpuLine: string): string => `[  123.456789] Unable to handle kernel NULL pointer dereference at virtual address 0000000000000038
[  123.456801] Mem abort info:
[  123.456805]   ESR = 0x0000000096000006
[  123.456810]   EC = 0x25: DABT (current EL), IL = 32 bits
[  123.456860] Internal error: Oops: 0000000096000006 [#1] PREEMPT SMP
[  123.456880] ${cpuLine}
[  123.456900] pc : vfio_pci_core_do_io_rw+0x1a4/0x2f0 [vfio_pci_core]
[  123.456950] ---[ end trace 0000000000000000 ]---`;

describe('the CPU line of a report', () => {
  it('reads cpu, pid, comm and kernel when a crash kernel is loaded (`Kdump: loaded `)', () => {
    const { faults } = readLog(oops('CPU: 5 PID: 4321 Comm: qemu-kvm Kdump: loaded Not tainted 6.1.0 #1'));
    expect(faults.map((f) => [f.kind, hex(f.esr), hex(f.far), f.cpu, f.pid, f.comm, f.kernel])).toEqual([['mem_abort', '0x96000006', '0x38', 5, 4321, 'qemu-kvm', '6.1.0']]);
  });

  it('reads the 6.10+ form with the UID, Kdump and a taint list', () => {
    const { faults } = readLog(oops('CPU: 5 UID: 0 PID: 4321 Comm: qemu-system-aar Kdump: loaded Tainted: G        W          6.12.0-rc3 #7'));
    expect(faults.map((f) => [f.cpu, f.pid, f.comm, f.kernel])).toEqual([[5, 4321, 'qemu-system-aar', '6.12.0-rc3']]);
  });

  it('still reads the form without Kdump, and a comm with a space in it', () => {
    const { faults } = readLog(oops('CPU: 2 PID: 998 Comm: CPU 0/KVM Tainted: G        W         5.15.0 #1'));
    expect(faults.map((f) => [f.cpu, f.pid, f.comm, f.kernel])).toEqual([[2, 998, 'CPU 0/KVM', '5.15.0']]);
  });
});
