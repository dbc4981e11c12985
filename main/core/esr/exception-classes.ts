// Exception classes: one row per allocated EC, a default row for the unallocated ones.
//
// Source: Arm ARM DDI0487 M.a.a, ESR_EL1/ESR_EL2/ESR_EL3 "EC, bits [31:26]" (D24.2.45-47): the description
// column is the manual's wording, shortened. `name` is the Linux ESR_ELx_EC_* suffix from
// arch/arm64/include/asm/esr.h (v6.13+); 0x14, 0x1E and 0x3D have no Linux define, and carry the names the
// project's DOMAIN.md §2 table gives them. `reportedTo` follows the "EL2 only" / "EL2 and above" / "EL3
// only" notes in esr.h and the manual's "Applies when" column. `layout` picks the ISS layout (layouts/*.ts).

import type { EcInfo } from './types';

/** Which ESR_ELx can hold a class: any, ESR_EL2 only, ESR_EL2 and ESR_EL3, ESR_EL3 only. */
export type Reportable = 'any' | 'el2' | 'el2+' | 'el3';

export type LayoutId =
  | 'res0'
  | 'wfx'
  | 'mcr'
  | 'mcrr'
  | 'ldc'
  | 'cv_cond'
  | 'other'
  | 'bti'
  | 'imm16'
  | 'smc32'
  | 'sys128'
  | 'sys64'
  | 'eret'
  | 'fpac'
  | 'sme'
  | 'gpc'
  | 'impdef'
  | 'iabt'
  | 'dabt'
  | 'mops'
  | 'fp_exc'
  | 'gcs'
  | 'serror'
  | 'breakpoint'
  | 'step'
  | 'watchpoint'
  | 'comment16'
  | 'vector_catch'
  | 'profiling'
  | 'unallocated';

export interface EcRow extends EcInfo {
  readonly layout: LayoutId;
  readonly reportedTo: Reportable;
  /** Architecture feature that introduced the class, when not in the base architecture. */
  readonly feature: string | null;
}

type RowSpec = readonly [code: number, name: string, layout: LayoutId, description: string, reportedTo?: Reportable, feature?: string];

