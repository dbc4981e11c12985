// What Linux KVM/arm64 puts in stage 2 for each kind of guest memory, and what it does with a stage-2 fault,
// by kernel version. Sources: arch/arm64/kvm/mmu.c (user_mem_abort, kvm_handle_guest_abort), mmio.c
// (io_mem_abort), hyp/pgtable.c (stage2_set_prot_attr), include/asm/memory.h (MT_S2_*); DOMAIN.md §3f with the
// commits named per row. Versions are mainline merge releases; distro kernels may have backported newer rows.
import { kernelAtLeast } from '../kernel-version';
import type { FaultSyndrome } from './fault';
import { LINUX_S2 } from './s2-attrs';

/** The guest-physical region an access targets, as KVM classifies the backing VMA. */
export type S2Region = 'ram' | 'vfio-pci-bar' | 'pfnmap-device' | 'cacheable-pfnmap';

export interface S2PolicyRow {
  readonly region: S2Region;
  /** First mainline release with this behaviour. */
  readonly since: string;
  readonly memattr: { readonly nofwb: number; readonly fwb: number } | null;
  readonly text: string;
  readonly commits: readonly string[];
}

// Newest row first per region; the first row whose `since` the kernel reaches applies.
export const KVM_S2_POLICY: readonly S2PolicyRow[] = [
  {
    region: 'ram',
    since: '4.19',
    memattr: { nofwb: LINUX_S2.MT_S2_NORMAL, fwb: LINUX_S2.MT_S2_FWB_NORMAL },
    text: 'guest RAM: Normal WB (with FEAT_S2FWB and HCR_EL2.FWB set: forced WB, MemAttr 0b0110)',
    commits: ['e48d53a91f6e arm64: KVM: Add support for Stage-2 control of memory types and cacheability'],
  },
  { region: 'ram', since: '3.19', memattr: { nofwb: LINUX_S2.MT_S2_NORMAL, fwb: LINUX_S2.MT_S2_NORMAL }, text: 'guest RAM: Normal WB (PAGE_S2)', commits: [] },
  {
    region: 'vfio-pci-bar',
    since: '6.9',
    memattr: { nofwb: LINUX_S2.MT_S2_NORMAL_NC, fwb: LINUX_S2.MT_S2_FWB_NORMAL_NC },
    text: 'vfio-pci BAR (VMA has VM_ALLOW_ANY_UNCACHED): Normal-NC, MemAttr 0b0101',
    commits: [
      '8c47ce3e1d2c KVM: arm64: Set io memory s2 pte as normalnc for vfio pci device',
      '5c656fcdd6c6 mm: introduce new flag to indicate wc safe (VM_ALLOW_ANY_UNCACHED)',
      'a39d3a966a09 vfio: convey kvm that the vfio-pci device is wc safe',
      'c034ec84e879 KVM: arm64: Introduce new flag for non-cacheable IO memory',
    ],
  },
  {
    region: 'vfio-pci-bar',
    since: '3.19',
    memattr: { nofwb: LINUX_S2.MT_S2_DEVICE_nGnRE, fwb: LINUX_S2.MT_S2_FWB_DEVICE_nGnRE },
    text: 'vfio-pci BAR (PFNMAP): Device-nGnRE, MemAttr 0b0001 (PAGE_S2_DEVICE / KVM_PGTABLE_PROT_DEVICE)',
    commits: [],
  },
  {
    region: 'pfnmap-device',
    since: '3.19',
    memattr: { nofwb: LINUX_S2.MT_S2_DEVICE_nGnRE, fwb: LINUX_S2.MT_S2_FWB_DEVICE_nGnRE },
    text: 'other PFNMAP device memory (vfio-platform, GICv2 GICV): Device-nGnRE, MemAttr 0b0001',
    commits: [],
  },
  {
    region: 'cacheable-pfnmap',
    since: '6.17',
    memattr: { nofwb: LINUX_S2.MT_S2_NORMAL, fwb: LINUX_S2.MT_S2_FWB_NORMAL },
    text: 'cacheable PFNMAP (e.g. nvgrace-gpu usemem): Normal WB when FWB and CTR_EL0.DIC (kvm_supports_cacheable_pfnmap), else refused',
    commits: ['0c67288e0c8b KVM: arm64: Allow cacheable stage 2 mapping using VMA flags', '2a8dfab26677', '216887f79d98', '8cc9dc1ae4fb', 'f55ce5a6cd33'],
  },
  {
    region: 'cacheable-pfnmap',
    since: '3.19',
    memattr: { nofwb: LINUX_S2.MT_S2_DEVICE_nGnRE, fwb: LINUX_S2.MT_S2_FWB_DEVICE_nGnRE },
    text: 'cacheable PFNMAP: mapped as device memory, Device-nGnRE',
    commits: [],
  },
];

/** The policy row for a region under a kernel; null when the kernel string does not parse. */
export function kvmS2Policy(kernel: string, region: S2Region): S2PolicyRow | null {
  for (const row of KVM_S2_POLICY) {
    if (row.region !== region) continue;
    const at = kernelAtLeast(kernel, row.since);
    if (at === null) return null;
    if (at) return row;
  }
  return null;
}

export type KvmPathId =
  | 'unsupported_fsc'
  | 'inject_fsc_0x35'
  | 'access_flag'
  | 'user_mem_abort'
  | 'io_mem_abort_nisv'
  | 'io_mem_abort_cm_skip'
  | 's1ptw_outside_memslot'
  | 'memslot_unknown';

