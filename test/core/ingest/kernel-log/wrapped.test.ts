// A log wrapped by a mail client (../shared/docs/DOMAIN.md §4, "Email/terminal line wrapping"): whether a
// line without a prefix is the wrapped end of the one before is decided by the lines around it, not by the
// whole file. Lines are the kernel's (kernel/audit.c audit_log_start's "audit(%llu.%03lu:%u): ", the
// AppArmor fields of security/apparmor/lib.c; arch/arm64/kvm/mmu.c kvm_handle_guest_abort's "Unsupported FSC:
// EC=%#x xFSC=%#lx ESR_EL2=%#lx"; arch/arm64/mm/fault.c die_kernel_fault), wrapped at a word as mail does.
import { describe, expect, it } from 'vitest';
import { hex, readLog } from './read-log';

// Three audit records each wrapped in three pieces (two wrapped pieces a line: a third of the lines prefixed).
const AUDIT = `[   12.345678] audit: type=1400 audit(1716561192.123:2):
apparmor="STATUS" operation="profile_load" profile="unconfined"
name="libvirtd" pid=812 comm="apparmor_parser"
[   12.345999] audit: type=1400 audit(1716561192.123:3):
apparmor="STATUS" operation="profile_load" profile="unconfined"
name="libvirtd//qemu_bridge_helper" pid=812 comm="apparmor_parser"
[   12.346200] audit: type=1400 audit(1716561192.127:4):
apparmor="STATUS" operation="profile_load" profile="unconfined"
name="virt-aa-helper" pid=813 comm="apparmor_parser"`;

describe('mail-wrapped logs', () => {
  it('re-joins a wrapped KVM line after lines wrapped in three', () => {
    const { faults } = readLog(`${AUDIT}
[ 3000.000100] vfio-pci 0000:01:00.0: vfio_ecap_init: hiding ecap
0x19@0x900
[ 3000.100100] kvm [2001]: Unsupported FSC: EC=0x24 xFSC=0x21
ESR_EL2=0x92000061
[ 3001.000000] br0: port 2(tap0) entered forwarding state`);
    expect(faults.map((f) => [f.kind, hex(f.esr), f.pid, f.timeNs, f.source.line, f.source.endLine])).toEqual([['kvm_unsupported_fsc', '0x92000061', 2001, 3_000_100_100_000n, 12, 13]]);
  });

  it('keeps the header of an Oops wrapped after such lines', () => {
    const { faults } = readLog(`${AUDIT}
[ 3000.913815] Unable to handle kernel NULL pointer dereference at
virtual address 0000000000000038
[ 3000.913818] Mem abort info:
[ 3000.913819]   ESR = 0x96000007
[ 3000.913840] Internal error: Oops: 96000007 [#1] SMP
[ 3000.913845] CPU: 1 PID: 1918 Comm: qemu-system-aar Tainted: G
W         5.5.0-rc2-14819-g4e11d8f-dirty #20
[ 3000.913852] pc : irq_domain_activate_irq+0x0/0x58
[ 3000.913954] ---[ end trace e0d0e4b407d388f3 ]---`);
    expect(faults.map((f) => [f.kind, hex(f.esr), hex(f.far), f.cpu, f.pid, f.comm, f.timeNs, f.source.line])).toEqual([
      ['mem_abort', '0x96000007', '0x38', 1, 1918, 'qemu-system-aar', 3_000_913_815_000n, 10],
    ]);
    expect(faults[0]!.extra).toMatchObject({ reason: 'NULL pointer dereference' });
  });

  it('still keeps apart the lines of a log where a dated line is rare (libvirt\'s header, QEMU\'s output)', () => {
    // libvirt src/qemu/qemu_process.c writes the dated header; QEMU's own lines after it carry no prefix.
    const { faults } = readLog(`2024-05-24 14:30:00.123+0000: starting up libvirt version: 9.0.0, package: 9.0.0-4 (Debian), qemu version: 7.2.0, kernel: 6.1.0-18-arm64, hostname: myhost
LC_ALL=C PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin QEMU_AUDIO_DRV=none /usr/bin/qemu-system-aarch64 -name guest=gpu-vm
error: kvm run failed Bad address
 PC=ffff8000108c1234 X00=0000000000000000 X01=ffff000004000000`);
    expect(faults.map((f) => [f.kind, hex(f.pc), f.source.line])).toEqual([['vmm_error', '0xffff8000108c1234', 3]]);
  });
});
