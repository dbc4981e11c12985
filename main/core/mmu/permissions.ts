// Permission checks: ASL AArch64.S1DirectBasePermissions + AArch64.S1CheckPermissions (EL1&0 regime, direct
// permissions: no FEAT_S1PIE, no overlays, PSTATE.PAN = 0, SCTLR_EL1.WXN = 0) and
// AArch64.S2DirectBasePermissions + AArch64.S2CheckPermissions (no FEAT_S2PIE/S2POE, FEAT_XNX implemented).
import { ACCESS_KIND_INFO, type Access } from './access';
import type { MemAttrs } from './types';

export interface S1Perms {
  /** Descriptor AP[2:1] (bits [7:6]). */
  readonly ap: number;
  readonly pxn: boolean;
  readonly uxn: boolean;
  /** Hierarchical APTable[1:0] (table bits [62:61]) ORed over the walk; absent: no table restrictions. */
  readonly apTable?: number;
  readonly pxnTable?: boolean;
  readonly uxnTable?: boolean;
}

/** Permission bits of base permissions (r/w/x as a mask, so that checking allocates nothing). */
export const PERM_R = 1;
export const PERM_W = 2;
export const PERM_X = 4;

export interface S2Perms {
  /** S2AP[1:0] (bits [7:6]): bit 0 read, bit 1 write. */
  readonly s2ap: number;
  /** XN[1:0] (bits [54:53], FEAT_XNX). */
  readonly xn: number;
}

/** The outcome of a permission check: pass, a permission fault (with ASL fault.write), or a CONSTRAINED UNPREDICTABLE choice. */
export type PermResult = { readonly kind: 'ok' } | { readonly kind: 'fault'; readonly write: boolean } | { readonly kind: 'cu'; readonly what: string };

const OK: PermResult = { kind: 'ok' };

/**
 * ASL AArch64.S1DirectBasePermissions for the EL1&0 regime: r/w/x for the access's EL.
 *   AP[2:1]: 00 EL1 RW / EL0 none, 01 RW / RW, 10 RO / none, 11 RO / RO;
 *   APTable[0] removes EL0 access, APTable[1] removes write access;
 *   EL1 execute = !(PXN | PXNTable | EL0-writable), EL0 execute = !(UXN | UXNTable).
 */
export function s1BasePermissions(p: S1Perms, el: 0 | 1): number {
  const ap = p.ap & 3;
  const apTable = p.apTable ?? 0;
  const noEl0 = (apTable & 1) !== 0;
  const noWrite = (apTable & 2) !== 0;
  const uw = ap === 0b01 && !noEl0 && !noWrite;
  if (el === 0) return ((ap & 1) === 1 && !noEl0 ? PERM_R : 0) | (uw ? PERM_W : 0) | (p.uxn || p.uxnTable ? 0 : PERM_X);
  return PERM_R | ((ap & 2) === 0 && !noWrite ? PERM_W : 0) | (p.pxn || p.pxnTable || uw ? 0 : PERM_X);
}

const FAULT_READ: PermResult = { kind: 'fault', write: false };
const FAULT_WRITE: PermResult = { kind: 'fault', write: true };

function dataCheck(access: Access, perms: number): PermResult {
  const info = ACCESS_KIND_INFO[access.kind];
  // Read is checked before write (an atomic that may not read reports WnR = 0).
  if (info.read && (perms & PERM_R) === 0) return FAULT_READ;
  if (info.write && (perms & PERM_W) === 0) return FAULT_WRITE;
  return OK;
}

/**
 * ASL AArch64.S1CheckPermissions: instruction fetches need X (fetching from Device memory is CONSTRAINED
 * UNPREDICTABLE: Unpredictable_INSTRDEVICE); DC CIVAC needs read permission only at EL0; loads and stores need
 * R/W.
 */
export function s1CheckPermissions(access: Access, p: S1Perms, attrs: MemAttrs): PermResult {
  const perms = s1BasePermissions(p, access.el);
  const acctype = ACCESS_KIND_INFO[access.kind].acctype;
  if (acctype === 'IFETCH') {
    // The ASL asks Unpredictable_INSTRDEVICE first, but without execute permission both answers fault.
    if ((perms & PERM_X) === 0) return FAULT_READ;
    if (attrs.memtype === 'Device') return { kind: 'cu', what: 'instruction fetch from stage-1 Device memory (Unpredictable_INSTRDEVICE)' };
    return OK;
  }
  if (acctype === 'DC') return access.el === 0 && (perms & PERM_R) === 0 ? FAULT_WRITE : OK;
  return dataCheck(access, perms);
}

/** ASL AArch64.S2DirectBasePermissions: XN[1:0] 00 exec EL0+EL1, 01 EL0 only, 10 none, 11 EL1 only. */
export function s2BasePermissions(p: S2Perms, el: 0 | 1): number {
  const xn = p.xn & 3;
  const x = el === 0 ? xn === 0 || xn === 1 : xn === 0 || xn === 3;
  return (p.s2ap & 1 ? PERM_R : 0) | (p.s2ap & 2 ? PERM_W : 0) | (x ? PERM_X : 0);
}

/**
 * ASL AArch64.S2CheckPermissions for the access itself (acctype != TTW); see `s2CheckWalkPermissions` for the
 * stage-1 descriptor fetches.
 */
export function s2CheckPermissions(access: Access, p: S2Perms, attrs: MemAttrs): PermResult {
  const perms = s2BasePermissions(p, access.el);
  const acctype = ACCESS_KIND_INFO[access.kind].acctype;
  if (acctype === 'IFETCH') {
    // The ASL asks Unpredictable_INSTRDEVICE first, but without execute permission both answers fault.
    if ((perms & PERM_X) === 0) return FAULT_READ;
    if (attrs.memtype === 'Device') return { kind: 'cu', what: 'instruction fetch from stage-2 Device memory (Unpredictable_INSTRDEVICE)' };
    return OK;
  }
  if (acctype === 'DC') return access.el === 0 && (perms & PERM_R) === 0 ? FAULT_WRITE : OK;
  return dataCheck(access, perms);
}

/**
 * ASL AArch64.S2CheckPermissions for AccessType_TTW (a stage-1 table fetch): with HCR_EL2.PTW = 1 a walk into
 * stage-2 Device memory is a permission fault; otherwise the fetch needs S2AP read permission.
 */
export function s2CheckWalkPermissions(p: S2Perms, attrs: MemAttrs, ptw: boolean): boolean {
  if (ptw && attrs.memtype === 'Device') return false;
  return (p.s2ap & 1) !== 0;
}
