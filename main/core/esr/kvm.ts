// The KVM view of an ESR_EL2: which exit handler takes the syndrome and what it does.
//
// Source: Linux arch/arm64/kvm/handle_exit.c arm_exit_handlers[] (a default kvm_handle_unknown_ec() for
// every EC, "Unknown exception class: esr: %#016llx -- %s" and an UNDEF injected; specific handlers
// override), kvm_handle_guest_serror() in arch/arm64/include/asm/kvm_emulate.h / handle_exit.c (inject a
// virtual SError unless the RAS severity lets the guest continue; arm64_is_fatal_ras_serror() panics the
// host on UC), arch/arm64/kvm/sys_regs.c print_sys_reg_msg() ("Unsupported guest sys_reg access at: %lx
// [%08lx]" and the `{ Op0(..) ... }` line, then an UNDEF injected), handle_exit.c nvhe_hyp_panic_handler()
// ("nVHE hyp BUG at: %s:%u!", "HYP panic:"). Guest aborts: kvm-abort.ts.

import { kvmGeneration, kvmGuestAbort } from './kvm-abort';
import type { KernelVersion } from '../kernel-version';
import { kernelClassName } from './kernel-names';
import { describeSerror } from './serror';
import type { BrkInfo, KvmView, SysregInfo } from './types';

type Handler = readonly [handler: string, summary: string];

// handle_exit.c arm_exit_handlers[], EC -> handler (v6.12); ECs not listed go to kvm_handle_unknown_ec.
const HANDLERS: Readonly<Record<number, Handler>> = {
  0x01: ['kvm_handle_wfx', 'guest WFI/WFE: KVM blocks or yields the vCPU, then resumes the guest'],
  0x03: ['kvm_handle_cp15_32', 'AArch32 guest CP15 access: emulated, or UNDEF injected'],
  0x04: ['kvm_handle_cp15_64', 'AArch32 guest CP15 64-bit access: emulated, or UNDEF injected'],
  0x05: ['kvm_handle_cp14_32', 'AArch32 guest CP14 (debug) access: emulated, or UNDEF injected'],
  0x06: ['kvm_handle_cp14_load_store', 'AArch32 guest LDC/STC to CP14: UNDEF injected'],
  0x07: ['kvm_handle_fpasimd', 'guest FP/SIMD access trapped: KVM switches the FP state lazily and resumes'],
  0x09: ['kvm_handle_ptrauth', 'guest pointer authentication use trapped: enabled for the guest or UNDEF injected'],
  0x0c: ['kvm_handle_cp14_64', 'AArch32 guest CP14 64-bit access: emulated, or UNDEF injected'],
  0x12: ['handle_hvc', 'guest HVC (AArch32): hypercall (PSCI/SMCCC) handled by KVM or forwarded to the VMM'],
  0x13: ['handle_smc', 'guest SMC (AArch32): SMCCC call handled by KVM, forwarded to the VMM, or UNDEF'],
  0x15: ['handle_svc', 'guest SVC trapped (nested virtualization): forwarded to the guest hypervisor'],
  0x16: ['handle_hvc', 'guest HVC: hypercall (PSCI/SMCCC) handled by KVM or forwarded to the VMM (KVM_EXIT_HYPERCALL)'],
  0x17: ['handle_smc', 'guest SMC: SMCCC call handled by KVM, forwarded to the VMM, or UNDEF injected'],
  0x18: ['kvm_handle_sys_reg', 'guest MSR/MRS/SYS trapped: emulated by KVM (sys_regs.c); an unknown register gets a message and an UNDEF'],
  0x19: ['handle_sve', 'guest SVE access trapped: enabled for the guest or UNDEF injected'],
  0x1a: ['kvm_handle_eret', 'guest ERET trapped (nested virtualization): emulated'],
  0x1d: ['handle_sme', 'guest SME access trapped: enabled for the guest or UNDEF injected'],
  0x20: ['kvm_handle_guest_abort', 'guest instruction abort (stage 2)'],
  0x24: ['kvm_handle_guest_abort', 'guest data abort (stage 2)'],
  0x27: ['kvm_handle_mops', 'guest MOPS exception: KVM rewinds the CPY*/SET* sequence for the guest'],
  0x30: ['kvm_handle_guest_debug', 'guest breakpoint while the VMM debugs the guest: KVM_EXIT_DEBUG'],
  0x32: ['kvm_handle_guest_debug', 'guest software step while the VMM debugs the guest: KVM_EXIT_DEBUG'],
  0x34: ['kvm_handle_guest_debug', 'guest watchpoint while the VMM debugs the guest: KVM_EXIT_DEBUG'],
  0x38: ['kvm_handle_guest_debug', 'guest BKPT while the VMM debugs the guest: KVM_EXIT_DEBUG'],
  0x3c: ['kvm_handle_guest_debug', 'guest BRK while the VMM debugs the guest: KVM_EXIT_DEBUG'],
};

