// Layout id (exception-classes.ts) -> ISS/ISS2 layout.
import type { LayoutId } from '../exception-classes';
import type { Layout } from '../layout';
import { DATA_ABORT, INSTRUCTION_ABORT } from './abort';
import { BREAKPOINT, COMMENT16, FP_EXCEPTION, GPC, IMPDEF, PROFILING, RES0_ISS, SERROR, STEP, UNALLOCATED, VECTOR_CATCH, WATCHPOINT } from './other';
import { BTI, CV_COND, ERET, FPAC, GCS, IMM16, LDC, MCR, MCRR, MOPS, OTHER, SME, SMC32, SYS128, SYS64, WFX } from './traps';

export const LAYOUTS: Readonly<Record<LayoutId, Layout>> = {
  res0: RES0_ISS,
  wfx: WFX,
  mcr: MCR,
  mcrr: MCRR,
  ldc: LDC,
  cv_cond: CV_COND,
  other: OTHER,
  bti: BTI,
  imm16: IMM16,
  smc32: SMC32,
  sys128: SYS128,
  sys64: SYS64,
  eret: ERET,
  fpac: FPAC,
  sme: SME,
  gpc: GPC,
  impdef: IMPDEF,
  iabt: INSTRUCTION_ABORT,
  dabt: DATA_ABORT,
  mops: MOPS,
  fp_exc: FP_EXCEPTION,
  gcs: GCS,
  serror: SERROR,
  breakpoint: BREAKPOINT,
  step: STEP,
  watchpoint: WATCHPOINT,
  comment16: COMMENT16,
  vector_catch: VECTOR_CATCH,
  profiling: PROFILING,
  unallocated: UNALLOCATED,
};
