// What Linux KVM/arm64 does with a stage-2 guest abort, by kernel version, following
// arch/arm64/kvm/mmu.c kvm_handle_guest_abort() in its order:
//   1. the fault status must be translation, permission or access flag, else "Unsupported FSC" and -EFAULT
//      (before 6.9 the test was `FSC & 0x3c`, so the LPA2 level -1 translation fault 0x2B was unsupported; from
//      7.0, 2937aeec9dc5, an unsupported exclusive/atomic 0x35 is injected back into the guest);
//   2. the memslot lookup: outside every memslot (or a write to a read-only one) an instruction abort is
//      injected back (kvm_inject_pabt), a stage-1 walk (S1PTW) gets a data abort injected, cache maintenance
//      (CM) is skipped, anything else goes to io_mem_abort() (arch/arm64/kvm/mmio.c): with a valid syndrome
//      (ISV = 1) the access is emulated (an in-kernel device on the KVM MMIO bus, or KVM_EXIT_MMIO to the VMM;
//      tracepoint kvm_mmio; the PC then skips the instruction, kvm_handle_mmio_return), without one it fails;
//   3. inside a memslot: an access-flag fault is handle_access_fault() (the entry is made young), anything else
//      user_mem_abort() (the page is faulted in and mapped); the guest then re-executes the instruction.
// Messages: DOMAIN.md §3f. The synthesized syndrome has ISV = 0; a recorded ISV is passed in.
import { kernelAtLeast } from '../kernel-version';
import { EC_IABT_LOW, type FaultSyndrome } from './fault';

export type KvmPathId =
  | 'unsupported_fsc'
  | 'inject_fsc_0x35'
  | 'access_flag'
  | 'user_mem_abort'
  | 'io_mem_abort_mmio'
  | 'io_mem_abort_nisv'
  | 'io_mem_abort_cm_skip'
  | 's1ptw_outside_memslot'
  | 'iabt_outside_memslot'
  | 'memslot_unknown';

