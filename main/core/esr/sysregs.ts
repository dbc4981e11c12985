// System register and System instruction names by encoding (Op0, Op1, CRn, CRm, Op2), for trapped
// MSR/MRS/SYS (EC 0x18) and MSRR/MRRS/SYSP (EC 0x14).
//
// Sources: encodings from the Arm ARM DDI0487 M.a.a register descriptions ("Accessing <reg>" encodings) as
// collected in Linux arch/arm64/tools/sysreg and arch/arm64/include/asm/sysreg.h (SYS_* defines, sys_insn()
// for DC/IC/AT/TLBI). The IMPLEMENTATION DEFINED space is the Arm ARM's "Reserved encodings for
// IMPLEMENTATION DEFINED registers" (Op0=0b11, CRn=0b1x11, i.e. CRn 11 or 15) and the matching System
// instruction space (Op0=0b01, CRn=0b1x11). KVM's line format: arch/arm64/kvm/sys_regs.c print_sys_reg_msg().
// The table covers the registers KVM traps and logs in practice; others get the generic S-form name.

import type { SysregInfo } from './types';

// "op0 op1 crn crm op2 NAME", one per line.
const TABLE = `
3 0 0 0 0 MIDR_EL1
3 0 0 0 5 MPIDR_EL1
3 0 0 0 6 REVIDR_EL1
3 0 1 0 0 SCTLR_EL1
3 0 1 0 1 ACTLR_EL1
3 0 1 0 2 CPACR_EL1
3 0 1 0 3 SCTLR2_EL1
3 0 1 0 5 RGSR_EL1
3 0 1 0 6 GCR_EL1
3 0 1 2 0 ZCR_EL1
3 0 1 2 1 TRFCR_EL1
3 0 1 2 4 SMPRI_EL1
3 0 1 2 6 SMCR_EL1
3 0 2 0 0 TTBR0_EL1
3 0 2 0 1 TTBR1_EL1
3 0 2 0 2 TCR_EL1
3 0 2 0 3 TCR2_EL1
3 0 2 1 0 APIAKEYLO_EL1
3 0 2 1 1 APIAKEYHI_EL1
3 0 2 1 2 APIBKEYLO_EL1
3 0 2 1 3 APIBKEYHI_EL1
3 0 2 2 0 APDAKEYLO_EL1
3 0 2 2 1 APDAKEYHI_EL1
3 0 2 2 2 APDBKEYLO_EL1
3 0 2 2 3 APDBKEYHI_EL1
3 0 2 3 0 APGAKEYLO_EL1
3 0 2 3 1 APGAKEYHI_EL1
3 0 2 5 0 GCSCR_EL1
3 0 2 5 1 GCSPR_EL1
3 0 2 5 2 GCSCRE0_EL1
3 0 4 0 0 SPSR_EL1
3 0 4 0 1 ELR_EL1
3 0 4 1 0 SP_EL0
3 0 4 2 0 SPSel
3 0 4 2 2 CurrentEL
3 0 4 2 3 PAN
3 0 4 2 4 UAO
3 0 4 6 0 ICC_PMR_EL1
3 0 5 1 0 AFSR0_EL1
3 0 5 1 1 AFSR1_EL1
3 0 5 2 0 ESR_EL1
3 0 5 3 0 ERRIDR_EL1
3 0 5 3 1 ERRSELR_EL1
3 0 5 4 0 ERXFR_EL1
3 0 5 4 1 ERXCTLR_EL1
3 0 5 4 2 ERXSTATUS_EL1
3 0 5 4 3 ERXADDR_EL1
3 0 5 5 0 ERXMISC0_EL1
3 0 5 5 1 ERXMISC1_EL1
3 0 5 6 0 TFSR_EL1
3 0 5 6 1 TFSRE0_EL1
3 0 6 0 0 FAR_EL1
3 0 7 4 0 PAR_EL1
3 0 9 9 0 PMSCR_EL1
3 0 9 9 2 PMSICR_EL1
3 0 9 9 3 PMSIRR_EL1
3 0 9 9 4 PMSFCR_EL1
3 0 9 9 5 PMSEVFR_EL1
3 0 9 9 6 PMSLATFR_EL1
3 0 9 9 7 PMSIDR_EL1
3 0 9 10 0 PMBLIMITR_EL1
3 0 9 10 1 PMBPTR_EL1
3 0 9 10 3 PMBSR_EL1
3 0 9 10 7 PMBIDR_EL1
3 0 9 14 1 PMINTENSET_EL1
3 0 9 14 2 PMINTENCLR_EL1
3 0 9 14 6 PMMIR_EL1
3 0 10 2 0 MAIR_EL1
3 0 10 2 2 PIRE0_EL1
3 0 10 2 3 PIR_EL1
3 0 10 2 4 POR_EL1
3 0 10 3 0 AMAIR_EL1
3 0 10 4 0 LORSA_EL1
3 0 10 4 1 LOREA_EL1
3 0 10 4 2 LORN_EL1
3 0 10 4 3 LORC_EL1
3 0 10 4 7 LORID_EL1
3 0 10 5 0 MPAM1_EL1
3 0 10 5 1 MPAM0_EL1
3 0 12 0 0 VBAR_EL1
3 0 12 0 1 RVBAR_EL1
3 0 12 0 2 RMR_EL1
3 0 12 1 0 ISR_EL1
3 0 12 1 1 DISR_EL1
3 0 12 8 0 ICC_IAR0_EL1
3 0 12 8 1 ICC_EOIR0_EL1
3 0 12 8 2 ICC_HPPIR0_EL1
3 0 12 8 3 ICC_BPR0_EL1
3 0 12 11 1 ICC_DIR_EL1
3 0 12 11 3 ICC_RPR_EL1
3 0 12 11 5 ICC_SGI1R_EL1
3 0 12 11 6 ICC_ASGI1R_EL1
3 0 12 11 7 ICC_SGI0R_EL1
3 0 12 12 0 ICC_IAR1_EL1
3 0 12 12 1 ICC_EOIR1_EL1
3 0 12 12 2 ICC_HPPIR1_EL1
3 0 12 12 3 ICC_BPR1_EL1
3 0 12 12 4 ICC_CTLR_EL1
3 0 12 12 5 ICC_SRE_EL1
3 0 12 12 6 ICC_IGRPEN0_EL1
3 0 12 12 7 ICC_IGRPEN1_EL1
3 0 13 0 1 CONTEXTIDR_EL1
3 0 13 0 4 TPIDR_EL1
3 0 13 0 7 SCXTNUM_EL1
3 0 14 1 0 CNTKCTL_EL1
3 1 0 0 0 CCSIDR_EL1
3 1 0 0 1 CLIDR_EL1
3 1 0 0 2 CCSIDR2_EL1
3 1 0 0 4 GMID_EL1
3 1 0 0 7 AIDR_EL1
3 2 0 0 0 CSSELR_EL1
3 3 0 0 1 CTR_EL0
3 3 0 0 7 DCZID_EL0
3 3 2 4 0 RNDR
3 3 2 4 1 RNDRRS
3 3 4 2 0 NZCV
3 3 4 2 1 DAIF
3 3 4 2 2 SVCR
3 3 4 2 5 DIT
3 3 4 2 6 SSBS
3 3 4 2 7 TCO
3 3 4 4 0 FPCR
3 3 4 4 1 FPSR
3 3 4 5 0 DSPSR_EL0
3 3 4 5 1 DLR_EL0
3 3 9 12 0 PMCR_EL0
3 3 9 12 1 PMCNTENSET_EL0
3 3 9 12 2 PMCNTENCLR_EL0
3 3 9 12 3 PMOVSCLR_EL0
3 3 9 12 4 PMSWINC_EL0
3 3 9 12 5 PMSELR_EL0
3 3 9 12 6 PMCEID0_EL0
3 3 9 12 7 PMCEID1_EL0
3 3 9 13 0 PMCCNTR_EL0
3 3 9 13 1 PMXEVTYPER_EL0
3 3 9 13 2 PMXEVCNTR_EL0
3 3 9 14 0 PMUSERENR_EL0
3 3 9 14 3 PMOVSSET_EL0
3 3 13 0 2 TPIDR_EL0
3 3 13 0 3 TPIDRRO_EL0
3 3 13 0 5 TPIDR2_EL0
3 3 14 0 0 CNTFRQ_EL0
3 3 14 0 1 CNTPCT_EL0
3 3 14 0 2 CNTVCT_EL0
3 3 14 0 5 CNTPCTSS_EL0
3 3 14 0 6 CNTVCTSS_EL0
3 3 14 2 0 CNTP_TVAL_EL0
3 3 14 2 1 CNTP_CTL_EL0
3 3 14 2 2 CNTP_CVAL_EL0
3 3 14 3 0 CNTV_TVAL_EL0
3 3 14 3 1 CNTV_CTL_EL0
3 3 14 3 2 CNTV_CVAL_EL0
3 3 14 15 7 PMCCFILTR_EL0
3 4 0 0 0 VPIDR_EL2
3 4 0 0 5 VMPIDR_EL2
3 4 1 0 0 SCTLR_EL2
3 4 1 0 1 ACTLR_EL2
3 4 1 1 0 HCR_EL2
3 4 1 1 1 MDCR_EL2
3 4 1 1 2 CPTR_EL2
3 4 1 1 3 HSTR_EL2
3 4 1 1 4 HFGRTR_EL2
3 4 1 1 5 HFGWTR_EL2
3 4 1 1 6 HFGITR_EL2
3 4 1 1 7 HACR_EL2
3 4 1 2 0 ZCR_EL2
3 4 1 3 1 HCRX_EL2
3 4 2 0 0 TTBR0_EL2
3 4 2 0 1 TTBR1_EL2
3 4 2 0 2 TCR_EL2
3 4 2 1 0 VTTBR_EL2
3 4 2 1 2 VTCR_EL2
3 4 2 2 0 VNCR_EL2
3 4 4 0 0 SPSR_EL2
3 4 4 0 1 ELR_EL2
3 4 4 1 0 SP_EL1
3 4 5 2 0 ESR_EL2
3 4 6 0 0 FAR_EL2
3 4 6 0 4 HPFAR_EL2
3 4 10 2 0 MAIR_EL2
3 4 12 0 0 VBAR_EL2
3 4 12 11 0 ICH_HCR_EL2
3 4 12 11 1 ICH_VTR_EL2
3 4 12 11 2 ICH_MISR_EL2
3 4 12 11 3 ICH_EISR_EL2
3 4 12 11 5 ICH_ELRSR_EL2
3 4 12 11 7 ICH_VMCR_EL2
3 4 13 0 1 CONTEXTIDR_EL2
3 4 13 0 2 TPIDR_EL2
3 4 14 0 3 CNTVOFF_EL2
3 4 14 1 0 CNTHCTL_EL2
3 4 14 2 0 CNTHP_TVAL_EL2
3 4 14 2 1 CNTHP_CTL_EL2
3 4 14 2 2 CNTHP_CVAL_EL2
3 5 1 0 0 SCTLR_EL12
3 5 1 0 2 CPACR_EL12
3 5 2 0 0 TTBR0_EL12
3 5 2 0 1 TTBR1_EL12
3 5 2 0 2 TCR_EL12
3 5 4 0 0 SPSR_EL12
3 5 4 0 1 ELR_EL12
3 5 5 1 0 AFSR0_EL12
3 5 5 1 1 AFSR1_EL12
3 5 5 2 0 ESR_EL12
3 5 6 0 0 FAR_EL12
3 5 10 2 0 MAIR_EL12
3 5 10 3 0 AMAIR_EL12
3 5 12 0 0 VBAR_EL12
3 5 13 0 1 CONTEXTIDR_EL12
3 5 14 1 0 CNTKCTL_EL12
3 5 14 2 0 CNTP_TVAL_EL02
3 5 14 2 1 CNTP_CTL_EL02
3 5 14 2 2 CNTP_CVAL_EL02
3 5 14 3 0 CNTV_TVAL_EL02
3 5 14 3 1 CNTV_CTL_EL02
3 5 14 3 2 CNTV_CVAL_EL02
3 6 1 0 0 SCTLR_EL3
3 6 1 1 0 SCR_EL3
3 6 1 1 2 CPTR_EL3
3 6 5 2 0 ESR_EL3
3 6 6 0 0 FAR_EL3
3 6 12 0 0 VBAR_EL3
2 0 0 0 2 OSDTRRX_EL1
2 0 0 2 0 MDCCINT_EL1
2 0 0 2 2 MDSCR_EL1
2 0 0 3 2 OSDTRTX_EL1
2 0 0 6 2 OSECCR_EL1
2 0 1 0 0 MDRAR_EL1
2 0 1 0 4 OSLAR_EL1
2 0 1 1 4 OSLSR_EL1
2 0 1 3 4 OSDLR_EL1
2 0 1 4 4 DBGPRCR_EL1
2 0 7 8 6 DBGCLAIMSET_EL1
2 0 7 9 6 DBGCLAIMCLR_EL1
2 0 7 14 6 DBGAUTHSTATUS_EL1
2 3 0 1 0 MDCCSR_EL0
2 3 0 4 0 DBGDTR_EL0
2 3 0 5 0 DBGDTRRX_EL0
2 4 0 7 0 DBGVCR32_EL2
1 0 7 1 0 IC IALLUIS
1 0 7 5 0 IC IALLU
1 3 7 5 1 IC IVAU
1 0 7 6 1 DC IVAC
1 0 7 6 2 DC ISW
1 0 7 10 2 DC CSW
1 0 7 14 2 DC CISW
1 3 7 4 1 DC ZVA
1 3 7 10 1 DC CVAC
1 3 7 11 1 DC CVAU
1 3 7 12 1 DC CVAP
1 3 7 13 1 DC CVADP
1 3 7 14 1 DC CIVAC
1 0 7 8 0 AT S1E1R
1 0 7 8 1 AT S1E1W
1 0 7 8 2 AT S1E0R
1 0 7 8 3 AT S1E0W
1 0 7 9 0 AT S1E1RP
1 0 7 9 1 AT S1E1WP
1 4 7 8 0 AT S1E2R
1 4 7 8 1 AT S1E2W
1 4 7 8 4 AT S12E1R
1 4 7 8 5 AT S12E1W
1 4 7 8 6 AT S12E0R
1 4 7 8 7 AT S12E0W
1 0 8 1 0 TLBI VMALLE1OS
1 0 8 3 0 TLBI VMALLE1IS
1 0 8 3 1 TLBI VAE1IS
1 0 8 3 2 TLBI ASIDE1IS
1 0 8 3 3 TLBI VAAE1IS
1 0 8 3 5 TLBI VALE1IS
1 0 8 3 7 TLBI VAALE1IS
1 0 8 7 0 TLBI VMALLE1
1 0 8 7 1 TLBI VAE1
1 0 8 7 2 TLBI ASIDE1
1 0 8 7 3 TLBI VAAE1
1 0 8 7 5 TLBI VALE1
1 0 8 7 7 TLBI VAALE1
1 4 8 0 1 TLBI IPAS2E1IS
1 4 8 0 5 TLBI IPAS2LE1IS
1 4 8 3 0 TLBI ALLE2IS
1 4 8 3 4 TLBI ALLE1IS
1 4 8 3 6 TLBI VMALLS12E1IS
1 4 8 4 1 TLBI IPAS2E1
1 4 8 7 0 TLBI ALLE2
1 4 8 7 4 TLBI ALLE1
1 4 8 7 6 TLBI VMALLS12E1
`;

