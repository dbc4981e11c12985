// System register and System instruction names by encoding (Op0, Op1, CRn, CRm, Op2), for trapped
// MSR/MRS/SYS (EC 0x18) and MSRR/MRRS/SYSP (EC 0x14).
//
// Sources: encodings from the Arm ARM DDI0487 M.a.a register descriptions ("Accessing <reg>" encodings) as
// collected in Linux arch/arm64/tools/sysreg and arch/arm64/include/asm/sysreg.h (SYS_* defines, sys_insn()
// for DC/IC/AT/TLBI). The IMPLEMENTATION DEFINED space is the Arm ARM's "Reserved encodings for
// IMPLEMENTATION DEFINED registers" (Op0=0b11, CRn=0b1x11, i.e. CRn 11 or 15) and the matching System
// instruction space (Op0=0b01, CRn=0b1x11). KVM's line format: arch/arm64/kvm/sys_regs.c print_sys_reg_msg().
// The table covers the registers KVM traps and logs in practice; others get the generic S-form name.

import { ID_SPACE, SYSREG_TABLE } from './sysreg-table';
import type { SysregInfo } from './types';

export function encodeSysreg(op0: number, op1: number, crn: number, crm: number, op2: number): number {
  return (op0 << 14) | (op1 << 11) | (crn << 7) | (crm << 3) | op2;
}

function buildNames(): ReadonlyMap<number, string> {
  const names = new Map<number, string>();
  for (const line of SYSREG_TABLE.split('\n')) {
    const parts = line.trim().split(' ');
    if (parts.length < 6) continue;
    const [op0, op1, crn, crm, op2] = parts.slice(0, 5).map(Number) as [number, number, number, number, number];
    names.set(encodeSysreg(op0, op1, crn, crm, op2), parts.slice(5).join(' '));
  }
  ID_SPACE.forEach((row, i) =>
    row.forEach((name, op2) => {
      if (name) names.set(encodeSysreg(3, 0, 0, i + 1, op2), `${name}_EL1`);
    }),
  );
  // Register families numbered n: debug breakpoints/watchpoints, PMU event counters, GIC list registers.
  for (let n = 0; n < 16; n++) {
    names.set(encodeSysreg(2, 0, 0, n, 4), `DBGBVR${n}_EL1`);
    names.set(encodeSysreg(2, 0, 0, n, 5), `DBGBCR${n}_EL1`);
    names.set(encodeSysreg(2, 0, 0, n, 6), `DBGWVR${n}_EL1`);
    names.set(encodeSysreg(2, 0, 0, n, 7), `DBGWCR${n}_EL1`);
    names.set(encodeSysreg(3, 4, 12, 12 + (n >> 3), n & 7), `ICH_LR${n}_EL2`);
  }
  for (let n = 0; n < 31; n++) {
    names.set(encodeSysreg(3, 3, 14, 8 + (n >> 3), n & 7), `PMEVCNTR${n}_EL0`);
    names.set(encodeSysreg(3, 3, 14, 12 + (n >> 3), n & 7), `PMEVTYPER${n}_EL0`);
  }
  for (let n = 0; n < 4; n++) {
    names.set(encodeSysreg(3, 0, 12, 8, 4 + n), `ICC_AP0R${n}_EL1`);
    names.set(encodeSysreg(3, 0, 12, 9, n), `ICC_AP1R${n}_EL1`);
    names.set(encodeSysreg(3, 4, 12, 8, n), `ICH_AP0R${n}_EL2`);
    names.set(encodeSysreg(3, 4, 12, 9, n), `ICH_AP1R${n}_EL2`);
  }
  return names;
}

const NAMES = buildNames();

/** The assembler's generic name for an encoding: `S3_0_C15_C2_0`. */
export function genericSysregName(op0: number, op1: number, crn: number, crm: number, op2: number): string {
  return `S${op0}_${op1}_C${crn}_C${crm}_${op2}`;
}

/** Known name of a register or System instruction, or null. */
export function sysregName(op0: number, op1: number, crn: number, crm: number, op2: number): string | null {
  return NAMES.get(encodeSysreg(op0, op1, crn, crm, op2)) ?? null;
}

/** Op0=0b11 or 0b01 with CRn=0b1x11: the space reserved for IMPLEMENTATION DEFINED registers/instructions. */
export function isImpdefEncoding(op0: number, crn: number): boolean {
  return (op0 === 3 || op0 === 1) && (crn === 11 || crn === 15);
}

function instructionText(name: string, op0: number, rt: string, read: boolean, pair: boolean): string {
  if (op0 === 1) {
    if (read) return `SYSL${pair ? 'P' : ''} ${rt}, ${name}`;
    return /^(TLBI (VMALL|ALL)|IC IALLU)/.test(name) ? name : `${name}, ${rt}`;
  }
  if (pair) return read ? `MRRS ${rt}, ${name}` : `MSRR ${name}, ${rt}`;
  return read ? `MRS ${rt}, ${name}` : `MSR ${name}, ${rt}`;
}

const pad2 = (n: number): string => String(n).padStart(2, ' ');

/** Names a trapped MSR/MRS/SYS (EC 0x18) or MSRR/MRRS/SYSP (EC 0x14) from its ISS. */
export function describeSysregTrap(iss: number, pair: boolean): SysregInfo {
  const op0 = (iss >>> 20) & 3;
  const op2 = (iss >>> 17) & 7;
  const op1 = (iss >>> 14) & 7;
  const crn = (iss >>> 10) & 0xf;
  const crm = (iss >>> 1) & 0xf;
  const read = (iss & 1) === 1;
  const known = sysregName(op0, op1, crn, crm, op2);
  const name = known ?? genericSysregName(op0, op1, crn, crm, op2);
  const rtField = pair ? ((iss >>> 6) & 0xf) * 2 : (iss >>> 5) & 0x1f;
  const rt = pair ? `X${rtField}, X${rtField + 1}` : rtField === 31 ? 'XZR' : `X${rtField}`;
  return {
    op0,
    op1,
    crn,
    crm,
    op2,
    name,
    known: known !== null,
    impdef: isImpdefEncoding(op0, crn),
    read,
    instruction: instructionText(name, op0, rt, read, pair),
    kvmLine: ` { Op0(${pad2(op0)}), Op1(${pad2(op1)}), CRn(${pad2(crn)}), CRm(${pad2(crm)}), Op2(${pad2(op2)}), func_${read ? 'read' : 'write'} },`,
  };
}
