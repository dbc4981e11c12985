// Which fault status code table a class uses, and what its ISS calls the code (DFSC, IFSC, xFSC).
// Source: the ISS layouts in layouts/*.ts (Arm ARM DDI0487 M.a.a ISS encodings): aborts and GPC use the
// DFSC/IFSC list, SError (IDS=0) its own two codes, debug exceptions 0x22.

import type { LayoutId } from './exception-classes';
import { DATA_FAULT_CODES, DEBUG_FAULT_CODES, INSTRUCTION_FAULT_CODES, SERROR_FAULT_CODES } from './fault-codes';
import type { FscInfo } from './types';

export interface FscSource {
  readonly rows: readonly FscInfo[];
  readonly label: string;
}

export const FSC_SOURCES: Readonly<Partial<Record<LayoutId, FscSource>>> = {
  dabt: { rows: DATA_FAULT_CODES, label: 'DFSC' },
  gpc: { rows: DATA_FAULT_CODES, label: 'xFSC' },
  iabt: { rows: INSTRUCTION_FAULT_CODES, label: 'IFSC' },
  serror: { rows: SERROR_FAULT_CODES, label: 'DFSC' },
  breakpoint: { rows: DEBUG_FAULT_CODES, label: 'IFSC' },
  step: { rows: DEBUG_FAULT_CODES, label: 'IFSC' },
  vector_catch: { rows: DEBUG_FAULT_CODES, label: 'IFSC' },
  watchpoint: { rows: DEBUG_FAULT_CODES, label: 'DFSC' },
};

/** The fault status code row of a value, or null when its class has none (or SError with IDS=1). */
export function fscRowOf(layout: LayoutId, iss: number): FscInfo | null {
  const source = FSC_SOURCES[layout];
  if (!source || (layout === 'serror' && iss & 0x1000000)) return null;
  return source.rows[iss & 0x3f] as FscInfo;
}