// The ID register space (Op0=3, Op1=0, CRn=0, CRm=1..7), by CRm then Op2; '' = reserved (RAZ).
const ID_SPACE: readonly (readonly string[])[] = [
  ['ID_PFR0', 'ID_PFR1', 'ID_DFR0', 'ID_AFR0', 'ID_MMFR0', 'ID_MMFR1', 'ID_MMFR2', 'ID_MMFR3'],
  ['ID_ISAR0', 'ID_ISAR1', 'ID_ISAR2', 'ID_ISAR3', 'ID_ISAR4', 'ID_ISAR5', 'ID_MMFR4', 'ID_ISAR6'],
  ['MVFR0', 'MVFR1', 'MVFR2', '', 'ID_PFR2', 'ID_DFR1', 'ID_MMFR5', ''],
  ['ID_AA64PFR0', 'ID_AA64PFR1', 'ID_AA64PFR2', '', 'ID_AA64ZFR0', 'ID_AA64SMFR0', '', 'ID_AA64FPFR0'],
  ['ID_AA64DFR0', 'ID_AA64DFR1', 'ID_AA64DFR2', '', 'ID_AA64AFR0', 'ID_AA64AFR1', '', ''],
  ['ID_AA64ISAR0', 'ID_AA64ISAR1', 'ID_AA64ISAR2', 'ID_AA64ISAR3', '', '', '', ''],
  ['ID_AA64MMFR0', 'ID_AA64MMFR1', 'ID_AA64MMFR2', 'ID_AA64MMFR3', 'ID_AA64MMFR4', '', '', ''],
];

export function encodeSysreg(op0: number, op1: number, crn: number, crm: number, op2: number): number {
  return (op0 << 14) | (op1 << 11) | (crn << 7) | (crm << 3) | op2;
}

function buildNames(): ReadonlyMap<number, string> {
  const names = new Map<number, string>();
  for (const line of TABLE.split('\n')) {
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
