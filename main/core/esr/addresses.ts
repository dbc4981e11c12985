// FAR validity and the faulting IPA from HPFAR_EL2.
//
// Source: Arm ARM DDI0487 M.a.a, ISS FnV ("FAR not Valid": FAR holds an UNKNOWN value), HPFAR_EL2.FIPA
// bits [47:4] = IPA[55:12] (NS, bit 63, ignored); ASL IPAValid(): the IPA is recorded for a fault on a
// stage 1 walk (S1PTW) that is an Access flag, Permission, Translation or Address size fault, and for other
// stage 2 faults only when Access flag, Translation or Address size. Linux arch/arm64/kvm/hyp/include/hyp/
// fault.h __get_fault_info(): for permission faults without S1PTW, HPFAR is not valid and KVM translates
// FAR with AT S1E1R instead; kvm_vcpu_get_fault_ipa() = (HPFAR & HPFAR_MASK) << 8.

import type { LayoutId } from './exception-classes';
import type { EsrAddresses, EsrContext } from './types';

const FIPA_MASK = (1n << 44n) - 1n;

/** ASL IPAValid() for an abort ISS. */
function ipaValid(iss: number): boolean {
  const code = iss & 0x3f;
  const translation = (code >= 0x04 && code <= 0x07) || code === 0x2a || code === 0x2b;
  const addressSize = code <= 0x03 || code === 0x29 || code === 0x2c;
  const accessFlag = code >= 0x08 && code <= 0x0b;
  const permission = code >= 0x0c && code <= 0x0f;
  if (iss & 0x80) return translation || addressSize || accessFlag || permission;
  return translation || addressSize || accessFlag;
}

/** FAR validity and, with HPFAR_EL2, the IPA; odd combinations are appended to `warnings`. */
export function describeAddresses(layout: LayoutId, iss: number, el: 1 | 2 | null, ctx: EsrContext, warnings: string[]): EsrAddresses {
  const far = ctx.far ?? null;
  const hpfar = ctx.hpfar ?? null;
  const isAbort = layout === 'dabt' || layout === 'iabt';
  const fnv = (isAbort && (iss & 0x3f) === 0x10) || layout === 'watchpoint' ? (iss >>> 10) & 1 : 0;
  const farValid = far === null ? null : fnv === 0;
  if (far !== null && fnv === 1) warnings.push(`FnV=1: FAR holds an UNKNOWN value, so 0x${far.toString(16)} is not the faulting address`);
  if (hpfar === null) return { far, farValid, hpfar, ipa: null, ipaValid: null };

  if (el === 1) warnings.push('HPFAR_EL2 only describes exceptions taken to EL2, but the ESR is from ESR_EL1');
  const page = ((hpfar >> 4n) & FIPA_MASK) << 12n;
  const ipa = farValid === true && far !== null ? page | (far & 0xfffn) : page;
  const valid = isAbort ? ipaValid(iss) : false;
  if (!valid) {
    warnings.push(
      isAbort
        ? 'HPFAR_EL2 is UNKNOWN for this fault (ASL IPAValid(): not recorded for this fault type without S1PTW); KVM re-derives the IPA with AT S1E1R'
        : 'HPFAR_EL2 is only written for aborts: the IPA is left over from an earlier exception',
    );
  }
  return { far, farValid, hpfar, ipa, ipaValid: valid };
}
