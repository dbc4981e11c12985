// Value-level checks that are not tied to one ISS field: RES0 top bits, unallocated or unreportable
// classes, ISS2 set where it is RES0, IL=0 where the architecture fixes IL=1, reserved fault codes.
//
// Source: Arm ARM DDI0487 M.a.a ESR_ELx: bits [63:56] RES0; ISS2 defined only for Data Aborts; "IL ... is 1
// for: an SError exception, an Instruction Abort, a PC or SP alignment fault, a Data Abort with ISV=0, an
// Illegal Execution state exception, any debug exception except BKPT/BRK, an exception reported with EC
// 0b000000"; instructions trapped from AArch64 state are 32-bit, so their IL is 1 too.

import { ecNotReportable, type EcRow } from './exception-classes';
import type { FscInfo } from './types';

/** Classes whose IL is architecturally 1 (plus Data Aborts with ISV=0, handled separately). */
const IL_ALWAYS_ONE: ReadonlySet<number> = new Set([
  0x00, 0x0e, 0x14, 0x15, 0x16, 0x17, 0x18, 0x1a, 0x20, 0x21, 0x22, 0x26, 0x27, 0x2f, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x3a, 0x3c,
]);

const hex2 = (v: number): string => `0x${v.toString(16).padStart(2, '0')}`;

/** Class-level warnings of a value; `hasIss2` says whether the class defines ISS2. */
export function classWarnings(row: EcRow, el: 1 | 2 | null, il: number, iss: number, iss2: number, top: number, hasIss2: boolean): string[] {
  const out: string[] = [];
  if (top) out.push(`bits [63:56] are RES0 but read 0x${top.toString(16)}`);
  if (!row.allocated) out.push(`EC ${hex2(row.code)} is unallocated in the Arm ARM (M.a.a): ISS shown raw`);
  const notHere = ecNotReportable(row, el);
  if (notHere) out.push(notHere);
  if (!hasIss2 && iss2) out.push(`ISS2 (bits [55:32]) is RES0 for EC ${hex2(row.code)} but reads 0x${iss2.toString(16)}`);
  const isvZeroAbort = (row.code === 0x24 || row.code === 0x25) && (iss & 0x1000000) === 0;
  if (il === 0 && (IL_ALWAYS_ONE.has(row.code) || isvZeroAbort)) {
    out.push(`IL=0 (16-bit instruction) but IL is always 1 for EC ${hex2(row.code)}${isvZeroAbort ? ' with ISV=0' : ''}`);
  }
  return out;
}

/** Cheap pre-check: false when classWarnings() would certainly return nothing (the batch path's common case). */
export function mayHaveClassWarnings(row: EcRow, el: 1 | 2 | null, il: number, iss: number, iss2: number, hi: number, hasIss2: boolean): boolean {
  return hi >>> 24 !== 0 || !row.allocated || (el !== null && row.reportedTo !== 'any') || (!hasIss2 && iss2 !== 0) || il === 0;
}

/** The warning for a reserved fault status code, or null. */
export function fscWarning(fsc: FscInfo | null, label: string): string | null {
  return fsc && fsc.reserved ? `${label} ${hex2(fsc.code)}: ${fsc.meaning}` : null;
}
