// Diagnosis rules as data: an id, a title, a condition over the facts (facts.ts), an explanation, and
// references (kernel commits, lore threads, versions, sources). Sources: DOMAIN.md §2/§3f and the files named
// per rule. Rules are independent; a record may match several.
import { isSyncExternalAbort } from '../esr/index';
import type { DiagnosisFacts } from './facts';

export interface Reference {
  readonly kind: 'commit' | 'lore' | 'version' | 'source' | 'spec';
  readonly text: string;
  readonly url: string | null;
}

export interface DiagnosisRule {
  readonly id: string;
  readonly title: string;
  readonly applies: (f: DiagnosisFacts) => boolean;
  readonly explain: (f: DiagnosisFacts) => string;
  readonly references: readonly Reference[];
}

// `subject` is the commit subject; `what` a description where DOMAIN.md names the commit but not its subject.
const commit = (sha: string, subject: string): Reference => ({ kind: 'commit', text: `${sha} ("${subject}")`, url: `https://git.kernel.org/torvalds/c/${sha}` });
const commitWhat = (sha: string, what: string): Reference => ({ kind: 'commit', text: `${sha} (${what})`, url: `https://git.kernel.org/torvalds/c/${sha}` });
const lore = (msgid: string, text: string): Reference => ({ kind: 'lore', text, url: `https://lore.kernel.org/r/${msgid}` });
const source = (text: string): Reference => ({ kind: 'source', text, url: null });
const spec = (text: string): Reference => ({ kind: 'spec', text, url: null });

const ALIGNMENT = 0x21;
// KVM gives up ("Unsupported FSC") on everything but translation, access flag and permission faults and the
// external aborts it routes to RAS (arch/arm64/kvm/mmu.c kvm_handle_guest_abort, 6.12).
const KVM_HANDLED = (fsc: number): boolean => (fsc >= 0x04 && fsc <= 0x0f) || fsc === 0x2b || isSyncExternalAbort(fsc);

function replayReproduces(f: DiagnosisFacts): boolean {
  return f.replay === null || f.replay.verdict.verdict !== 'inconsistent';
}

function seedExplanation(f: DiagnosisFacts): string {
  const head =
    'The guest made an unaligned access to memory that stage 2 maps as Device (KVM maps PCI BARs of passed-through ' +
    'devices Device-nGnRE), while the guest driver mapped it as Normal memory (write-combined, Normal-NC). The ' +
    'combined type is Device, Device memory takes an alignment fault on unaligned accesses, and since stage 1 was ' +
    'Normal the fault is reported at stage 2, to KVM. KVM cannot handle an alignment fault, prints "Unsupported FSC" ' +
    'and KVM_RUN fails with -EFAULT (QEMU: "kvm run failed Bad address").';
  const at = f.kernelAtLeast('6.9');
  if (at === false)
    return `${head} Linux 6.9 fixed this for vfio-pci: vfio-pci marks BAR mappings VM_ALLOW_ANY_UNCACHED and KVM then maps them Normal-NC at stage 2, so the combined type stays Normal-NC and the access completes. This host runs ${f.kernel}: upgrade to 6.9 or later (or backport the series).`;
  if (at === true)
    return `${head} This host runs ${f.kernel}, which maps vfio-pci BARs Normal-NC; a Device stage-2 mapping here means the region is not a vfio-pci BAR (vfio-platform or other PFNMAP memory, or cacheable device memory before 6.17), or the kernel lacks the 6.9 change.`;
  return `${head} Linux 6.9 fixed this for vfio-pci (VM_ALLOW_ANY_UNCACHED -> stage-2 Normal-NC); the host kernel version is not in the bundle.`;
}

