// Fault status codes: all 64 DFSC/IFSC values of a Data or Instruction Abort, reserved ones included.
//
// Source: Arm ARM DDI0487 M.a.a, "ISS encoding for an exception from a Data Abort", DFSC bits [5:0], and
// "... from an Instruction Abort", IFSC bits [5:0]; encodings as produced by the ASL function EncodeLDFSC()
// (levels -2 and -1: FEAT_D128 and FEAT_LPA2). The IFSC list is the DFSC list without 0x11 (Tag Check),
// 0x21 (Alignment), 0x34 and 0x35 (IMPLEMENTATION DEFINED): those four are reserved in an IFSC.
// SError DFSC: "ISS encoding for an SError exception", DFSC bits [5:0]. Debug exceptions report 0x22.

import type { FscInfo, FscType } from './types';

type Row = readonly [code: number, type: FscType, level: number | null, meaning: string, feature?: string];

const WALK = 'on translation table walk or hardware update of translation table';

// Arm ARM DFSC encodings, in code order (see the citation above). Codes not listed are reserved.
const ROWS: readonly Row[] = [
  [0x00, 'address_size', 0, 'Address size fault, level 0 of translation or translation table base register'],
  [0x01, 'address_size', 1, 'Address size fault, level 1'],
  [0x02, 'address_size', 2, 'Address size fault, level 2'],
  [0x03, 'address_size', 3, 'Address size fault, level 3'],
  [0x04, 'translation', 0, 'Translation fault, level 0'],
  [0x05, 'translation', 1, 'Translation fault, level 1'],
  [0x06, 'translation', 2, 'Translation fault, level 2'],
  [0x07, 'translation', 3, 'Translation fault, level 3'],
  [0x08, 'access_flag', 0, 'Access flag fault, level 0', 'FEAT_LPA2'],
  [0x09, 'access_flag', 1, 'Access flag fault, level 1'],
  [0x0a, 'access_flag', 2, 'Access flag fault, level 2'],
  [0x0b, 'access_flag', 3, 'Access flag fault, level 3'],
  [0x0c, 'permission', 0, 'Permission fault, level 0', 'FEAT_LPA2'],
  [0x0d, 'permission', 1, 'Permission fault, level 1'],
  [0x0e, 'permission', 2, 'Permission fault, level 2'],
  [0x0f, 'permission', 3, 'Permission fault, level 3'],
  [0x10, 'sync_external', null, `Synchronous External abort, not ${WALK}`],
  [0x11, 'tag_check', null, 'Synchronous Tag Check Fault', 'FEAT_MTE2'],
  [0x12, 'sync_external_walk', -2, `Synchronous External abort ${WALK}, level -2`, 'FEAT_D128'],
  [0x13, 'sync_external_walk', -1, `Synchronous External abort ${WALK}, level -1`, 'FEAT_LPA2'],
  [0x14, 'sync_external_walk', 0, `Synchronous External abort ${WALK}, level 0`],
  [0x15, 'sync_external_walk', 1, `Synchronous External abort ${WALK}, level 1`],
  [0x16, 'sync_external_walk', 2, `Synchronous External abort ${WALK}, level 2`],
  [0x17, 'sync_external_walk', 3, `Synchronous External abort ${WALK}, level 3`],
  [0x18, 'parity', null, 'Synchronous parity or ECC error on memory access, not on translation table walk', 'not with FEAT_RAS'],
  [0x1b, 'parity_walk', -1, `Synchronous parity or ECC error on memory access ${WALK}, level -1`, 'FEAT_LPA2, not with FEAT_RAS'],
  [0x1c, 'parity_walk', 0, `Synchronous parity or ECC error on memory access ${WALK}, level 0`, 'not with FEAT_RAS'],
  [0x1d, 'parity_walk', 1, `Synchronous parity or ECC error on memory access ${WALK}, level 1`, 'not with FEAT_RAS'],
  [0x1e, 'parity_walk', 2, `Synchronous parity or ECC error on memory access ${WALK}, level 2`, 'not with FEAT_RAS'],
  [0x1f, 'parity_walk', 3, `Synchronous parity or ECC error on memory access ${WALK}, level 3`, 'not with FEAT_RAS'],
  [0x21, 'alignment', null, 'Alignment fault'],
  [0x22, 'gpf_walk', -2, `Granule Protection Fault ${WALK}, level -2`, 'FEAT_RME, FEAT_D128'],
  [0x23, 'gpf_walk', -1, `Granule Protection Fault ${WALK}, level -1`, 'FEAT_RME, FEAT_LPA2'],
  [0x24, 'gpf_walk', 0, `Granule Protection Fault ${WALK}, level 0`, 'FEAT_RME'],
  [0x25, 'gpf_walk', 1, `Granule Protection Fault ${WALK}, level 1`, 'FEAT_RME'],
  [0x26, 'gpf_walk', 2, `Granule Protection Fault ${WALK}, level 2`, 'FEAT_RME'],
  [0x27, 'gpf_walk', 3, `Granule Protection Fault ${WALK}, level 3`, 'FEAT_RME'],
  [0x28, 'gpf', null, `Granule Protection Fault, not ${WALK}`, 'FEAT_RME'],
  [0x29, 'address_size', -1, 'Address size fault, level -1', 'FEAT_LPA2'],
  [0x2a, 'translation', -2, 'Translation fault, level -2', 'FEAT_D128'],
  [0x2b, 'translation', -1, 'Translation fault, level -1', 'FEAT_LPA2'],
  [0x2c, 'address_size', -2, 'Address size fault, level -2', 'FEAT_D128'],
  [0x30, 'tlb_conflict', null, 'TLB conflict abort'],
  [0x31, 'atomic_hw_update', null, 'Unsupported atomic hardware update fault', 'FEAT_HAFDBS'],
  [0x34, 'impdef_lockdown', null, 'IMPLEMENTATION DEFINED fault (Lockdown)'],
  [0x35, 'impdef_exclusive', null, 'IMPLEMENTATION DEFINED fault (Unsupported Exclusive or Atomic access)'],
];

