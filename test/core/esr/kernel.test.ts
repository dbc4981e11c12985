// The kernel's names by version, and KVM's path for a guest abort by version.
// Expected values: Linux arch/arm64/kernel/traps.c esr_class_str[], arch/arm64/mm/fault.c fault_info[]
// (the LPA2 patch "Add missing ESR decoding for level -1 translation faults", and the real LTP report
// "Unable to handle kernel unknown 43 at virtual address" it fixed), arch/arm64/kvm/mmu.c
// kvm_handle_guest_abort(), arch/arm64/kvm/mmio.c io_mem_abort(); the seed message from the LKML VFIO GPU
// passthrough thread: "Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061".
import { describe, expect, it } from 'vitest';
import { decodeEsr, kernelClassName, kernelFaultName, memAbortLayout } from '../../../main/core/esr/index';

const esr = (ec: number, iss: number): bigint => BigInt(((ec << 26) | (1 << 25) | iss) >>> 0);

describe('kernel names', () => {
  it('names classes as esr_class_str does, with UNRECOGNIZED EC before a class was added', () => {
    expect(kernelClassName(0x25)).toBe('DABT (current EL)');
    expect(kernelClassName(0x24, '5.4.37')).toBe('DABT (lower EL)');
    expect(kernelClassName(0x27, '6.1.0-18-arm64')).toBe('UNRECOGNIZED EC');
    expect(kernelClassName(0x27, '6.5')).toBe('MOPS');
    expect(kernelClassName(0x2d, '6.12')).toBe('UNRECOGNIZED EC');
    expect(kernelClassName(0x2d, '6.13')).toBe('Guarded Control Stack');
    expect(kernelClassName(0x0a)).toBe('UNRECOGNIZED EC');
    expect(kernelClassName(0x0b)).toBe('UNRECOGNIZED EC');
  });

  it('names fault codes as fault_info[] does, by version', () => {
    expect(kernelFaultName(0x2b, '6.8')).toBe('unknown 43');
    expect(kernelFaultName(0x2b, '6.9')).toBe('level -1 translation fault');
    expect(kernelFaultName(0x08, '6.1')).toBe('unknown 8');
    expect(kernelFaultName(0x08)).toBe('level 0 access flag fault');
    expect(kernelFaultName(0x11, '5.4')).toBe('unknown 17');
    expect(kernelFaultName(0x11, '5.10')).toBe('synchronous tag check fault');
    expect(kernelFaultName(0x00)).toBe('ttbr address size fault');
    expect(kernelFaultName(0x3d)).toBe('section domain fault');
  });

  it('picks the Mem abort info layout by release', () => {
    expect(['5.2', '5.4', '5.12', '5.19', '6.7', undefined].map((v) => memAbortLayout(v))).toEqual(['v4', 'v5.4', 'v5.12', 'v5.19', 'v6.7', 'v6.7']);
  });
});

describe('KVM path for a guest abort (ESR_EL2)', () => {
  it('stage 2 alignment fault: Unsupported FSC and -EFAULT, with the exact message', () => {
    const kvm = decodeEsr(0x92000061n, { el: 2, kernel: '6.1' }).kvm;
    expect(kvm).toMatchObject({
      handler: 'kvm_handle_guest_abort',
      path: 'unsupported_fsc',
      message: 'kvm [PID]: Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061',
      errno: 'EFAULT',
      vmm: 'error: kvm run failed Bad address',
    });
  });

  it('level -1 translation fault: unsupported before v6.9 (FSC & 0x3c), handled from v6.9', () => {
    expect(decodeEsr(esr(0x24, 0x2b), { el: 2, kernel: '6.8' }).kvm?.path).toBe('unsupported_fsc');
    expect(decodeEsr(esr(0x24, 0x2b), { el: 2, kernel: '6.9' }).kvm?.path).toBe('stage2_fault');
  });

  it('level -1 SEA on a walk: RAS path only from v6.9', () => {
    expect(decodeEsr(esr(0x24, 0x13), { el: 2, kernel: '6.1' }).kvm?.path).toBe('unsupported_fsc');
    expect(decodeEsr(esr(0x24, 0x13), { el: 2, kernel: '6.12' }).kvm?.path).toBe('sea');
    expect(decodeEsr(esr(0x24, 0x10), { el: 2, kernel: '5.10' }).kvm?.path).toBe('sea');
  });

  it('no valid syndrome outside memslots: the message by version, -ENOSYS', () => {
    const mmio = (kernel: string) => decodeEsr(esr(0x24, 0x46), { el: 2, kernel }).kvm?.outcomes[1];
    expect(mmio('5.4')).toMatchObject({ message: 'kvm [PID]: load/store instruction decoding not implemented', errno: 'ENOSYS' });
    expect(mmio('6.1')).toMatchObject({ message: 'kvm [PID]: Data abort outside memslots with no valid syndrome info', errno: 'ENOSYS' });
    expect(mmio('6.7')).toMatchObject({ message: null, errno: 'ENOSYS' });
  });

  it('outside memslots: cache maintenance is skipped, S1PTW injects, a valid syndrome is emulated', () => {
    const outside = (iss: number) => decodeEsr(esr(0x24, iss), { el: 2 }).kvm?.outcomes[1]?.outcome ?? '';
    expect(outside((1 << 8) | 0x06)).toMatch(/skips the instruction/);
    expect(outside((1 << 7) | 0x06)).toMatch(/injects a data abort/);
    expect(outside((1 << 24) | 0x06)).toMatch(/KVM_EXIT_MMIO/);
  });

  it('only with ESR_EL2: no KVM view for ESR_EL1 or unknown', () => {
    expect(decodeEsr(0x92000061n, { el: 1 }).kvm).toBeNull();
    expect(decodeEsr(0x92000061n).kvm).toBeNull();
  });

  it('an EC without a KVM handler: the unknown-class message and an UNDEF', () => {
    const kvm = decodeEsr(esr(0x0a, 0), { el: 2, kernel: '6.12' }).kvm;
    expect(kvm).toMatchObject({ handler: 'kvm_handle_unknown_ec', path: 'unknown_ec' });
    expect(kvm?.message).toBe('kvm [PID]: Unknown exception class: esr: 0x0000002a000000 -- UNRECOGNIZED EC');
  });
});

describe('kernel releases as the decoder reads them (main/core/kernel-version.ts)', () => {
  it('a release candidate of the release that added a name already prints it', () => {
    // MOPS (EC 0x27) entered esr_class_str in v6.5: its -rc1 carries it, 6.4.x does not.
    expect(kernelClassName(0x27, '6.5-rc1')).toBe('MOPS');
    expect(kernelClassName(0x27, '6.4.16')).toBe('UNRECOGNIZED EC');
    expect(kernelFaultName(0x2b, 'v6.9-rc3')).toBe('level -1 translation fault');
  });

  it('a string that is not a release is the newest modelled, as with no version', () => {
    expect(kernelClassName(0x2d, 'arm64')).toBe('Guarded Control Stack');
    expect(decodeEsr(esr(0x24, 0x46), { el: 2, kernel: 'unknown' }).kvm?.outcomes[1]?.message).toBeNull();
  });
});