// Arm ARM EC table, in EC order (see the citation above).
const ALLOCATED: readonly RowSpec[] = [
  [0x00, 'UNKNOWN', 'res0', 'Unknown reason (also: an UNDEFINED instruction)'],
  [0x01, 'WFx', 'wfx', 'Trapped WFI, WFE, WFIT or WFET instruction execution'],
  [0x03, 'CP15_32', 'mcr', 'Trapped MCR or MRC access with coproc==0b1111 (AArch32)'],
  [0x04, 'CP15_64', 'mcrr', 'Trapped MCRR or MRRC access with coproc==0b1111 (AArch32)'],
  [0x05, 'CP14_MR', 'mcr', 'Trapped MCR or MRC access with coproc==0b1110 (AArch32)'],
  [0x06, 'CP14_LS', 'ldc', 'Trapped LDC or STC access (AArch32)'],
  [0x07, 'FP_ASIMD', 'cv_cond', 'Access to SME, SVE, Advanced SIMD or floating-point functionality trapped by CPACR_EL1.FPEN, CPTR_EL2.FPEN/TFP or CPTR_EL3.TFP'],
  [0x08, 'CP10_ID', 'mcr', 'Trapped VMRS access from the ID group trap (HCR_EL2.TID0), AArch32', 'el2'],
  [0x09, 'PAC', 'res0', 'Trapped pointer authentication instruction (HCR_EL2.API == 0 or SCR_EL3.API == 0)', 'el2+', 'FEAT_PAuth'],
  [0x0a, 'OTHER', 'other', 'Trapped LD64B, ST64B, ST64BV or ST64BV0 instruction, or trapped TSB CSYNC / PSB CSYNC', 'any', 'FEAT_LS64'],
  [0x0c, 'CP14_64', 'mcrr', 'Trapped MRRC access with coproc==0b1110 (AArch32)'],
  [0x0d, 'BTI', 'bti', 'Branch Target Exception', 'any', 'FEAT_BTI'],
  [0x0e, 'ILL', 'res0', 'Illegal Execution state'],
  [0x11, 'SVC32', 'imm16', 'SVC instruction execution in AArch32 state'],
  [0x12, 'HVC32', 'imm16', 'HVC instruction execution in AArch32 state', 'el2'],
  [0x13, 'SMC32', 'smc32', 'SMC instruction execution in AArch32 state', 'el2+'],
  [0x14, 'SYS128', 'sys128', 'Trapped MSRR, MRRS or SYSP (128-bit System instruction) execution in AArch64 state', 'any', 'FEAT_SYSREG128'],
  [0x15, 'SVC64', 'imm16', 'SVC instruction execution in AArch64 state'],
  [0x16, 'HVC64', 'imm16', 'HVC instruction execution in AArch64 state', 'el2+'],
  [0x17, 'SMC64', 'imm16', 'SMC instruction execution in AArch64 state', 'el2+'],
  [0x18, 'SYS64', 'sys64', 'Trapped MSR, MRS or System instruction execution in AArch64 state'],
  [0x19, 'SVE', 'res0', 'Access to SVE functionality trapped by CPACR_EL1.ZEN, CPTR_EL2.ZEN/TZ or CPTR_EL3.EZ', 'any', 'FEAT_SVE'],
  [0x1a, 'ERET', 'eret', 'Trapped ERET, ERETAA or ERETAB instruction execution (nested virtualization, fine-grained traps)', 'el2', 'FEAT_NV'],
  [0x1c, 'FPAC', 'fpac', 'Pointer authentication instruction authentication failure', 'any', 'FEAT_FPAC'],
  [0x1d, 'SME', 'sme', 'Access to SME functionality trapped, or an instruction illegal for PSTATE.SM/PSTATE.ZA', 'any', 'FEAT_SME'],
  [0x1e, 'GPC', 'gpc', 'Granule Protection Check exception', 'el3', 'FEAT_RME'],
  [0x1f, 'IMP_DEF', 'impdef', 'IMPLEMENTATION DEFINED exception to EL3', 'el3'],
  [0x20, 'IABT_LOW', 'iabt', 'Instruction Abort from a lower Exception level'],
  [0x21, 'IABT_CUR', 'iabt', 'Instruction Abort taken without a change in Exception level'],
  [0x22, 'PC_ALIGN', 'res0', 'PC alignment fault exception'],
  [0x24, 'DABT_LOW', 'dabt', 'Data Abort from a lower Exception level'],
  [0x25, 'DABT_CUR', 'dabt', 'Data Abort taken without a change in Exception level (also a VNCR_EL2-based access)'],
  [0x26, 'SP_ALIGN', 'res0', 'SP alignment fault exception'],
  [0x27, 'MOPS', 'mops', 'Memory Operation Exception (CPY*/SET* with a wrong option or register)', 'any', 'FEAT_MOPS'],
  [0x28, 'FP_EXC32', 'fp_exc', 'Trapped floating-point exception taken from AArch32 state'],
  [0x2c, 'FP_EXC64', 'fp_exc', 'Trapped floating-point exception taken from AArch64 state'],
  [0x2d, 'GCS', 'gcs', 'Guarded Control Stack exception', 'any', 'FEAT_GCS'],
  [0x2f, 'SERROR', 'serror', 'SError exception'],
  [0x30, 'BREAKPT_LOW', 'breakpoint', 'Breakpoint exception from a lower Exception level'],
  [0x31, 'BREAKPT_CUR', 'breakpoint', 'Breakpoint exception taken without a change in Exception level'],
  [0x32, 'SOFTSTP_LOW', 'step', 'Software Step exception from a lower Exception level'],
  [0x33, 'SOFTSTP_CUR', 'step', 'Software Step exception taken without a change in Exception level'],
  [0x34, 'WATCHPT_LOW', 'watchpoint', 'Watchpoint exception from a lower Exception level'],
  [0x35, 'WATCHPT_CUR', 'watchpoint', 'Watchpoint exception taken without a change in Exception level'],
  [0x38, 'BKPT32', 'comment16', 'BKPT instruction execution in AArch32 state'],
  [0x3a, 'VECTOR32', 'vector_catch', 'Vector Catch exception from AArch32 state', 'el2'],
  [0x3c, 'BRK64', 'comment16', 'BRK instruction execution in AArch64 state'],
  [0x3d, 'PROFILING', 'profiling', 'Profiling exception (PMU overflow, SPE or TRBE exception)', 'any', 'FEAT_EBEP/FEAT_SPE_EXC/FEAT_TRBE_EXC'],
];

function buildTable(): readonly EcRow[] {
  const rows: EcRow[] = [];
  for (let code = 0; code < 64; code++) {
    rows.push({
      code,
      name: null,
      description: `Unallocated exception class 0x${code.toString(16).padStart(2, '0')}`,
      allocated: false,
      layout: 'unallocated',
      reportedTo: 'any',
      feature: null,
    });
  }
  for (const [code, name, layout, description, reportedTo = 'any', feature = null] of ALLOCATED) {
    rows[code] = { code, name, description, allocated: true, layout, reportedTo, feature };
  }
  return rows;
}

/** All 64 exception classes, indexed by EC. */
export const EXCEPTION_CLASSES: readonly EcRow[] = buildTable();

export function ecRow(ec: number): EcRow {
  return EXCEPTION_CLASSES[ec & 0x3f] as EcRow;
}

/** Why an EC cannot appear in the given ESR_ELx, or null when it can. */
export function ecNotReportable(row: EcRow, el: 1 | 2 | null): string | null {
  if (el === null || row.reportedTo === 'any') return null;
  const what = `EC 0x${row.code.toString(16).padStart(2, '0')} (${row.name ?? 'unallocated'})`;
  if (row.reportedTo === 'el3') return `${what} is only reported in ESR_EL3, not in ESR_EL${el}`;
  if (el === 1) return `${what} is only reported in ESR_EL2${row.reportedTo === 'el2+' ? ' or ESR_EL3' : ''}, not in ESR_EL1`;
  return null;
}
