// The arm64 kernel fault report ("Oops"): `Unable to handle kernel ...`, `Mem abort info:` with its ESR
// decode, `show_pte`, `Internal error: ...`, the CPU/PID line, registers, call trace, `end trace`. Read in
// any generation (4.14's `Unhandled fault` and ESR-less Mem abort info, <= 5.3's `Exception class =`,
// 5.19's 64-bit ESRs, 6.7's ISS2 lines) and starting anywhere (reports that begin at `Mem abort info:` or
// at `ESR =`). The kind is decided at the end, from what the block said (arch/arm64/mm/fault.c
// do_mem_abort/die_kernel_fault, arch/arm64/kernel/traps.c die):
//   - "synchronous external abort" / "parity or ECC error" in the header or Internal error -> sync_external_abort
//   - a memory-abort report (Unable to handle / Mem abort info / Unhandled fault / user fault)  -> mem_abort
//   - `Internal error: Oops - BUG/BRK/...` (BRK-class and other non-abort Oopses)              -> kernel_bug
//   - a bare `Internal error: Oops:` or an unhandled-exception panic: by the ESR's exception class
import type { FaultKind } from '../../fault-record';
import { ecOf, hex, newDraft, type Draft } from '../draft';
import * as P from '../patterns';
import type { BlockSpec, BlockState, FeedResult, LineView, Rule } from './block';

/** How the block began: decides the kind when nothing more specific is said. */
export type OopsOrigin = 'header' | 'mem-abort-info' | 'esr-line' | 'internal-error' | 'unhandled-fault' | 'bug' | 'user' | 'panic-unhandled' | 'stack-overflow' | 'bad-mode';

export interface OopsState extends BlockState {
  readonly origin: OopsOrigin;
  hasHeader: boolean;
  hasMemAbortInfo: boolean;
  hasInternalError: boolean;
  internalText: string | null;
  reason: string | null;
  esrFromReport: boolean;
}

// Exception classes of memory aborts and alignment faults (Arm ARM D24.2.45: 0x20/0x21 IABT, 0x22 PC
// alignment, 0x24/0x25 DABT, 0x26 SP alignment).
const ABORT_ECS: ReadonlySet<number> = new Set([0x20, 0x21, 0x22, 0x24, 0x25, 0x26]);
const EC_SERROR = 0x2f;
const SEA_WORDS = /external abort|parity or ECC error/i;

/** `CPU: 1 PID: 1918 Comm: qemu-system-aar Tainted: ... 5.5.0-rc2 #20` */
export function setCpuLine(d: Draft, m: RegExpExecArray): void {
  if (d.kernel !== null) return; // a second CPU line inside the block (a nested WARN) says nothing new
  if (d.cpu === null) d.cpu = Number(m[1]);
  d.pid = Number(m[2]);
  d.comm = m[3]!.trim();
  if (m[4] !== undefined) d.kernel = m[4];
}

/**
 * `pc : irq_domain_activate_irq+0x0/0x58` (symbol), `pc : 0xffff800008001234` (a kernel address without a
 * symbol: %pS prints it as 0x%lx, lib/vsprintf.c symbol_string / kallsyms sprint_symbol) or
 * `pc : 00000000004087b0` (a number: user space, %016llx in arch/arm64/kernel/process.c __show_regs).
 */
export function setPcLine(d: Draft, m: RegExpExecArray): void {
  if (m[1] !== undefined) d.pc = hex(m[1]);
  const rest = m[2]!.trim();
  if (/^[0-9a-fA-F]{8,16}$/.test(rest)) d.pc = hex(rest);
  else if (/^0x[0-9a-fA-F]{1,16}$/.test(rest)) d.pc = hex(rest.slice(2));
  else if (rest.length > 0) d.extra.pc_symbol = rest.split(' ')[0]!;
}

function setEsr(s: OopsState, digits: string): void {
  if (s.draft.esr === null) s.draft.esr = hex(digits);
}

