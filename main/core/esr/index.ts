// The ESR decoder's public API (issue 3). Everything here is pure: values in, values out.
export type {
  BrkInfo,
  EcInfo,
  EsrAddresses,
  EsrContext,
  EsrDecode,
  EsrEl,
  EsrField,
  FscInfo,
  FscType,
  KernelNames,
  KvmOutcome,
  KvmView,
  SerrorInfo,
  SerrorSeverity,
  SysregInfo,
} from './types';
export { decodeEsr } from './decode';
export { esrToJson, type EsrJson, type EsrFscJson } from './json';
export { esrJsonLine } from './json-line';
export { renderEsrTree } from './render-tree';
export { renderMemAbortInfo, type MemAbortOptions } from './render-mem-abort';
export { describeFsc, describeSerrorFsc, DATA_FAULT_CODES, INSTRUCTION_FAULT_CODES, isSyncExternalAbort } from './fault-codes';
export { EXCEPTION_CLASSES, ecRow } from './exception-classes';
export { kernelClassName, kernelFaultName, memAbortLayout, type MemAbortLayout } from './kernel-names';
export { describeBrk } from './brk';
export { describeSerror } from './serror';
export { describeSysregTrap, sysregName, genericSysregName, isImpdefEncoding } from './sysregs';
export { parseEsrHex, parseEsrHexInto, parseEsrDecimal, halvesToBigInt, type EsrHalves } from './parse';
export { createEsrJsonEncoder, type EsrJsonEncoder, type EsrJsonEncoderOptions } from './json-encoder';
