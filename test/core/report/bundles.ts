// Bundles written to disk for report tests that go through the real ingest.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The markup issue 8 names, as a log would carry it. */
export const MARKUP = ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '</style>'];

/** A two-file bundle whose KVM and QEMU lines end in markup (the kernel and QEMU formats otherwise). */
export function writeHostileBundle(dir: string): string {
  mkdirSync(join(dir, 'sos_commands', 'kernel'), { recursive: true });
  mkdirSync(join(dir, 'var', 'log', 'libvirt', 'qemu'), { recursive: true });
  writeFileSync(
    join(dir, 'sos_commands', 'kernel', 'dmesg'),
    [
      '[    0.000000] Booting Linux on physical CPU 0x0000000000 [0x413fd0c1]',
      '[    0.000000] Linux version 6.1.0-18-arm64 (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #1 SMP Debian 6.1.76-1 (2024-02-01)',
      `[  412.883121] kvm [4325]: Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061 ${MARKUP[2]}${MARKUP[0]}`,
      '',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'var', 'log', 'libvirt', 'qemu', 'gpu-vm.log'), `error: kvm run failed ${MARKUP[1]}\n`);
  return dir;
}
