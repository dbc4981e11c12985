// KVM's path for a guest abort (ESR_EL2, EC 0x20/0x24), by kernel generation.
//
// Source: Linux arch/arm64/kvm/mmu.c kvm_handle_guest_abort(): (1) kvm_vcpu_abt_issea() -> RAS handling /
// virtual SError; (2) "Unsupported FSC: EC=%#x xFSC=%#lx ESR_EL2=%#lx" + -EFAULT unless the FSC is a
// translation, permission or access flag fault; (3) memslot lookup: RAM -> user_mem_abort() or
// handle_access_fault(); outside memslots (or a write to a read-only one): instruction abort injected, S1PTW
// abort injected, cache maintenance skipped, else io_mem_abort(). Generations: before v6.9 the checks used
// `FSC & 0x3C` (so 0x08 and 0x0C counted, 0x2B did not) and the SEA set had no level -1 codes; from v6.9
// (LPA2 rework) esr_fsc_is_{translation,permission,access_flag}_fault() and ESR_ELx_FSC_SEA_TTW(-1)/
// SECC_TTW(-1); from v7.0 (LS64 series) 0x35 (unsupported exclusive/atomic) is injected back into the guest.
// arch/arm64/kvm/mmio.c io_mem_abort(): no valid syndrome -> before v5.5 "load/store instruction decoding
// not implemented", v5.5-v6.6 kvm_pr_unimpl "Data abort outside memslots with no valid syndrome info",
// v6.7+ tracepoint kvm_mmio_nisv only; -ENOSYS, or KVM_EXIT_ARM_NISV with KVM_CAP_ARM_NISV_TO_USER.
// QEMU accel/kvm: "error: kvm run failed %s" with strerror(-ret).

import type { KernelVersion } from '../kernel-version';
import { atLeast } from './kernel-names';
import type { KvmOutcome, KvmView } from './types';

const hex = (n: number | bigint): string => `0x${n.toString(16)}`;

/** The FSCs kvm_vcpu_abt_issea() sends to the RAS path. */
function isKvmSea(fsc: number, v: KernelVersion | null): boolean {
  if (fsc === 0x10 || fsc === 0x18) return true;
  if ((fsc >= 0x14 && fsc <= 0x17) || (fsc >= 0x1c && fsc <= 0x1f)) return true;
  return atLeast(v, 6, 9) && (fsc === 0x13 || fsc === 0x1b);
}

/** Translation/permission/access flag per the generation's test; 'excl' for v7.0's 0x35 handling. */
function kvmFaultKind(fsc: number, v: KernelVersion | null): 'translation' | 'permission' | 'access_flag' | 'excl' | null {
  if (!atLeast(v, 6, 9)) {
    const type = fsc & 0x3c;
    return type === 0x04 ? 'translation' : type === 0x0c ? 'permission' : type === 0x08 ? 'access_flag' : null;
  }
  if ((fsc >= 0x04 && fsc <= 0x07) || fsc === 0x2b) return 'translation';
  if (fsc >= 0x0c && fsc <= 0x0f) return 'permission';
  if (fsc >= 0x08 && fsc <= 0x0b) return 'access_flag';
  if (fsc === 0x35 && atLeast(v, 7, 0)) return 'excl';
  return null;
}

export function kvmGeneration(v: KernelVersion | null): string {
  if (atLeast(v, 7, 0)) return v === null ? 'newest modelled (v7.0+)' : 'v7.0+';
  return atLeast(v, 6, 9) ? 'v6.9-v6.19' : 'before v6.9';
}

const NISV_CAP = 'or KVM_EXIT_ARM_NISV to the VMM if it enabled KVM_CAP_ARM_NISV_TO_USER';