const OOPS_RULES: readonly Rule<OopsState>[] = [
  // A second header is a second fault (recursive aborts print several in a row).
  { re: P.UNABLE_RE, apply: () => 'restart' as FeedResult },
  { re: P.UNHANDLED_FAULT_AT_RE, apply: () => 'restart' as FeedResult },
  {
    re: P.MEM_ABORT_INFO_RE,
    apply: (s) => {
      if (s.hasMemAbortInfo || s.hasInternalError) return 'restart';
      s.hasMemAbortInfo = true;
      return undefined;
    },
  },
  {
    re: P.ESR_LINE_RE,
    apply: (s, m) => {
      if (s.esrFromReport || s.hasInternalError) return 'restart';
      s.draft.esr = hex(m[1]!);
      s.esrFromReport = true;
      return undefined;
    },
  },
  { re: P.EC_LINE_RE, apply: (s, m) => void (s.draft.extra.ec_name = m[2]!) },
  { re: P.EXCEPTION_CLASS_RE, apply: (s, m) => void (s.draft.extra.ec_name = m[1]!) },
  { re: P.FSC_LINE_RE, apply: (s, m) => void (s.draft.extra.fsc_name = m[2]!) },
  { re: P.SET_FNV_RE },
  { re: P.EA_S1PTW_RE },
  { re: P.DATA_ABORT_INFO_RE },
  { re: P.ISV_LINE_RE },
  { re: P.ISV1_LINE_RE },
  { re: P.CM_WNR_RE },
  {
    re: P.PGTABLE_RE,
    apply: (s, m) => {
      s.draft.extra.pgtable = m[1]!;
      s.draft.extra.page_size_kib = Number(m[2]);
      s.draft.extra.va_bits = Number(m[3]);
    },
  },
  {
    re: P.PTE_ADDR_RE,
    apply: (s, m) => {
      if (s.draft.far === null) s.draft.far = hex(m[1]!);
    },
  },
  { re: P.PTE_CONT_RE },
  {
    re: P.INTERNAL_ERROR_RE,
    apply: (s, m) => {
      if (s.hasInternalError) return 'restart';
      s.hasInternalError = true;
      s.internalText = m[1]!;
      s.draft.oops = Number(m[3]);
      setEsr(s, m[2]!);
      return undefined;
    },
  },
  {
    re: P.UNHANDLED_FAULT_RE,
    apply: (s, m) => {
      if (s.hasInternalError || s.esrFromReport) return 'restart';
      s.reason ??= m[1]!;
      setEsr(s, m[2]!);
      s.draft.far ??= hex(m[3]!);
      return undefined;
    },
  },
  {
    re: P.KERNEL_BUG_AT_RE,
    apply: (s, m) => {
      if (s.hasInternalError || s.hasHeader) return 'restart';
      s.draft.extra.bug_at = m[1]!;
      return undefined;
    },
  },
  { re: P.ESR_COLON_RE, apply: (s, m) => setEsr(s, m[1]!) },
  { re: P.FAR_COLON_RE, apply: (s, m) => void (s.draft.far ??= hex(m[1]!)) },
  { re: P.CPU_PID_RE, apply: (s, m) => setCpuLine(s.draft, m) },
  { re: P.PC_LINE_RE, apply: (s, m) => setPcLine(s.draft, m) },
  { re: P.KERNEL_PANIC_RE, apply: (s, m) => void (s.draft.extra.panic = m[1]!) },
  { re: P.END_TRACE_RE, apply: () => 'ended' as FeedResult },
  { re: P.END_PANIC_RE, apply: () => 'ended' as FeedResult },
  { re: P.REPORT_LINE_RE },
  { re: P.MODULE_WORDS_RE },
];

function kindOf(s: OopsState): FaultKind | null {
  const text = `${s.reason ?? ''} ${s.internalText ?? ''}`;
  if (SEA_WORDS.test(text)) return 'sync_external_abort';
  const ec = s.draft.esr === null ? null : ecOf(s.draft.esr);
  switch (s.origin) {
    case 'header':
    case 'mem-abort-info':
    case 'esr-line':
    case 'unhandled-fault':
      return 'mem_abort';
    case 'user':
      return ec !== null && ABORT_ECS.has(ec) ? 'mem_abort' : null;
    case 'bug':
    case 'internal-error':
    case 'panic-unhandled':
    case 'stack-overflow':
    case 'bad-mode':
      if (s.draft.esr === null) return null;
      if (s.internalText !== null && s.internalText.startsWith('Oops - ')) return 'kernel_bug';
      if (ec !== null && ABORT_ECS.has(ec)) return 'mem_abort';
      if (ec === EC_SERROR) return 'serror';
      return 'kernel_bug';
  }
}

export const OOPS_BLOCK: BlockSpec<OopsState> = {
  name: 'oops',
  idleLimit: 40,
  rules: OOPS_RULES,
  finish(s) {
    const kind = kindOf(s);
    if (kind === null) return null;
    s.draft.kind = kind;
    if (s.reason !== null) s.draft.extra.reason = s.reason;
    if (s.internalText !== null) s.draft.extra.internal_error = s.internalText;
    return s.draft;
  },
};

