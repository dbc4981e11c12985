// ISS layouts of trapped instructions: WF*, AArch32 coprocessor accesses, FP/SIMD, LD64B/ST64B, BTI,
// SVC/HVC/SMC, MSR/MRS/SYS (64- and 128-bit), ERET, FPAC, SME, MOPS and GCS.
//
// Source: Arm ARM DDI0487 M.a.a, ESR_ELx ISS encodings "for an exception from a WF* instruction", "... an
// MCR or MRC access", "... an MCRR or MRRC access", "... an LDC or STC instruction", "... an access to SVE,
// Advanced SIMD or floating-point functionality", "... an LD64B or ST64B* instruction", "... Branch Target
// Identification instruction", "... HVC or SVC instruction", "... SMC instruction", "... MSR, MRS, or System
// instruction", "... MSRR, MRRS, or 128-bit System instruction", "... ERET, ERETAA, or ERETAB", "... a
// Pointer Authentication instruction authentication failure", "... SME functionality", "... the Memory Copy
// and Memory Set instructions", "... GCS". Value names cross-checked with Linux arch/arm64/include/asm/esr.h
// (ESR_ELx_WFx_ISS_*, ESR_ELx_ISS_OTHER_*, ESR_ELx_SME_ISS_SMTC_*, ESR_ELx_MOPS_ISS_*, ESR_ELx_ExType_*,
// ESR_ELx_IT_*, ESR_ELx_ERET_ISS_*).

import { bit, choices, field, layout, register, res0, whenCv, type FieldCondition, type Layout } from '../layout';

const CONDITIONS = ['EQ', 'NE', 'CS', 'CC', 'MI', 'PL', 'VS', 'VC', 'HI', 'LS', 'GE', 'LT', 'GT', 'LE', 'AL', 'NV'];
const CV = field('CV', 24, 24, 'Condition code valid', { read: bit('COND is not valid', 'COND is valid') });
const COND = field('COND', 23, 20, 'Condition code of the trapped instruction', { when: whenCv, read: (v) => CONDITIONS[v] as string });
const DIRECTION_CP = field('Direction', 0, 0, 'Direction of the access', { read: bit('write to the coprocessor register (MCR/MCRR/STC)', 'read from the coprocessor register (MRC/MRRC/LDC)') });

const whenWfxt: FieldCondition = (iss) => ((iss & 0x2) !== 0 ? null : 'only for WFIT/WFET (TI=0b1x)');
const whenRv: FieldCondition = (iss) => ((iss & 0x6) === 0x6 ? null : 'only when RV=1 (register field valid)');

export const WFX: Layout = layout([
  CV,
  COND,
  res0(19, 10),
  field('RN', 9, 5, 'Register holding the timeout (FEAT_WFxT)', { when: whenRv, read: register() }),
  res0(4, 3),
  field('RV', 2, 2, 'Register field valid (FEAT_WFxT)', { when: whenWfxt, read: bit('RN is not valid', 'RN is valid') }),
  field('TI', 1, 0, 'Trapped instruction', { read: choices({ 0: 'WFI', 1: 'WFE', 2: 'WFIT', 3: 'WFET' }) }),
]);

/** MCR/MRC (EC 0x03, 0x05) and VMRS (EC 0x08). */
export const MCR: Layout = layout([
  CV,
  COND,
  field('Opc2', 19, 17, 'Opc2 value from the instruction'),
  field('Opc1', 16, 14, 'Opc1 value from the instruction'),
  field('CRn', 13, 10, 'CRn value from the instruction'),
  field('Rt', 9, 5, 'Rt value from the instruction', { read: (v) => `R${v}` }),
  field('CRm', 4, 1, 'CRm value from the instruction'),
  DIRECTION_CP,
]);

