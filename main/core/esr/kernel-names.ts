// The kernel's own names for exception classes and fault codes, by kernel version, so that a decode can be
// matched against what a log printed.
//
// Sources: Linux arch/arm64/kernel/traps.c esr_class_str[] (`[0 ... ESR_ELx_EC_MAX] = "UNRECOGNIZED EC"`
// default), arch/arm64/mm/fault.c fault_info[].name. Version boundaries are the first release carrying the
// change: SVE v4.15, BTI v5.8, FPAC v5.10, SME v5.19, MOPS v6.5, GCS v6.13 (traps.c); "synchronous tag
// check fault" v5.10 (MTE, fault.c); the level -1 / level 0 names of the LPA2 rework ("Add missing ESR
// decoding for level -1 translation faults", Ard Biesheuvel, lore 2023-10-30, merged for v6.9: before it
// 0x2b printed "unknown 43"). PAC and ERET were added to esr_class_str during v5.x (release not pinned
// down): they are modelled as always present. Kernels older than ~v4.14 used other fault names
// ("input address range fault", "synchronous abort (translation table walk)"): not modelled.
// Release strings are parsed by main/core/kernel-version.ts.
import { parseKernelVersionCached, versionAtLeast, type KernelVersion } from '../kernel-version';

/** True when `v` is at least major.minor (its release candidates included); an unknown version counts as the newest. */
export function atLeast(v: KernelVersion | null, major: number, minor: number): boolean {
  return v === null || versionAtLeast(v, major, minor);
}

type ClassRow = readonly [ec: number, text: string, since?: readonly [number, number]];

// traps.c esr_class_str[], EC order.
const CLASS_STRINGS: readonly ClassRow[] = [
  [0x00, 'Unknown/Uncategorized'],
  [0x01, 'WFI/WFE'],
  [0x03, 'CP15 MCR/MRC'],
  [0x04, 'CP15 MCRR/MRRC'],
  [0x05, 'CP14 MCR/MRC'],
  [0x06, 'CP14 LDC/STC'],
  [0x07, 'ASIMD'],
  [0x08, 'CP10 MRC/VMRS'],
  [0x09, 'PAC'],
  [0x0c, 'CP14 MCRR/MRRC'],
  [0x0d, 'BTI', [5, 8]],
  [0x0e, 'PSTATE.IL'],
  [0x11, 'SVC (AArch32)'],
  [0x12, 'HVC (AArch32)'],
  [0x13, 'SMC (AArch32)'],
  [0x15, 'SVC (AArch64)'],
  [0x16, 'HVC (AArch64)'],
  [0x17, 'SMC (AArch64)'],
  [0x18, 'MSR/MRS (AArch64)'],
  [0x19, 'SVE', [4, 15]],
  [0x1a, 'ERET/ERETAA/ERETAB'],
  [0x1c, 'FPAC', [5, 10]],
  [0x1d, 'SME', [5, 19]],
  [0x1f, 'EL3 IMP DEF'],
  [0x20, 'IABT (lower EL)'],
  [0x21, 'IABT (current EL)'],
  [0x22, 'PC Alignment'],
  [0x24, 'DABT (lower EL)'],
  [0x25, 'DABT (current EL)'],
  [0x26, 'SP Alignment'],
  [0x27, 'MOPS', [6, 5]],
  [0x28, 'FP (AArch32)'],
  [0x2c, 'FP (AArch64)'],
  [0x2d, 'Guarded Control Stack', [6, 13]],
  [0x2f, 'SError'],
  [0x30, 'Breakpoint (lower EL)'],
  [0x31, 'Breakpoint (current EL)'],
  [0x32, 'Software Step (lower EL)'],
  [0x33, 'Software Step (current EL)'],
  [0x34, 'Watchpoint (lower EL)'],
  [0x35, 'Watchpoint (current EL)'],
  [0x38, 'BKPT (AArch32)'],
  [0x3a, 'Vector catch (AArch32)'],
  [0x3c, 'BRK (AArch64)'],
];

export const UNRECOGNIZED_EC = 'UNRECOGNIZED EC';

const CLASS_BY_EC: ReadonlyMap<number, ClassRow> = new Map(CLASS_STRINGS.map((row) => [row[0], row]));