export interface KvmPrediction {
  readonly path: KvmPathId;
  readonly text: string;
  /** What KVM_RUN returns or what happens to the guest. */
  readonly result: string;
  /** The line KVM prints (without the `kvm [pid]: ` prefix), or null. */
  readonly log: string | null;
  readonly source: string;
  /** The condition the prediction holds under (set on the cases of `memslot_unknown`). */
  readonly when?: string;
  /** `memslot_unknown`: what KVM does inside a memslot, and outside every one. */
  readonly cases?: readonly KvmPrediction[];
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
// tracepoint kvm_mmio_nisv. From 5.5 (c726200dd106) KVM_CAP_ARM_NISV_TO_USER turns it into KVM_EXIT_ARM_NISV.]
const NISV_LOG: readonly { readonly since: string; readonly log: string | null }[] = [
  { since: '6.7', log: null },
  { since: '5.5', log: 'Data abort outside memslots with no valid syndrome info' },
  { since: '0.0', log: 'load/store instruction decoding not implemented' },
];

function nisvLog(kernel: string): string | null {
  for (const row of NISV_LOG) if (kernelAtLeast(kernel, row.since)) return row.log;
  return null;
}

const HANDLER = 'arch/arm64/kvm/mmu.c kvm_handle_guest_abort';
const INSIDE = 'the IPA is inside a memslot (guest RAM, or a BAR the VMM mapped)';
const OUTSIDE = 'the IPA is outside every memslot (emulated device memory)';

function insideMemslot(f: FaultSyndrome): KvmPrediction {
  if (f.type === 'access_flag') {
    return { path: 'access_flag', text: 'handle_access_fault makes the stage-2 entry young (sets its AF)', result: 'resolved; the guest re-executes the instruction', log: null, source: 'arch/arm64/kvm/mmu.c handle_access_fault' };
  }
  return {
    path: 'user_mem_abort',
    text: `user_mem_abort faults the page in and maps it at stage 2 (${f.type === 'permission' ? 'or relaxes the permissions of the existing entry' : 'the first touch of the page'})`,
    result: 'resolved; the guest re-executes the instruction',
    log: null,
    source: 'arch/arm64/kvm/mmu.c user_mem_abort',
  };
}

function nisv(kernel: string): KvmPrediction {
  return {
    path: 'io_mem_abort_nisv',
    text: 'MMIO emulation needs the instruction syndrome (ISV = 1) and there is none',
    result: `KVM_RUN returns -ENOSYS (QEMU: "error: kvm run failed Function not implemented")${kernelAtLeast(kernel, '5.5') === false ? '' : ', or KVM_EXIT_ARM_NISV to a VMM that enabled KVM_CAP_ARM_NISV_TO_USER'}`,
    log: nisvLog(kernel),
    source: 'arch/arm64/kvm/mmio.c io_mem_abort',
  };
}

function outsideMemslots(kernel: string, f: FaultSyndrome, syndromeValid: boolean): KvmPrediction {
  if (f.ec === EC_IABT_LOW) {
    return { path: 'iabt_outside_memslot', text: 'an instruction fetch from an IPA outside every memslot', result: 'a prefetch abort is injected into the guest (kvm_inject_pabt)', log: null, source: HANDLER };
  }
  if (f.s1ptw) {
    return { path: 's1ptw_outside_memslot', text: 'the guest page-table walk touched an IPA outside every memslot', result: 'a data abort is injected into the guest (kvm_inject_dabt)', log: null, source: HANDLER };
  }
  if (f.cm === 1) {
    return { path: 'io_mem_abort_cm_skip', text: 'cache maintenance outside memslots', result: 'the instruction is skipped', log: null, source: HANDLER };
  }
  if (syndromeValid) {
    return {
      path: 'io_mem_abort_mmio',
      text: 'io_mem_abort emulates the access from the syndrome (ISV = 1: size, register, direction): an in-kernel device on the KVM MMIO bus (vGIC) or a KVM_EXIT_MMIO exit to the VMM; tracepoint kvm_mmio',
      result: 'emulated; the guest resumes after the instruction',
      log: null,
      source: 'arch/arm64/kvm/mmio.c io_mem_abort, kvm_handle_mmio_return',
    };
  }
  return nisv(kernel);
}

/**
 * KVM's handling of a stage-2 fault (kvm_handle_guest_abort). `syndromeValid` is the recorded ESR ISV (the
 * synthesized syndrome has none). Stage-1 faults never reach KVM: null.
 */
export function predictKvm(kernel: string, f: FaultSyndrome, inMemslot: boolean | null, syndromeValid = false): KvmPrediction | null {
  if (f.stage !== 2) return null;
  const lpa2Translation = f.type === 'translation' && f.level === -1;
  const handled = (f.type === 'translation' || f.type === 'permission' || f.type === 'access_flag') && !(lpa2Translation && kernelAtLeast(kernel, '6.9') === false);
  if (!handled) {
    if (f.type === 'exclusive' && kernelAtLeast(kernel, '7.0')) {
      return { path: 'inject_fsc_0x35', text: 'KVM injects the unsupported exclusive/atomic fault back into the guest', result: 'fault injected into the guest', log: null, source: 'arch/arm64/kvm/mmu.c (2937aeec9dc5, v7.0)' };
    }
    return {
      path: 'unsupported_fsc',
      text: lpa2Translation
        ? 'a level -1 translation fault (FEAT_LPA2), which KVM before 6.9 does not recognise (FSC & 0x3c): KVM gives up on the vCPU'
        : 'the fault status is neither translation, permission nor access flag: KVM gives up on the vCPU',
      result: 'KVM_RUN returns -EFAULT (QEMU: "error: kvm run failed Bad address")',
      log: unsupportedFscLog(f.esr),
      source: HANDLER,
    };
  }
  // An entry with AF = 0 only exists where KVM mapped memslot memory: that fault is inside one.
  if (inMemslot === true || (inMemslot === null && f.type === 'access_flag')) return insideMemslot(f);
  if (inMemslot === false) return outsideMemslots(kernel, f, syndromeValid);
  const inside = { ...insideMemslot(f), when: INSIDE };
  const outside = { ...outsideMemslots(kernel, f, syndromeValid), when: OUTSIDE };
  return {
    path: 'memslot_unknown',
    text: `inside a memslot: ${inside.text}; outside every memslot: ${outside.text}`,
    result: `inside: ${inside.result}; outside: ${outside.result}`,
    log: null,
    source: HANDLER,
    cases: [inside, outside],
  };
}