/** MCRR/MRRC (EC 0x04, 0x0C). */
export const MCRR: Layout = layout([
  CV,
  COND,
  field('Opc1', 19, 16, 'Opc1 value from the instruction'),
  res0(15, 15),
  field('Rt2', 14, 10, 'Rt2 value from the instruction', { read: (v) => `R${v}` }),
  field('Rt', 9, 5, 'Rt value from the instruction', { read: (v) => `R${v}` }),
  field('CRm', 4, 1, 'CRm value from the instruction'),
  DIRECTION_CP,
]);

/** LDC/STC (EC 0x06). */
export const LDC: Layout = layout([
  CV,
  COND,
  field('imm8', 19, 12, 'Immediate offset'),
  res0(11, 10),
  field('Rn', 9, 5, 'Base register', { read: (v) => `R${v}` }),
  field('Offset', 4, 4, 'Offset direction', { read: bit('subtract the offset', 'add the offset') }),
  field('AM', 3, 1, 'Addressing mode', { read: choices({ 0: 'immediate unindexed', 1: 'immediate post-indexed', 2: 'immediate offset', 3: 'immediate pre-indexed', 4: 'literal unindexed', 6: 'literal offset' }) }),
  DIRECTION_CP,
]);

/** FP/ASIMD access trap (EC 0x07): only the condition. */
export const CV_COND: Layout = layout([CV, COND, res0(19, 0)]);

/** LD64B/ST64B*, TSB/PSB CSYNC traps (EC 0x0A). */
export const OTHER: Layout = layout([
  field('ISS', 24, 0, 'Trapped instruction', {
    read: choices({ 0: 'ST64BV', 1: 'ST64BV0', 2: 'LD64B or ST64B', 3: 'TSB CSYNC', 4: 'PSB CSYNC' }),
  }),
]);

export const BTI: Layout = layout([
  res0(24, 2),
  field('BTYPE', 1, 0, 'PSTATE.BTYPE of the failing instruction', { read: (v) => `BTYPE=0b${v.toString(2).padStart(2, '0')}` }),
]);

/** SVC/HVC (AArch32 and AArch64) and SMC (AArch64): the immediate. */
export const IMM16: Layout = layout([
  res0(24, 16),
  field('imm16', 15, 0, 'Immediate value of the instruction', { read: (v) => `#0x${v.toString(16)}` }),
]);

export const SMC32: Layout = layout([
  CV,
  COND,
  field('CCKNOWNPASS', 19, 19, 'Condition code known to have passed', { read: bit('condition code check unknown', 'the instruction passed its condition code check') }),
  res0(18, 0),
]);

const OP_FIELDS = [
  field('Op0', 21, 20, 'Op0 value from the instruction'),
  field('Op2', 19, 17, 'Op2 value from the instruction'),
  field('Op1', 16, 14, 'Op1 value from the instruction'),
  field('CRn', 13, 10, 'CRn value from the instruction'),
] as const;
const DIRECTION_SYS = field('Direction', 0, 0, 'Direction of the trapped instruction', { read: bit('write (MSR, MSRR or SYS)', 'read (MRS, MRRS or SYSL)') });

/** MSR/MRS/SYS (EC 0x18). */
export const SYS64: Layout = layout([
  res0(24, 22),
  ...OP_FIELDS,
  field('Rt', 9, 5, 'Rt value from the instruction', { read: register(true) }),
  field('CRm', 4, 1, 'CRm value from the instruction'),
  DIRECTION_SYS,
]);

/** MSRR/MRRS/SYSP (EC 0x14): Rt holds bits [4:1] of the even register of the pair. */
export const SYS128: Layout = layout([
  res0(24, 22),
  ...OP_FIELDS,
  field('Rt', 9, 6, 'Rt<4:1>: the register pair', { read: (v) => `X${2 * v}, X${2 * v + 1}` }),
  res0(5, 5),
  field('CRm', 4, 1, 'CRm value from the instruction'),
  DIRECTION_SYS,
]);