/** Opens an Oops block on a line that starts one; returns null when the line does not. */
export function openOops(view: LineView): OopsState | null {
  const b = view.body;
  const state = (origin: OopsOrigin, kind: FaultKind): OopsState => ({
    draft: newDraft(kind, view.line, 1),
    origin,
    hasHeader: false,
    hasMemAbortInfo: false,
    hasInternalError: false,
    internalText: null,
    reason: null,
    esrFromReport: false,
  });
  let m: RegExpExecArray | null;
  if ((m = P.UNABLE_RE.exec(b))) {
    const s = state('header', 'mem_abort');
    s.hasHeader = true;
    s.reason = m[1]!;
    s.draft.far = hex(m[2]!);
    return s;
  }
  if (P.MEM_ABORT_INFO_RE.test(b)) {
    const s = state('mem-abort-info', 'mem_abort');
    s.hasMemAbortInfo = true;
    return s;
  }
  if ((m = P.ESR_LINE_RE.exec(b))) {
    const s = state('esr-line', 'mem_abort');
    s.draft.esr = hex(m[1]!);
    s.esrFromReport = true;
    return s;
  }
  return openOopsOther(view, b, state);
}

function openOopsOther(view: LineView, b: string, state: (o: OopsOrigin, k: FaultKind) => OopsState): OopsState | null {
  let m: RegExpExecArray | null;
  if ((m = P.INTERNAL_ERROR_RE.exec(b))) {
    const s = state('internal-error', 'kernel_bug');
    s.hasInternalError = true;
    s.internalText = m[1]!;
    s.draft.oops = Number(m[3]);
    s.draft.esr = hex(m[2]!);
    return s;
  }
  if ((m = P.UNHANDLED_FAULT_RE.exec(b))) {
    const s = state('unhandled-fault', 'mem_abort');
    s.reason = m[1]!;
    s.draft.esr = hex(m[2]!);
    s.draft.far = hex(m[3]!);
    return s;
  }
  if ((m = P.UNHANDLED_FAULT_AT_RE.exec(b))) {
    // The header of 4.16-5.12: the address alone; the ESR follows in `Mem abort info:`.
    const s = state('unhandled-fault', 'mem_abort');
    s.hasHeader = true;
    s.draft.far = hex(m[1]!);
    return s;
  }
  if ((m = P.PANIC_UNHANDLED_RE.exec(b))) {
    const s = state('panic-unhandled', 'kernel_bug');
    s.reason = `Unhandled ${m[1]!} exception -- ${m[4]!}`;
    s.draft.cpu = Number(m[2]);
    s.draft.esr = hex(m[3]!);
    return s;
  }
  if (P.STACK_OVERFLOW_RE.test(b)) {
    const s = state('stack-overflow', 'kernel_bug');
    s.reason = 'kernel stack overflow';
    return s;
  }
  if ((m = P.BAD_MODE_RE.exec(b)) && m[1] !== 'Error') {
    const s = state('bad-mode', 'kernel_bug');
    s.reason = `Bad mode in ${m[1]!} handler -- ${m[4]!}`;
    s.draft.cpu = Number(m[2]);
    s.draft.esr = hex(m[3]!);
    return s;
  }
  if ((m = P.KERNEL_BUG_AT_RE.exec(b))) {
    const s = state('bug', 'kernel_bug');
    s.draft.extra.bug_at = m[1]!;
    return s;
  }
  return openUserFault(view, b, state);
}

/** `comm[pid]: unhandled ...` user-space faults with an ESR (only lines that contain `]: unhandled `). */
function openUserFault(_view: LineView, b: string, state: (o: OopsOrigin, k: FaultKind) => OopsState): OopsState | null {
  if (b.indexOf(']: unhandled ') < 0) return null;
  let m: RegExpExecArray | null;
  if ((m = P.USER_FAULT_OLD_RE.exec(b))) {
    const s = state('user', 'mem_abort');
    s.draft.comm = m[1]!;
    s.draft.pid = Number(m[2]);
    s.reason = m[3]!;
    s.draft.far = hex(m[5]!);
    s.draft.esr = hex(m[6]!);
    s.draft.extra.signal = Number(m[4]);
    s.draft.extra.user = true;
    return s;
  }
  if ((m = P.USER_FAULT_NEW_RE.exec(b))) {
    const s = state('user', 'mem_abort');
    s.draft.comm = m[1]!;
    s.draft.pid = Number(m[2]);
    s.draft.extra.ec_name = m[3]!;
    s.draft.esr = hex(m[4]!);
    s.reason = m[5]!.replace(/ in \S+$/, '');
    s.draft.extra.user = true;
    return s;
  }
  return null;
}
