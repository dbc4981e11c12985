// The what-if inputs as the controls edit them, and the choices the controls offer. The request shape is the
// contract's (replay:what-if); this only lists sensible values with their names.
import type { RequestOf } from '../../preload/contract';

export type WhatIfInputs = RequestOf<'replay:what-if'>;
export type S2Choice = WhatIfInputs['stage2'];

/** Linux guest helpers and their MAIR attributes (DOMAIN.md §3a; arch/arm64/include/asm/memory.h MT_*). */
export const GUEST_MAPPINGS: readonly { readonly attr: number; readonly label: string }[] = [
  { attr: 0x44, label: 'ioremap_wc: Normal-NC (0x44)' },
  { attr: 0x04, label: 'ioremap: Device-nGnRE (0x04)' },
  { attr: 0x00, label: 'ioremap_np: Device-nGnRnE (0x00)' },
  { attr: 0x0c, label: 'Device-GRE (0x0c)' },
  { attr: 0xbb, label: 'Normal-WT (0xbb)' },
  { attr: 0xff, label: 'RAM / ioremap_cache: Normal-WB (0xff)' },
];

/** KVM's stage-2 choice by kind of memory (main/core/mmu kvm-policy S2Region), or a MemAttr given as is. */
export const STAGE2_CHOICES: readonly { readonly key: string; readonly value: S2Choice; readonly label: string }[] = [
  { key: 'vfio-pci-bar', value: { region: 'vfio-pci-bar' }, label: "KVM's mapping of a vfio-pci BAR" },
  { key: 'ram', value: { region: 'ram' }, label: "KVM's mapping of guest RAM" },
  { key: 'pfnmap-device', value: { region: 'pfnmap-device' }, label: "KVM's mapping of other device memory (PFNMAP)" },
  { key: 'cacheable-pfnmap', value: { region: 'cacheable-pfnmap' }, label: "KVM's mapping of cacheable PFNMAP" },
  { key: 'm1', value: { memattr: 0b0001 }, label: 'MemAttr 0b0001: Device-nGnRE' },
  { key: 'm0', value: { memattr: 0b0000 }, label: 'MemAttr 0b0000: Device-nGnRnE' },
  { key: 'm5', value: { memattr: 0b0101 }, label: 'MemAttr 0b0101: Normal-NC' },
  { key: 'm6', value: { memattr: 0b0110 }, label: 'MemAttr 0b0110: FWB forced WB' },
  { key: 'm7', value: { memattr: 0b0111 }, label: 'MemAttr 0b0111: FWB as stage 1' },
  { key: 'm15', value: { memattr: 0b1111 }, label: 'MemAttr 0b1111: Normal-WB' },
];

export function stage2Key(s: S2Choice): string {
  return 'region' in s ? s.region : `m${s.memattr}`;
}

/** Kernels around KVM's stage-2 policy changes (main/core/mmu KVM_S2_POLICY: 6.9 vfio-pci NC, 6.17 cacheable PFNMAP). */
export const KERNEL_PRESETS: readonly string[] = ['5.15', '6.1', '6.8', '6.9', '6.17'];

export const ACCESS_SIZES: readonly number[] = [1, 2, 4, 8, 16, 32];

export const ACCESS_LABELS: Readonly<Record<WhatIfInputs['access']['kind'], string>> = {
  load: 'load (LDR)',
  store: 'store (STR)',
  load_pair: 'load pair (LDP)',
  store_pair: 'store pair (STP)',
  simd_load: 'SIMD load (LDR Q, LD1)',
  simd_store: 'SIMD store (STR Q, ST1)',
  exclusive_load: 'exclusive load (LDXR)',
  exclusive_store: 'exclusive store (STXR)',
  atomic_rmw: 'atomic (LDADD, CAS)',
  load_acquire: 'load-acquire (LDAR)',
  store_release: 'store-release (STLR)',
  dc_zva: 'DC ZVA',
  dc_civac: 'DC CIVAC',
  ifetch: 'instruction fetch',
};

/** The 2022 GPU passthrough case (DOMAIN.md §1): the inputs the what-if view starts from without a record. */
export const GPU_PASSTHROUGH_CASE: WhatIfInputs = {
  kernel: '6.1',
  fwb: false,
  stage2: { region: 'vfio-pci-bar' },
  s1Attr: 0x44,
  access: { kind: 'store', size: 8, offset: 0x001 },
  inMemslot: true,
};