export const ERET: Layout = layout([
  res0(24, 2),
  field('ERET', 1, 1, 'ERET or ERETAx', { read: bit('ERET', 'ERETAA or ERETAB') }),
  field('ERETA', 0, 0, 'Key of an ERETAx', { when: (iss) => (iss & 2 ? null : 'only for ERETAA/ERETAB (ERET=1)'), read: bit('ERETAA (A key)', 'ERETAB (B key)') }),
]);

export const FPAC: Layout = layout([
  res0(24, 2),
  field('Bit[1]', 1, 1, 'Instruction or data key', { read: bit('instruction key', 'data key') }),
  field('Bit[0]', 0, 0, 'A or B key', { read: bit('A key', 'B key') }),
]);

export const SME: Layout = layout([
  res0(24, 3),
  field('SMTC', 2, 0, 'SME Trap Code', {
    read: choices({
      0: 'access to SME functionality trapped by CPACR_EL1.SMEN, CPTR_EL2.SMEN/TSM or CPTR_EL3.ESM',
      1: 'instruction illegal because of PSTATE.SM (Streaming SVE mode)',
      2: 'instruction needs PSTATE.SM=1 (Streaming SVE mode disabled)',
      3: 'instruction needs PSTATE.ZA=1 (ZA storage disabled)',
      4: 'ZT0 access trapped (SMCR_ELx.EZT0)',
    }),
  }),
]);

const whenSet: FieldCondition = (iss) => (iss & 0x1000000 ? null : 'only for SET* instructions (MemInst=1)');

export const MOPS: Layout = layout([
  field('MemInst', 24, 24, 'Memory instruction', { read: bit('CPY* (memory copy)', 'SET* (memory set)') }),
  field('isSETG', 23, 23, 'SETG* instruction', { when: whenSet, read: bit('SET*', 'SETG* (tag setting)') }),
  field('Options', 22, 19, 'Options field of the instruction'),
  field('FromEpilogue', 18, 18, 'Exception from the epilogue instruction', { read: bit('from a prologue or main instruction', 'from the epilogue instruction') }),
  field('WrongOption', 17, 17, 'Wrong option', { read: bit('the option (A/B) matched', 'the instruction was for the other algorithm option') }),
  field('OptionA', 16, 16, 'Algorithm option', { read: bit('option B', 'option A') }),
  res0(15, 15),
  field('DestReg', 14, 10, 'Destination address register', { read: register() }),
  field('SrcReg', 9, 5, 'Source register (address for CPY*, data for SET*)', { read: register() }),
  field('SizeReg', 4, 0, 'Size register', { read: register() }),
]);

const exType = (iss: number): number => (iss >>> 20) & 0xf;

export const GCS: Layout = layout([
  res0(24, 24),
  field('ExType', 23, 20, 'GCS exception type', { read: choices({ 0: 'GCS data check (a GCS pop/return check failed)', 1: 'EXLOCK exception', 2: 'trapped GCSSTR/GCSSTTR' }) }),
  res0(19, 15),
  field('Raddr', 14, 10, 'Register holding the address (GCSSTR/GCSSTTR)', { when: (iss) => (exType(iss) === 2 ? null : 'only for ExType=2'), zeroWhenIdle: true, read: register() }),
  [
    field('Rvalue', 9, 5, 'Register holding the value (GCSSTR/GCSSTTR)', { when: (iss) => (exType(iss) === 2 ? null : 'only for ExType=2'), read: register() }),
    field('Rn', 9, 5, 'Register of the checked instruction', { when: (iss) => (exType(iss) === 0 ? null : 'only for ExType=0'), read: register() }),
    res0(9, 5),
  ],
  field('IT', 4, 0, 'Instruction type', {
    when: (iss) => (exType(iss) === 0 ? null : 'only for a GCS data check (ExType=0)'),
    zeroWhenIdle: true,
    read: choices({ 0: 'RET', 1: 'GCSPOPM', 2: 'RETAA', 3: 'RETAB', 4: 'GCSSS1', 5: 'GCSSS2', 6: 'GCSPOPCX', 7: 'GCSPOPX' }),
  }),
]);
