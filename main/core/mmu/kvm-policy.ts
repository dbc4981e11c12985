// What Linux KVM/arm64 puts in stage 2 for each kind of guest memory, by kernel version (what it does with a
// stage-2 fault is in kvm-paths.ts, re-exported here). Sources: arch/arm64/kvm/mmu.c (user_mem_abort),
// hyp/pgtable.c (stage2_set_prot_attr), include/asm/memory.h (MT_S2_*); DOMAIN.md §3f with the commits named per
// row. Versions are mainline merge releases; distro kernels may have backported newer rows.
import { kernelAtLeast } from '../kernel-version';
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

export { kernelAltHex, predictKvm, unsupportedFscLog, type KvmPathId, type KvmPrediction } from './kvm-paths';
