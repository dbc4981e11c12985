// Fault records and the syndrome the PE would report: ASL FaultRecord, EncodeLDFSC, AArch64.FaultSyndrome,
// AArch64.AbortSyndrome, IPAValid, and the exception class by target EL (Arm ARM D24.2 ESR_ELx; DOMAIN.md §3e).
import { ACCESS_KIND_INFO, type Access } from './access';

export type FaultType = 'translation' | 'access_flag' | 'permission' | 'address_size' | 'alignment' | 'exclusive';

/** What the model found, before it is encoded (the ASL FaultRecord fields the syndrome uses). */
export interface ModelFault {
  readonly stage: 1 | 2;
  readonly type: FaultType;
  /** Walk level for translation, access-flag, permission and address-size faults; null otherwise. */
  readonly level: number | null;
  /** ASL fault.s2fs1walk: a stage-2 fault on a stage-1 translation table walk. */
  readonly s1ptw: boolean;
  /** ASL fault.write: !read && write for the access, overridden by the permission check that failed. */
  readonly write: boolean;
  /** The faulting IPA for stage-2 faults (the descriptor's IPA for S1PTW faults). */
  readonly ipa: bigint | null;
}

export interface FaultSyndrome extends ModelFault {
  readonly takenTo: 'EL1' | 'EL2';
  readonly dfsc: number;
  readonly ec: number;
  /** ISS.WnR, null where the architecture makes it UNKNOWN (DFSC 0x35). */
  readonly wnr: 0 | 1 | null;
  readonly cm: 0 | 1;
  /** ESR_ELx as synthesized, ISV = 0 (no instruction syndrome assumed). */
  readonly esr: bigint;
  readonly far: bigint;
  /** HPFAR_EL2 when IPAValid() holds, else null (architecturally UNKNOWN). */
  readonly hpfar: bigint | null;
}

/**
 * ASL EncodeLDFSC(statuscode, level) for the fault types the model produces:
 *   address size 0b0000LL, translation 0b0001LL, access flag 0b0010LL, permission 0b0011LL (levels 0..3),
 *   alignment 0b100001, unsupported exclusive/atomic (Fault_Exclusive) 0b110101;
 *   level -1 (FEAT_LPA2): address size 0b101001, translation 0b101011 (DOMAIN.md §3e). Walks never produce
 *   level -1 here (52-bit addressing is not modelled), but a recorded level -1 translation fault can be replayed
 *   as an unmapped input at that level. The D128 level -2 codes are not produced.
 */
export function encodeLDFSC(type: FaultType, level: number | null): number {
  if (level === -1 && type === 'translation') return 0b101011;
  if (level === -1 && type === 'address_size') return 0b101001;
  const l = (level ?? 0) & 3;
  switch (type) {
    case 'address_size':
      return 0b000000 | l;
    case 'translation':
      return 0b000100 | l;
    case 'access_flag':
      return 0b001000 | l;
    case 'permission':
      return 0b001100 | l;
    case 'alignment':
      return 0b100001;
    case 'exclusive':
      return 0b110101;
  }
}

// Exception classes (Arm ARM D24.2.45 ESR_EL2.EC): instruction abort from a lower EL 0x20, same EL 0x21;
// data abort from a lower EL 0x24, same EL 0x25. Stage-2 faults go to EL2, always "from a lower EL".
export const EC_IABT_LOW = 0x20;
export const EC_IABT_CUR = 0x21;
export const EC_DABT_LOW = 0x24;
export const EC_DABT_CUR = 0x25;

/** ASL IPAValid: whether HPFAR_EL2 holds the faulting IPA. Stage-2 permission and alignment faults: no. */
export function ipaValid(f: ModelFault): boolean {
  if (f.stage !== 2) return false;
  if (f.s1ptw) return f.type === 'access_flag' || f.type === 'permission' || f.type === 'translation' || f.type === 'address_size';
  return f.type === 'access_flag' || f.type === 'translation' || f.type === 'address_size';
}

/** HPFAR_EL2.FIPA: IPA[47:12] in bits [43:4] (Arm ARM D24.2 HPFAR_EL2). */
export function hpfarFromIpa(ipa: bigint): bigint {
  return ((ipa >> 12n) & 0xf_ffff_ffffn) << 4n;
}

/**
 * ASL AArch64.DataAbort / AArch64.InstructionAbort + AArch64.FaultSyndrome for a fault of `access`:
 * target EL (stage 2 -> EL2, else EL1 with HCR_EL2.TGE = 0), EC, IL = 1, ISS = CM[8] S1PTW[7] WnR[6] DFSC[5:0]
 * for data aborts (CM and WnR are 1 for DC maintenance; WnR UNKNOWN for Fault_Exclusive), S1PTW and IFSC for
 * instruction aborts. ISV = 0: the model does not know the instruction encoding.
 */
export function synthesizeSyndrome(f: ModelFault, access: Access): FaultSyndrome {
  const info = ACCESS_KIND_INFO[access.kind];
  const takenTo = f.stage === 2 ? 'EL2' : 'EL1';
  const lower = takenTo === 'EL2' || access.el === 0;
  const ifetch = info.acctype === 'IFETCH';
  const ec = ifetch ? (lower ? EC_IABT_LOW : EC_IABT_CUR) : lower ? EC_DABT_LOW : EC_DABT_CUR;
  const dfsc = encodeLDFSC(f.type, f.level);
  const cm: 0 | 1 = info.acctype === 'DC' ? 1 : 0;
  const wnr: 0 | 1 | null = ifetch ? 0 : info.acctype === 'DC' ? 1 : f.type === 'exclusive' ? null : f.write ? 1 : 0;
  // The 32 low bits as a JS number (exact below 2^53), converted to bigint once.
  let iss = dfsc + (f.s1ptw ? 0x80 : 0);
  if (!ifetch) iss += cm * 0x100 + (wnr ?? 0) * 0x40;
  const esr = BigInt(ec * 0x4000000 + 0x2000000 + iss);
  return {
    stage: f.stage,
    type: f.type,
    level: f.level,
    s1ptw: f.s1ptw,
    write: f.write,
    ipa: f.ipa,
    takenTo,
    dfsc,
    ec,
    wnr,
    cm,
    esr,
    far: access.va,
    hpfar: ipaValid(f) && f.ipa !== null ? hpfarFromIpa(f.ipa) : null,
  };
}