function nisvOutcome(v: KernelVersion | null): KvmOutcome {
  const when = 'IPA outside every memslot (MMIO), or a write to a read-only memslot';
  if (atLeast(v, 6, 7)) {
    return { when, outcome: `no valid syndrome (ISV=0): KVM cannot emulate the access; tracepoint kvm_mmio_nisv, KVM_RUN fails with -ENOSYS (${NISV_CAP}); QEMU: "error: kvm run failed Function not implemented"`, message: null, errno: 'ENOSYS' };
  }
  const text = atLeast(v, 5, 5) ? 'Data abort outside memslots with no valid syndrome info' : 'load/store instruction decoding not implemented';
  return { when, outcome: `no valid syndrome (ISV=0): KVM cannot emulate the access; KVM_RUN fails with -ENOSYS (${NISV_CAP}); QEMU: "error: kvm run failed Function not implemented"`, message: `kvm [PID]: ${text}`, errno: 'ENOSYS' };
}

function outsideMemslots(ec: number, iss: number, v: KernelVersion | null): KvmOutcome {
  const when = 'IPA outside every memslot (MMIO), or a write to a read-only memslot';
  if (ec === 0x20) return { when, outcome: 'instruction fetch from non-RAM: KVM injects an abort into the guest', message: null, errno: null };
  if (iss & 0x80) return { when, outcome: 'stage 1 table walk into non-RAM (S1PTW=1): KVM injects a data abort into the guest', message: null, errno: null };
  if (iss & 0x100) return { when, outcome: 'cache maintenance (CM=1) on non-RAM: KVM skips the instruction', message: null, errno: null };
  if (!(iss & 0x1000000)) return nisvOutcome(v);
  return { when, outcome: 'MMIO with a valid syndrome: emulated by an in-kernel device (vGIC, ...) or a KVM_EXIT_MMIO to the VMM (trace kvm_mmio)', message: null, errno: null };
}

function insideMemslot(kind: 'translation' | 'permission' | 'access_flag'): KvmOutcome {
  const when = 'IPA is guest RAM (inside a memslot)';
  if (kind === 'access_flag') return { when, outcome: 'handle_access_fault(): the stage 2 access flag is set, the guest resumes', message: null, errno: null };
  return { when, outcome: `user_mem_abort(): KVM faults the page in and maps it at stage 2 (${kind} fault), the guest resumes`, message: null, errno: null };
}

/** The path of a stage 2 guest abort (EC 0x20/0x24 in ESR_EL2). */
export function kvmGuestAbort(esr: bigint, ec: number, iss: number, v: KernelVersion | null): KvmView {
  const fsc = iss & 0x3f;
  const base = { handler: 'kvm_handle_guest_abort', generation: kvmGeneration(v) };
  if (isKvmSea(fsc, v)) {
    return {
      ...base,
      path: 'sea',
      summary: 'synchronous External abort: kvm_handle_guest_sea() lets the host RAS code (APEI/GHES) claim it; otherwise KVM injects an SError/External abort into the guest',
      message: null,
      errno: null,
      vmm: null,
      outcomes: [],
    };
  }
  const kind = kvmFaultKind(fsc, v);
  if (kind === null) {
    return {
      ...base,
      path: 'unsupported_fsc',
      summary: `stage 2 fault with xFSC ${hex(fsc)}, which KVM does not handle (only translation, permission and access flag faults): KVM_RUN fails with -EFAULT`,
      message: `kvm [PID]: Unsupported FSC: EC=${hex(ec)} xFSC=${hex(fsc)} ESR_EL2=${hex(esr)}`,
      errno: 'EFAULT',
      vmm: 'error: kvm run failed Bad address',
      outcomes: [],
    };
  }
  if (kind === 'excl') {
    return { ...base, path: 'excl_atomic', summary: 'unsupported exclusive/atomic access (LS64 on the wrong memory): KVM injects the data abort back into the guest', message: null, errno: null, vmm: null, outcomes: [] };
  }
  return {
    ...base,
    path: 'stage2_fault',
    summary: `stage 2 ${kind.replace('_', ' ')} fault: handled by KVM; what happens depends on whether the IPA is guest RAM`,
    message: null,
    errno: null,
    vmm: null,
    outcomes: [insideMemslot(kind), outsideMemslots(ec, iss, v)],
  };
}
