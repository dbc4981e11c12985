// A fault record while its block is still being read: fields fill in as their lines arrive, the kind may
// be decided only at the end (an Oops is a mem_abort, a kernel_bug or a sync_external_abort depending on
// what it turns out to say).
import type { FaultKind } from '../fault-record';
import type { Clock } from '../lines/timestamps';
import type { LogicalLine } from './logical-lines';

export type ExtraValue = string | number | boolean | null;

export interface Draft {
  kind: FaultKind;
  esr: bigint | null;
  el: 1 | 2 | null;
  far: bigint | null;
  ipa: bigint | null;
  pc: bigint | null;
  cpu: number | null;
  pid: number | null;
  comm: string | null;
  kernel: string | null;
  timeNs: bigint | null;
  clock: Clock | null;
  line: number;
  endLine: number;
  /** The `[#N]` Oops counter, which tells re-prints of one Oops from a second Oops. */
  oops: number | null;
  /**
   * Opened by the end-of-panic line, which prints the panic string again (kernel/panic.c panic:
   * "---[ end Kernel panic - not syncing: %s ]---"): the echo of a panic printed before it.
   */
  echo: boolean;
  readonly extra: Record<string, ExtraValue>;
}

export function newDraft(kind: FaultKind, line: LogicalLine, el: 1 | 2 | null): Draft {
  return {
    kind,
    esr: null,
    el,
    far: null,
    ipa: null,
    pc: null,
    cpu: line.cpu,
    pid: null,
    comm: null,
    kernel: null,
    timeNs: line.tsNs,
    clock: line.clock,
    line: line.lineNo,
    endLine: line.endLineNo,
    oops: null,
    echo: false,
    extra: {},
  };
}

/** Hex digits already checked by a regex -> bigint (at most 16 digits, so always 64-bit). */
export function hex(digits: string): bigint {
  return BigInt(digits.startsWith('0x') || digits.startsWith('0X') ? digits : '0x' + digits);
}

/** The exception class, ESR[31:26] (Arm ARM D24.2.45 ESR_EL1). */
export function ecOf(esr: bigint): number {
  return Number((esr >> 26n) & 0x3fn);
}

/**
 * The faulting IPA from HPFAR_EL2 and FAR_EL2: HPFAR_EL2.FIPA, bits [43:4] (FEAT_LPA: [47:4]), holds
 * IPA[51:12]; the page offset comes from FAR[11:0] (Arm ARM D24.2.78 HPFAR_EL2; Linux
 * arch/arm64/include/asm/kvm_emulate.h kvm_vcpu_get_fault_ipa uses (HPFAR & HPFAR_MASK) << 8 = IPA page).
 */
export function ipaFromHpfar(hpfar: bigint, far: bigint | null): bigint {
  const page = ((hpfar >> 4n) & ((1n << 44n) - 1n)) << 12n;
  return far === null ? page : page | (far & 0xfffn);
}