/** Codes that exist only in a DFSC: in an IFSC they are reserved (Arm ARM IFSC encoding list). */
export const DATA_ONLY_CODES: ReadonlySet<number> = new Set([0x11, 0x21, 0x34, 0x35]);

function reservedRow(code: number, why: string): FscInfo {
  return { code, meaning: `Reserved fault status code 0x${code.toString(16).padStart(2, '0')}${why}`, type: 'reserved', level: null, reserved: true, feature: null };
}

function buildTable(instruction: boolean): readonly FscInfo[] {
  const table: FscInfo[] = [];
  for (let code = 0; code < 64; code++) table.push(reservedRow(code, ''));
  for (const [code, type, level, meaning, feature = null] of ROWS) {
    const reserved = instruction && DATA_ONLY_CODES.has(code);
    table[code] = reserved
      ? { ...reservedRow(code, ` in an IFSC (${meaning}: Data Aborts only)`), level }
      : { code, meaning, type, level, reserved: false, feature };
  }
  return table;
}

/** All 64 DFSC codes, indexed by code. */
export const DATA_FAULT_CODES: readonly FscInfo[] = buildTable(false);
/** All 64 IFSC codes, indexed by code. */
export const INSTRUCTION_FAULT_CODES: readonly FscInfo[] = buildTable(true);

/** The meaning, type and level of a DFSC (instruction: false) or IFSC (instruction: true). */
export function describeFsc(code: number, opts: { readonly instruction: boolean }): FscInfo {
  const table = opts.instruction ? INSTRUCTION_FAULT_CODES : DATA_FAULT_CODES;
  return table[code & 0x3f] as FscInfo;
}

// SError DFSC (ISS encoding for an SError exception, IDS=0): two codes, the rest reserved.
export const SERROR_FAULT_CODES: readonly FscInfo[] = Array.from({ length: 64 }, (_, code): FscInfo => {
  if (code === 0x00) return { code, meaning: 'Uncategorized error', type: 'serror_uncategorized', level: null, reserved: false, feature: null };
  if (code === 0x11) return { code, meaning: 'Asynchronous SError interrupt', type: 'serror_async', level: null, reserved: false, feature: 'FEAT_RAS' };
  return reservedRow(code, ' in an SError DFSC');
});

export function describeSerrorFsc(code: number): FscInfo {
  return SERROR_FAULT_CODES[code & 0x3f] as FscInfo;
}

// Breakpoint, Software Step, Watchpoint and Vector Catch exceptions report xFSC 0b100010 (Debug exception).
export const DEBUG_FAULT_CODES: readonly FscInfo[] = Array.from({ length: 64 }, (_, code): FscInfo =>
  code === 0x22
    ? { code, meaning: 'Debug exception', type: 'debug', level: null, reserved: false, feature: null }
    : reservedRow(code, ' for a debug exception (expected 0x22)'),
);

export function describeDebugFsc(code: number): FscInfo {
  return DEBUG_FAULT_CODES[code & 0x3f] as FscInfo;
}

/** Synchronous External abort codes (ASL IsExternalSyncAbort: SyncExternal, SyncParity, on walk or not). */
export function isSyncExternalAbort(code: number): boolean {
  return code === 0x10 || code === 0x18 || (code >= 0x12 && code <= 0x17) || (code >= 0x1b && code <= 0x1f);
}

/** Translation, Access flag or Permission fault (levels -2..3): the codes for which ISS[12:11] is LST. */
export function isTranslationAccessPermission(code: number): boolean {
  return (code >= 0x04 && code <= 0x0f) || code === 0x2a || code === 0x2b;
}

export function isPermissionFault(code: number): boolean {
  return code >= 0x0c && code <= 0x0f;
}