export interface KvmPrediction {
  readonly path: KvmPathId;
  readonly text: string;
  /** What KVM_RUN returns or what happens to the guest. */
  readonly result: string;
  /** The line KVM prints (without the `kvm [pid]: ` prefix), or null. */
  readonly log: string | null;
  readonly source: string;
}

/** The kernel's `%#x`/`%#lx` rendering as KVM's messages show it (DOMAIN.md §2: 0 prints "0x0"). */
export function kernelAltHex(v: bigint | number): string {
  return '0x' + v.toString(16);
}

/** `Unsupported FSC: EC=%#x xFSC=%#lx ESR_EL2=%#lx` [arch/arm64/kvm/mmu.c kvm_handle_guest_abort]. */
export function unsupportedFscLog(esr: bigint): string {
  const ec = Number((esr >> 26n) & 0x3fn);
  const fsc = Number(esr & 0x3fn);
  return `Unsupported FSC: EC=${kernelAltHex(ec)} xFSC=${kernelAltHex(fsc)} ESR_EL2=${kernelAltHex(esr)}`;
}

// The messages of an abort outside memslots without a valid syndrome (io_mem_abort, ISV = 0), by version.
// [arch/arm64/kvm/mmio.c; DOMAIN.md §3f: before 5.5 "load/store instruction decoding not implemented"; 5.5-6.6
// "Data abort outside memslots with no valid syndrome info" (kvm_pr_unimpl); from 6.7 (d11974dc5f20) no printk,
// tracepoint kvm_mmio_nisv. KVM_CAP_ARM_NISV_TO_USER turns it into a KVM_EXIT_ARM_NISV exit instead.]
const NISV_LOG: readonly { readonly since: string; readonly log: string | null }[] = [
  { since: '6.7', log: null },
  { since: '5.5', log: 'Data abort outside memslots with no valid syndrome info' },
  { since: '0.0', log: 'load/store instruction decoding not implemented' },
];

function nisvLog(kernel: string): string | null {
  for (const row of NISV_LOG) if (kernelAtLeast(kernel, row.since)) return row.log;
  return null;
}

/**
 * KVM's handling of a stage-2 fault (kvm_handle_guest_abort), for a synthesized syndrome (ISV = 0). Stage-1
 * faults never reach KVM: null.
 */
export function predictKvm(kernel: string, f: FaultSyndrome, inMemslot: boolean | null): KvmPrediction | null {
  if (f.stage !== 2) return null;
  const handled = f.type === 'translation' || f.type === 'permission' || f.type === 'access_flag';
  if (!handled) {
    if (f.type === 'exclusive' && kernelAtLeast(kernel, '7.0')) {
      return { path: 'inject_fsc_0x35', text: 'KVM injects the unsupported exclusive/atomic fault back into the guest', result: 'fault injected into the guest', log: null, source: 'arch/arm64/kvm/mmu.c (2937aeec9dc5, v7.0)' };
    }
    return {
      path: 'unsupported_fsc',
      text: 'the fault status is neither translation, permission nor access flag: KVM gives up on the vCPU',
      result: 'KVM_RUN returns -EFAULT (QEMU: "error: kvm run failed Bad address")',
      log: unsupportedFscLog(f.esr),
      source: 'arch/arm64/kvm/mmu.c kvm_handle_guest_abort',
    };
  }
  if (f.type === 'access_flag') {
    return { path: 'access_flag', text: 'handle_access_fault marks the stage-2 entry young', result: 'resolved; the guest retries', log: null, source: 'arch/arm64/kvm/mmu.c handle_access_fault' };
  }
  if (inMemslot === null) {
    return { path: 'memslot_unknown', text: 'inside a memslot user_mem_abort maps the page; outside one the abort is emulated as MMIO (io_mem_abort)', result: 'depends on whether the IPA is in a memslot', log: null, source: 'arch/arm64/kvm/mmu.c kvm_handle_guest_abort' };
  }
  if (inMemslot) {
    return { path: 'user_mem_abort', text: 'user_mem_abort faults the page in and maps it at stage 2', result: 'resolved; the guest retries', log: null, source: 'arch/arm64/kvm/mmu.c user_mem_abort' };
  }
  if (f.s1ptw) {
    return { path: 's1ptw_outside_memslot', text: 'the guest page-table walk touched an IPA outside every memslot', result: 'an external abort is injected into the guest', log: null, source: 'arch/arm64/kvm/mmu.c kvm_handle_guest_abort' };
  }
  if (f.cm === 1) {
    return { path: 'io_mem_abort_cm_skip', text: 'cache maintenance outside memslots', result: 'the instruction is skipped', log: null, source: 'arch/arm64/kvm/mmu.c kvm_handle_guest_abort' };
  }
  return {
    path: 'io_mem_abort_nisv',
    text: 'MMIO emulation needs the instruction syndrome (ISV = 1) and there is none',
    result: 'KVM_RUN returns -ENOSYS (QEMU: "error: kvm run failed Function not implemented"), or KVM_EXIT_ARM_NISV with KVM_CAP_ARM_NISV_TO_USER',
    log: nisvLog(kernel),
    source: 'arch/arm64/kvm/mmio.c io_mem_abort',
  };
}