const hex16 = (v: bigint): string => `0x${v.toString(16).padStart(14, '0')}`;

function simple(handler: string, path: string, summary: string, v: KernelVersion | null, message: string | null = null): KvmView {
  return { handler, path, generation: kvmGeneration(v), summary, message, errno: null, vmm: null, outcomes: [] };
}

function sysregView(sysreg: SysregInfo, v: KernelVersion | null): KvmView {
  const [handler, summary] = HANDLERS[0x18] as Handler;
  const note = sysreg.impdef ? ' (an IMPLEMENTATION DEFINED register: KVM never emulates these)' : '';
  return simple(handler, 'sysreg_trap', `${summary}${note}`, v, `kvm [PID]: Unsupported guest sys_reg access at: <pc> [<pstate>]\n${sysreg.kvmLine}`);
}

function serrorView(iss: number, v: KernelVersion | null): KvmView {
  const s = describeSerror(iss);
  const base = 'kvm_handle_guest_serror';
  if (s.severity === 'impdef') return simple(base, 'serror', 'SError during the guest, not a RAS error: KVM injects a virtual SError into the guest', v);
  if (s.severity === 'CE' || s.severity === 'UEO') return simple(base, 'serror', `SError during the guest, ${s.severity}: KVM lets the guest continue (RAS hosts)`, v);
  if (s.severity === 'UEU' || s.severity === 'UER') return simple(base, 'serror', `SError during the guest, ${s.severity}: KVM injects a virtual SError into the guest`, v);
  return simple(base, 'serror', 'SError during the guest graded Uncontainable: the host panics (arm64_serror_panic, "Asynchronous SError Interrupt")', v);
}

function brkView(brk: BrkInfo, v: KernelVersion | null): KvmView {
  if (brk.immediate === 0x800) {
    return simple('nvhe_hyp_panic_handler', 'hyp_bug', 'BRK #0x800 at EL2 is the nVHE hypervisor\'s BUG(): the host prints it and panics ("HYP panic:"); from a guest it is a debug exit', v, 'kvm [PID]: nVHE hyp BUG at: <file>:<line>!');
  }
  const [handler, summary] = HANDLERS[0x3c] as Handler;
  return simple(handler, 'debug', summary, v);
}

export interface KvmInputs {
  readonly esr: bigint;
  readonly ec: number;
  readonly iss: number;
  readonly version: KernelVersion | null;
  readonly kernel?: string;
  readonly sysreg: SysregInfo | null;
  readonly brk: BrkInfo | null;
}

/** The KVM view of a value read from ESR_EL2. */
export function describeKvm(inp: KvmInputs): KvmView {
  const { esr, ec, iss, version: v } = inp;
  if (ec === 0x20 || ec === 0x24) return kvmGuestAbort(esr, ec, iss, v);
  if (ec === 0x21 || ec === 0x25) {
    return simple('(none: not a guest exit)', 'hyp_abort', 'abort taken at EL2 itself: with VHE this is the host kernel\'s own fault (its "Mem abort info" block); with nVHE/pKVM it is a hypervisor fault ending in "HYP panic:"', v);
  }
  if (ec === 0x2f) return serrorView(iss, v);
  if (ec === 0x18 && inp.sysreg) return sysregView(inp.sysreg, v);
  if (ec === 0x3c && inp.brk) return brkView(inp.brk, v);
  const known = HANDLERS[ec];
  if (known) return simple(known[0], 'trap', known[1], v);
  const text = `kvm [PID]: Unknown exception class: esr: ${hex16(esr)} -- ${kernelClassName(ec, inp.kernel)}`;
  return simple('kvm_handle_unknown_ec', 'unknown_ec', 'no KVM handler for this class: KVM prints a message and injects an UNDEFINED exception into the guest', v, text);
}