export const DIAGNOSIS_RULES: readonly DiagnosisRule[] = [
  {
    id: 'vfio-bar-s2-device-unaligned',
    title: 'Unaligned guest access to a passed-through BAR that stage 2 maps as Device',
    applies: (f) => f.stage2 && f.ec === 0x24 && f.fsc === ALIGNMENT && replayReproduces(f),
    explain: seedExplanation,
    references: [
      commit('8c47ce3e1d2c', 'KVM: arm64: Set io memory s2 pte as normalnc for vfio pci device'),
      commit('5c656fcdd6c6', 'mm: introduce new flag to indicate wc safe'),
      commit('a39d3a966a09', 'vfio: convey kvm that the vfio-pci device is wc safe'),
      commit('c034ec84e879', 'KVM: arm64: Introduce new flag for non-cacheable IO memory'),
      { kind: 'version', text: 'fixed in Linux 6.9 (VM_ALLOW_ANY_UNCACHED)', url: null },
      lore('20220401090828.614167-1-xieming@kylinos.cn', '[PATCH v2] kvm/arm64: fixed passthrough gpu into vm on arm64 (2022, NAKed: not every device tolerates Normal-NC)'),
      spec('Arm ASL S2CombineS1MemAttrs, AArch64.S2HasAlignmentFault'),
      source('arch/arm64/kvm/mmu.c kvm_handle_guest_abort ("Unsupported FSC")'),
    ],
  },
  {
    id: 'kvm-unsupported-fsc',
    title: 'Stage-2 fault KVM does not handle (address size, TLB conflict, unsupported atomic)',
    applies: (f) => f.stage2 && (f.ec === 0x24 || f.ec === 0x20) && f.fsc !== null && f.fsc !== ALIGNMENT && !KVM_HANDLED(f.fsc),
    explain: (f) =>
      `KVM only handles translation, permission and access-flag faults at stage 2 (and routes external aborts to RAS); fault code 0x${(f.fsc ?? 0).toString(16)} (${f.decode?.fsc?.meaning ?? 'unknown'}) makes it print "Unsupported FSC" and fail KVM_RUN with -EFAULT.` +
      (f.fsc === 0x35 ? ' An unsupported exclusive/atomic access (0x35) is injected back into the guest from Linux 7.0.' : ''),
    references: [source('arch/arm64/kvm/mmu.c kvm_handle_guest_abort'), commitWhat('2937aeec9dc5', 'LS64 series, v7.0: 0x35 faults injected into the guest')],
  },
  {
    id: 'kvm-nisv-outside-memslots',
    title: 'Guest MMIO access without a valid instruction syndrome (ISV = 0)',
    applies: (f) =>
      f.record.kind === 'kvm_nisv' ||
      /no valid syndrome info|instruction decoding not implemented/.test(f.record.text) ||
      (f.stage2 && f.ec === 0x24 && !f.isv && f.replay?.outcome.kvm?.path === 'io_mem_abort_nisv'),
    explain: (f) =>
      'The guest accessed an IPA outside every memslot (emulated MMIO) with an instruction the hardware gives no syndrome for (load/store pair, SIMD, ' +
      'writeback addressing, exclusives, or a stage-2 fault on a stage-1 walk), so KVM cannot emulate it: KVM_RUN returns -ENOSYS ' +
      '(QEMU: "kvm run failed Function not implemented") unless the VMM enabled KVM_CAP_ARM_NISV_TO_USER. ' +
      (f.kernelAtLeast('6.7') ? 'Kernels from 6.7 print nothing; the kvm_mmio_nisv tracepoint shows the access.' : 'Kernels 5.5-6.6 print "Data abort outside memslots with no valid syndrome info".') +
      ' Fix the guest driver to use single-register accessors (readl/writel) on MMIO.',
    references: [
      source('arch/arm64/kvm/mmio.c io_mem_abort'),
      commit('c726200dd106', 'KVM: arm/arm64: Allow reporting non-ISV data aborts to userspace'),
      commitWhat('d11974dc5f20', 'v6.7: no printk, tracepoint kvm_mmio_nisv instead'),
    ],
  },
  {
    id: 'kvm-unsupported-sysreg',
    title: 'Guest access to a system register KVM does not emulate',
    applies: (f) => f.record.kind === 'kvm_sysreg_trap' || /Unsupported guest (sys_reg|CP\d+) access/.test(f.record.text),
    explain: (f) =>
      `The guest read or wrote ${f.decode?.sysreg ? `${f.decode.sysreg.name}${f.decode.sysreg.impdef ? ' (an IMPLEMENTATION DEFINED register)' : ''}` : 'a system register'} and KVM has no handler for it: KVM logs it and injects an UNDEFINED exception into the guest. ` +
      'Usually a guest driver or firmware touching a CPU-specific register that is not virtualized.',
    references: [source('arch/arm64/kvm/sys_regs.c emulate_sys_reg / print_sys_reg_msg'), spec('Arm ARM ESR_ELx EC 0x18 ISS (Op0, Op1, CRn, CRm, Op2, Direction)')],
  },
  {
    id: 'serror-ras',
    title: 'SError: severity under RAS',
    applies: (f) => f.record.kind === 'serror' || f.ec === 0x2f,
    explain: (f) => {
      const s = f.decode?.serror;
      if (!s) return 'An asynchronous SError; without a decodable ESR its severity is unknown.';
      return `SError ${s.description}: ${s.linuxReason}. ${s.linuxPanics ? 'Linux panics ("Asynchronous SError Interrupt").' : 'Linux carries on.'}` + (s.ids === 1 ? ' IDS = 1: the syndrome is IMPLEMENTATION DEFINED, see the CPU vendor documentation.' : '');
    },
    references: [spec('Arm ARM ESR_ELx ISS encoding for an SError (IDS, AET, DFSC)'), source('arch/arm64/kernel/traps.c arm64_is_fatal_ras_serror, do_serror')],
  },
  {
    id: 'synchronous-external-abort',
    title: 'Synchronous external abort (memory or bus error)',
    applies: (f) => f.fsc !== null && isSyncExternalAbort(f.fsc),
    explain: (f) =>
      `The access (or a translation table walk for it${f.fsc !== null && f.fsc >= 0x13 && f.fsc <= 0x17 ? ', as here' : ''}) got an external abort from the memory system: a bus or ECC error, or a device that did not respond. ` +
      (f.stage2 ? 'KVM routes it to kvm_handle_guest_sea (APEI/RAS) and may inject an abort into the guest.' : 'Linux handles it in do_sea (APEI/RAS first).'),
    references: [source('arch/arm64/mm/fault.c do_sea'), source('arch/arm64/kvm/mmu.c kvm_handle_guest_sea'), spec('Arm ARM DFSC 0b010000, 0b0101LL')],
  },
  {
    id: 's2-fault-on-s1-walk',
    title: 'Stage-2 fault on the guest\u2019s own page-table walk (S1PTW)',
    applies: (f) => f.stage2 && f.s1ptw,
    explain: () =>
      'The fault happened while the MMU read the guest\u2019s stage-1 page tables, not on the access itself: a guest page table lives at an IPA that stage 2 does not map ' +
      '(outside memslots: KVM injects an abort into the guest), maps without read permission, or maps as Device with HCR_EL2.PTW = 1. HPFAR_EL2 gives the IPA of the descriptor.',
    references: [spec('Arm ARM ESR_ELx ISS.S1PTW; ASL AArch64.S1Walk, AArch64.S2CheckPermissions (AccessType_TTW)'), source('arch/arm64/kvm/mmu.c kvm_handle_guest_abort')],
  },
  {
    id: 'host-kernel-abort-in-kvm',
    title: 'Host kernel abort inside KVM',
    applies: (f) => (f.record.kind === 'mem_abort' || f.record.kind === 'kernel_bug') && f.ec === 0x25 && /\b(kvm_\w+|__kvm\w*|io_mem_abort|vgic_\w+|handle_exit)\b/.test(f.record.text),
    explain: () =>
      'The host kernel itself faulted while running KVM code (the call trace goes through KVM): a KVM or emulated-device bug, not a guest fault. Report it upstream with the whole Oops.',
    references: [source('../shared/samples/logs/010-kvm-vgic-mmio-guest-abort-null-deref-64k.log (vgic MMIO NULL dereference)'), { kind: 'lore', text: 'kvmarm@lists.linux.dev', url: 'https://lore.kernel.org/kvmarm/' }],
  },
  {
    id: 'smmu-translation-fault-vfio',
    title: 'SMMU translation fault for a device',
    applies: (f) => (f.record.kind === 'smmu_event' && f.smmuEvent === 0x10) || (f.record.kind === 'smmu_context_fault' && f.smmuFsr !== null && (f.smmuFsr & 0x2) !== 0),
    explain: (f) =>
      'A device DMA used an address the IOMMU domain does not map (SMMUv3 event 0x10 F_TRANSLATION, or SMMUv2 FSR.TF). ' +
      (f.hasVfioDevice
        ? 'With a vfio-pci device in the bundle: the guest programmed a DMA address outside the memory the VMM mapped into the VFIO container, or (nested/vIOMMU) the guest\u2019s own IOMMU mapping is missing.'
        : 'A driver handed the device an unmapped or already-unmapped IOVA.'),
    references: [source('drivers/iommu/arm/arm-smmu-v3/arm-smmu-v3.c arm_smmu_evtq_thread (EVT_ID_TRANSLATION_FAULT 0x10)'), source('drivers/iommu/arm/arm-smmu/arm-smmu.c arm_smmu_context_fault (ARM_SMMU_FSR_TF)')],
  },
];