/** esr_get_class_string() for an EC as the given kernel prints it (default: the newest modelled). */
export function kernelClassName(ec: number, kernelVersion?: string): string {
  const row = CLASS_BY_EC.get(ec & 0x3f);
  if (!row) return UNRECOGNIZED_EC;
  const since = row[2];
  if (since && !atLeast(parseKernelVersionCached(kernelVersion), since[0], since[1])) return UNRECOGNIZED_EC;
  return row[1];
}

// fault.c fault_info[].name as of v4.14..v5.9 (index = FSC). Later releases override entries below.
function baseFaultNames(): string[] {
  const names = Array.from({ length: 64 }, (_, i) => `unknown ${i}`);
  names[0] = 'ttbr address size fault';
  for (let l = 1; l <= 3; l++) names[l] = `level ${l} address size fault`;
  for (let l = 0; l <= 3; l++) names[4 + l] = `level ${l} translation fault`;
  for (let l = 1; l <= 3; l++) names[8 + l] = `level ${l} access flag fault`;
  for (let l = 1; l <= 3; l++) names[12 + l] = `level ${l} permission fault`;
  names[16] = 'synchronous external abort';
  for (let l = 0; l <= 3; l++) names[20 + l] = `level ${l} (translation table walk)`;
  names[24] = 'synchronous parity or ECC error';
  for (let l = 0; l <= 3; l++) names[28 + l] = `level ${l} synchronous parity error (translation table walk)`;
  names[33] = 'alignment fault';
  names[48] = 'TLB conflict abort';
  names[49] = 'Unsupported atomic hardware update fault';
  names[52] = 'implementation fault (lockdown abort)';
  names[53] = 'implementation fault (unsupported exclusive)';
  names[61] = 'section domain fault';
  names[62] = 'page domain fault';
  return names;
}

type FaultOverride = readonly [since: readonly [number, number], changes: ReadonlyArray<readonly [number, string]>];

const FAULT_NAME_CHANGES: readonly FaultOverride[] = [
  [[5, 10], [[0x11, 'synchronous tag check fault']]],
  [
    [6, 9],
    [
      [0x08, 'level 0 access flag fault'],
      [0x0c, 'level 0 permission fault'],
      [0x13, 'level -1 (translation table walk)'],
      [0x1b, 'level -1 synchronous parity error (translation table walk)'],
      [0x29, 'level -1 address size fault'],
      [0x2b, 'level -1 translation fault'],
    ],
  ],
];

function faultNamesFor(v: KernelVersion | null): readonly string[] {
  const names = baseFaultNames();
  for (const [since, changes] of FAULT_NAME_CHANGES) {
    if (!atLeast(v, since[0], since[1])) continue;
    for (const [code, name] of changes) names[code] = name;
  }
  return names;
}

const NEWEST_FAULT_NAMES = faultNamesFor(null);

/** fault_info[FSC].name as the given kernel prints it (default: the newest modelled). */
export function kernelFaultName(fsc: number, kernelVersion?: string): string {
  const v = parseKernelVersionCached(kernelVersion);
  const names = v === null ? NEWEST_FAULT_NAMES : faultNamesFor(v);
  return names[fsc & 0x3f] as string;
}

/** The generations of the "Mem abort info" block (arch/arm64/mm/fault.c mem_abort_decode()). */
export type MemAbortLayout = 'v4' | 'v5.4' | 'v5.12' | 'v5.19' | 'v6.7';

/**
 * <5.4: `Exception class = %s` line, 32-bit ESR; 5.4: `EC = 0x%02lx: %s`; 5.12: adds the FSC line; 5.19: ESR
 * printed as 0x%016lx; 6.7: ISS2 in the ISV=0 line, TnD/TagAccess and the GCS/Overlay/DirtyBit/Xs line.
 * (Seen in the sample logs: 5.2 `Exception class =`, 5.4.37/5.5 `EC = 0x25:` without FSC, 6.1.45 with it.)
 */
export function memAbortLayout(kernelVersion?: string): MemAbortLayout {
  const v = parseKernelVersionCached(kernelVersion);
  if (atLeast(v, 6, 7)) return 'v6.7';
  if (atLeast(v, 5, 19)) return 'v5.19';
  if (atLeast(v, 5, 12)) return 'v5.12';
  if (atLeast(v, 5, 4)) return 'v5.4';
  return 'v4';
}
