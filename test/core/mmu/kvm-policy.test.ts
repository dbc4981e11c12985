// KVM's stage-2 choices and fault handling by kernel version (DOMAIN.md §3f, arch/arm64/kvm/mmu.c and mmio.c).
import { describe, expect, it } from 'vitest';
import type { FaultSyndrome } from '../../../main/core/mmu/fault';
import { kvmS2Policy, predictKvm, unsupportedFscLog } from '../../../main/core/mmu/kvm-policy';

function s2fault(type: FaultSyndrome['type'], esr: bigint, extra: Partial<FaultSyndrome> = {}): FaultSyndrome {
  return { stage: 2, type, level: 3, s1ptw: false, write: true, ipa: 0x10000000n, takenTo: 'EL2', dfsc: Number(esr & 0x3fn), ec: 0x24, wnr: 1, cm: 0, esr, far: 0x1000n, hpfar: null, ...extra };
}

describe('stage-2 attributes by kernel', () => {
  it('maps vfio-pci BARs Device-nGnRE before 6.9 and Normal-NC (0b0101) from 6.9', () => {
    expect(kvmS2Policy('6.1.0-18-arm64', 'vfio-pci-bar')?.memattr).toEqual({ nofwb: 0b0001, fwb: 0b0001 });
    expect(kvmS2Policy('6.8.12', 'vfio-pci-bar')?.memattr?.nofwb).toBe(0b0001);
    expect(kvmS2Policy('6.9-rc1', 'vfio-pci-bar')?.memattr).toEqual({ nofwb: 0b0101, fwb: 0b0101 });
    expect(kvmS2Policy('6.9', 'vfio-pci-bar')?.commits.join(' ')).toMatch(/8c47ce3e1d2c/);
  });

  it('keeps other PFNMAP device memory Device-nGnRE, and maps cacheable PFNMAP WB only from 6.17', () => {
    expect(kvmS2Policy('6.12', 'pfnmap-device')?.memattr?.nofwb).toBe(0b0001);
    expect(kvmS2Policy('6.16', 'cacheable-pfnmap')?.memattr?.nofwb).toBe(0b0001);
    expect(kvmS2Policy('6.17', 'cacheable-pfnmap')?.memattr?.fwb).toBe(0b0110);
  });

  it('maps guest RAM Normal WB, forced WB (0b0110) with FWB', () => {
    expect(kvmS2Policy('5.10', 'ram')?.memattr).toEqual({ nofwb: 0b1111, fwb: 0b0110 });
    expect(kvmS2Policy('not a version', 'ram')).toBeNull();
  });
});

describe('predictKvm', () => {
  it('prints the Unsupported FSC line for a stage-2 alignment fault and fails KVM_RUN with -EFAULT', () => {
    expect(unsupportedFscLog(0x92000061n)).toBe('Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061');
    const p = predictKvm('6.1', s2fault('alignment', 0x92000061n), null);
    expect(p).toMatchObject({ path: 'unsupported_fsc', log: 'Unsupported FSC: EC=0x24 xFSC=0x21 ESR_EL2=0x92000061' });
  });

  it('treats address-size faults the same way, and leaves stage-1 faults to the guest', () => {
    expect(predictKvm('6.12', s2fault('address_size', 0x92000003n), true)?.path).toBe('unsupported_fsc');
    expect(predictKvm('6.12', { ...s2fault('alignment', 0x96000021n), stage: 1, takenTo: 'EL1' }, null)).toBeNull();
  });

  it('reports an ISV = 0 abort outside memslots with the message of the kernel version', () => {
    const f = s2fault('translation', 0x92000047n);
    expect(predictKvm('5.4', f, false)?.log).toBe('load/store instruction decoding not implemented');
    expect(predictKvm('6.1.0-18-arm64', f, false)?.log).toBe('Data abort outside memslots with no valid syndrome info');
    expect(predictKvm('6.12', f, false)).toMatchObject({ path: 'io_mem_abort_nisv', log: null });
  });

  it('skips cache maintenance and injects an abort for S1PTW outside memslots; maps inside memslots', () => {
    expect(predictKvm('6.12', s2fault('translation', 0x92000147n, { cm: 1 }), false)?.path).toBe('io_mem_abort_cm_skip');
    expect(predictKvm('6.12', s2fault('translation', 0x92000086n, { s1ptw: true }), false)?.path).toBe('s1ptw_outside_memslot');
    expect(predictKvm('6.12', s2fault('translation', 0x92000007n), true)?.path).toBe('user_mem_abort');
    expect(predictKvm('6.12', s2fault('access_flag', 0x9200000bn), null)?.path).toBe('access_flag');
  });

  // kvm_handle_guest_abort looks the memslot up before it tells access-flag faults apart, and io_mem_abort
  // emulates only with a valid syndrome (ISV = 1); an instruction abort outside memslots injects a prefetch abort.
  it('follows the kernel order: memslot lookup, then the outside-memslot cases, then access flag inside', () => {
    const t = s2fault('translation', 0x92000047n);
    expect(predictKvm('6.1', t, false, true)).toMatchObject({ path: 'io_mem_abort_mmio', log: null });
    expect(predictKvm('6.1', t, false, false)?.path).toBe('io_mem_abort_nisv');
    expect(predictKvm('6.1', { ...t, ec: 0x20, wnr: 0, esr: 0x82000007n }, false)?.path).toBe('iabt_outside_memslot');
    expect(predictKvm('6.1', s2fault('access_flag', 0x9200004bn), false, true)?.path).toBe('io_mem_abort_mmio');
    expect(predictKvm('6.1', s2fault('access_flag', 0x9200004bn), true)?.path).toBe('access_flag');
  });

  it('with the memslot unknown gives both cases, each with its own message', () => {
    const p = predictKvm('6.1.0-18-arm64', s2fault('translation', 0x92000047n), null, false);
    expect(p?.path).toBe('memslot_unknown');
    expect(p?.log).toBeNull();
    expect(p?.cases?.map((c) => [c.path, c.log])).toEqual([
      ['user_mem_abort', null],
      ['io_mem_abort_nisv', 'Data abort outside memslots with no valid syndrome info'],
    ]);
  });

  it('treats a level -1 translation fault (0x2B) as unsupported before 6.9 (FSC & 0x3c = 0x28)', () => {
    const f = s2fault('translation', 0x9200002bn, { level: -1, dfsc: 0x2b });
    expect(predictKvm('6.8.12', f, true)).toMatchObject({ path: 'unsupported_fsc', log: 'Unsupported FSC: EC=0x24 xFSC=0x2b ESR_EL2=0x9200002b' });
    expect(predictKvm('6.9', f, true)?.path).toBe('user_mem_abort');
  });
});
