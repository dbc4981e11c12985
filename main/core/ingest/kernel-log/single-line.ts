// Faults that are one line long: KVM's refusals (arch/arm64/kvm/mmu.c kvm_handle_guest_abort "Unsupported
// FSC", arch/arm/kvm/mmu.c "Unsupported fault status", arch/arm64/kvm/mmio.c io_mem_abort "Data abort
// outside memslots with no valid syndrome info" / older "load/store instruction decoding not
// implemented", arch/arm64/kvm/sys_regs.c "Unhandled cp10 register"). Formats in patterns.ts.
import { hex, newDraft, type Draft } from './draft';
import * as P from './patterns';
import type { LineView } from './blocks/block';

type SingleReader = (view: LineView) => Draft | null;

function unsupportedFsc(view: LineView): Draft | null {
  const m = P.UNSUPPORTED_FSC_RE.exec(view.body);
  if (!m) return null;
  const d = newDraft('kvm_unsupported_fsc', view.line, 2);
  d.pid = view.kvmPid;
  d.esr = hex(m[3]!);
  d.extra.ec = `0x${m[1]!.toLowerCase()}`;
  d.extra.xfsc = `0x${m[2]!.toLowerCase()}`;
  return d;
}

function unsupportedStatus(view: LineView): Draft | null {
  const m = P.UNSUPPORTED_STATUS_RE.exec(view.body);
  if (!m) return null;
  const d = newDraft('kvm_unsupported_fsc', view.line, 2);
  d.pid = view.kvmPid;
  d.extra.ec = `0x${m[1]!.toLowerCase()}`;
  d.extra.xfsc = `0x${m[2]!.toLowerCase()}`;
  return d;
}

function nisv(view: LineView): Draft | null {
  const m = P.NISV_RE.exec(view.body);
  if (!m) return null;
  const d = newDraft('kvm_nisv', view.line, 2);
  d.pid = view.kvmPid;
  d.extra.message = m[1]!;
  return d;
}

function cp10(view: LineView): Draft | null {
  const m = P.CP10_RE.exec(view.body);
  if (!m) return null;
  const d = newDraft('kvm_sysreg_trap', view.line, 2);
  d.pid = view.kvmPid;
  d.extra.access = 'cp10';
  d.extra.register = m[1]!;
  d.extra.value = Number(m[2]);
  return d;
}

// The gate, as for the block openers: the literal start of each message.
const READERS: readonly (readonly [start: string, read: SingleReader])[] = [
  ['Unsupported FSC: ', unsupportedFsc],
  ['Unsupported fault status: ', unsupportedStatus],
  ['Unhandled cp10 register ', cp10],
  ['Data abort outside memslots', nisv],
  ['load/store instruction decoding', nisv],
];

/** The literal starts of single-line faults (the assembler's gate). */
export const SINGLE_LINE_STARTS: readonly string[] = READERS.map(([start]) => start);

export function openSingleLine(view: LineView): Draft | null {
  const first = view.body.charCodeAt(0);
  for (const [start, read] of READERS) {
    if (start.charCodeAt(0) !== first || !view.body.startsWith(start)) continue;
    const d = read(view);
    if (d !== null) return d;
  }
  return null;
}
