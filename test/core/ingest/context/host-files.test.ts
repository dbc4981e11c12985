import { describe, expect, it } from 'vitest';
import { parseHostFile, parseLibvirtStatus, readKernelConfigLine, scoreKernelConfig, type KernelConfigFacts } from '../../../../main/core/ingest/context/host-files';
import { describeMidr } from '../../../../main/core/ingest/context/midr';

describe('host files', () => {
  it('reads uname -a (hostname, release, machine)', () => {
    expect(parseHostFile('Linux altra-01 6.1.0-18-arm64 #1 SMP Debian 6.1.76-1 (2024-02-01) aarch64 GNU/Linux\n')).toEqual({
      kind: 'uname',
      hostname: 'altra-01',
      release: '6.1.0-18-arm64',
      machine: 'aarch64',
    });
  });

  it('reads /proc/version and /proc/cmdline', () => {
    expect(parseHostFile('Linux version 5.14.0-362.8.1.el9_3.aarch64 (mockbuild@x) (gcc (GCC) 11.4.1) #1 SMP PREEMPT_DYNAMIC\n')).toEqual({ kind: 'proc-version', release: '5.14.0-362.8.1.el9_3.aarch64' });
    expect(parseHostFile('BOOT_IMAGE=/boot/vmlinuz-6.1.0-18-arm64 root=UUID=5f0e ro quiet iommu.passthrough=0\n')).toEqual({
      kind: 'cmdline',
      cmdline: 'BOOT_IMAGE=/boot/vmlinuz-6.1.0-18-arm64 root=UUID=5f0e ro quiet iommu.passthrough=0',
    });
  });

  it('is not fooled by prose or multi-line files', () => {
    expect(parseHostFile('Linux is a kernel\nand more')).toBeNull();
    expect(parseHostFile('hello world')).toBeNull();
  });

  it('reads the VM pid and vCPU thread ids from libvirt\'s domain status', () => {
    const xml = `<domstatus state='running' reason='booted' pid='4321'>
  <vcpus>
    <vcpu id='0' pid='4325'/>
    <vcpu id='1' pid='4326'/>
  </vcpus>
  <domain type='kvm' id='1'>
    <name>gpu-vm</name>
  </domain>
</domstatus>`;
    expect(parseLibvirtStatus(xml)).toEqual({ pid: 4321, name: 'gpu-vm', vcpus: [{ index: 0, tid: 4325 }, { index: 1, tid: 4326 }] });
    expect(parseLibvirtStatus('<domain type="kvm"><name>x</name></domain>')).toBeNull();
  });
});

describe('describeMidr (Arm ARM MIDR_EL1 fields; Linux cputype.h part numbers)', () => {
  it.each([
    [0x413fd0c1, 'Arm Neoverse-N1 r3p1'],
    [0x410fd083, 'Arm Cortex-A72 r0p3'],
    [0x431f0af1, 'Cavium ThunderX2 r1p1'],
    [0xc00fac30, 'Ampere AmpereOne r0p0'],
    [0x4e0f0040, 'NVIDIA Carmel r0p0'],
    [0x41aff999, 'Arm part 0xf99 r10p9'],
  ])('%s -> %s', (midr, name) => {
    expect(describeMidr(midr)).toBe(name);
  });
});

describe('kernel build configuration', () => {
  it('gives the page size and VA bits (arch/arm64/Kconfig ARM64_PAGE_SHIFT, ARM64_VA_BITS)', () => {
    const text = ['#', '# Automatically generated file; DO NOT EDIT.', 'CONFIG_ARM64_PAGE_SHIFT=16', '# CONFIG_ARM64_4K_PAGES is not set', 'CONFIG_ARM64_VA_BITS=52', 'CONFIG_KVM=y'];
    expect(scoreKernelConfig(text)).toBeGreaterThan(0.5);
    const facts: KernelConfigFacts = { pageSizeKiB: null, vaBits: null };
    for (const l of text) readKernelConfigLine(l, facts);
    expect(facts).toEqual({ pageSizeKiB: 64, vaBits: 52 });
    expect(scoreKernelConfig(['[    0.000000] Booting Linux on physical CPU 0x0'])).toBe(0);
  });
});
