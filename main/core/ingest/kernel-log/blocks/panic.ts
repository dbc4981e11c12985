// Panics with a syndrome: the SError report (arch/arm64/kernel/traps.c arm64_serror_panic: `SError
// Interrupt on CPU%d, code 0x%016lx -- %s`, registers, then panic("Asynchronous SError Interrupt")) and
// the hypervisor panics (arch/arm64/kvm/handle_exit.c nvhe_hyp_panic_handler: `nVHE hyp BUG at: %s:%u!`
// or `nVHE hyp panic at: [<%016llx>] %pB!`, `Hyp Offset: 0x%llx`; arch/arm64/kvm/hyp/{nvhe,vhe}/switch.c
// hyp_panic: panic("HYP panic:\nPS:%08llx PC:%016llx ESR:%016llx\nFAR:%016llx HPFAR:%016llx
// PAR:%016llx\nVCPU:%016lx\n")). A panic string is printed again at `---[ end Kernel panic - not syncing:
// ... ]---`: the echo belongs to the same block, so one panic is one record.
import { hex, ipaFromHpfar, newDraft, type Draft } from '../draft';
import * as P from '../patterns';
import { setCpuLine, setPcLine } from './oops';
import type { BlockSpec, BlockState, FeedResult, LineView, Rule } from './block';

export interface SerrorState extends BlockState {
  seenPanicEnd: boolean;
  /** Opened by 4.x bad_mode's `Bad mode in Error handler detected on CPU%d, ...` line. */
  badMode: boolean;
}

/**
 * 4.x arch/arm64/kernel/traps.c bad_mode: pr_crit("Bad mode in %s handler detected on CPU%d, code 0x%08x --
 * %s\n", ...), then die("Oops - bad mode", regs, 0), which prints `Internal error: Oops - bad mode: 0 [#1]
 * PREEMPT SMP` and the CPU line and registers of the same SError. The die line is the SError's own (its 0
 * is no syndrome); any other `Internal error:` is not this block's.
 */
function badModeDie(s: SerrorState, m: RegExpExecArray): FeedResult {
  if (!s.badMode || m[1] !== 'Oops - bad mode' || s.draft.oops !== null) return 'foreign';
  s.draft.oops = Number(m[3]);
  s.draft.extra.internal_error = m[1];
  return 'absorbed';
}

const SERROR_RULES: readonly Rule<SerrorState>[] = [
  { re: P.SERROR_RE, apply: () => 'restart' as FeedResult },
  { re: P.INTERNAL_ERROR_RE, apply: badModeDie },
  { re: P.CPU_PID_RE, apply: (s, m) => setCpuLine(s.draft, m) },
  { re: P.PC_LINE_RE, apply: (s, m) => setPcLine(s.draft, m) },
  { re: P.KERNEL_PANIC_RE, apply: (s, m) => void (s.draft.extra.panic = m[1]!) },
  { re: P.END_PANIC_RE, apply: () => 'ended' as FeedResult },
  { re: P.END_TRACE_RE, apply: () => 'ended' as FeedResult },
  { re: P.REPORT_LINE_RE },
];

export const SERROR_BLOCK: BlockSpec<SerrorState> = {
  name: 'serror',
  idleLimit: 40,
  rules: SERROR_RULES,
  finish: (s) => s.draft,
};

/** `SError Interrupt on CPU3, code 0xbf000002 -- SError`; 4.x `Bad mode in Error handler detected on CPU0, code ...`. */
export function openSerror(view: LineView): SerrorState | null {
  const b = view.body;
  let m = P.SERROR_RE.exec(b);
  let cpu: string;
  let code: string;
  let what: string;
  const badMode = !m;
  if (m) {
    [cpu, code, what] = [m[1]!, m[2]!, m[3]!];
  } else {
    m = P.BAD_MODE_RE.exec(b);
    if (!m || m[1] !== 'Error') return null;
    [cpu, code, what] = [m[2]!, m[3]!, m[4]!];
  }
  const draft = newDraft('serror', view.line, 1);
  draft.cpu = Number(cpu);
  draft.esr = hex(code);
  draft.extra.description = what;
  return { draft, seenPanicEnd: false, badMode };
}

export interface HypState extends BlockState {
  /** The `nVHE hyp BUG/panic at:` line was read. */
  hypAt: boolean;
  /** `HYP panic:` was read once; the second time is the end-of-panic echo. */
  panicCount: number;
  hpfar: bigint | null;
}

function hypPs(s: HypState, m: RegExpExecArray): void {
  if (s.panicCount > 1) {
    if (s.draft.esr !== null && hex(m[3]!) !== s.draft.esr) s.draft.extra.echo_differs = true;
    return;
  }
  s.draft.extra.ps = `0x${m[1]!.toLowerCase()}`;
  s.draft.pc ??= hex(m[2]!);
  s.draft.esr = hex(m[3]!);
}

function hypFar(s: HypState, m: RegExpExecArray): void {
  if (s.panicCount > 1) return;
  const far = hex(m[1]!);
  const hpfar = hex(m[2]!);
  s.draft.far = far;
  s.hpfar = hpfar;
  s.draft.extra.hpfar = `0x${hpfar.toString(16)}`;
  s.draft.extra.par = `0x${hex(m[3]!).toString(16)}`;
  s.draft.ipa = ipaFromHpfar(hpfar, far);
}

const HYP_RULES: readonly Rule<HypState>[] = [
  {
    re: P.NVHE_HYP_RE,
    apply: (s, m, view) => {
      if (s.hypAt || s.panicCount > 0) return 'restart';
      applyHypAt(s, m, view);
      return undefined;
    },
  },
  { re: P.HYP_OFFSET_RE, apply: (s, m) => void (s.draft.extra.hyp_offset = `0x${hex(m[1]!).toString(16)}`) },
  {
    re: P.HYP_PANIC_RE,
    apply: (s, _m, view) => {
      const echo = view.body.startsWith('---[ end');
      if (!echo && s.panicCount > 0) return 'restart';
      s.panicCount = echo ? Math.max(2, s.panicCount + 1) : 1;
      return undefined;
    },
  },
  { re: P.HYP_PS_RE, apply: (s, m) => hypPs(s, m) },
  { re: P.HYP_FAR_RE, apply: (s, m) => hypFar(s, m) },
  {
    re: P.HYP_VCPU_RE,
    apply: (s, m) => {
      if (s.panicCount <= 1) s.draft.extra.vcpu = m[1]!;
      return m[2] !== undefined ? 'ended' : undefined;
    },
  },
  { re: P.CPU_PID_RE, apply: (s, m) => setCpuLine(s.draft, m) },
  { re: P.KERNEL_PANIC_RE },
  { re: P.END_PANIC_RE, apply: () => 'ended' as FeedResult },
  { re: P.END_TRACE_RE, apply: () => 'ended' as FeedResult },
  { re: P.REPORT_LINE_RE },
];

function applyHypAt(s: HypState, m: RegExpExecArray, view: LineView): void {
  s.hypAt = true;
  s.draft.kind = m[1] === 'BUG' ? 'hyp_bug' : 'hyp_panic';
  if (m[2] !== undefined) s.draft.pc = hex(m[2]);
  s.draft.extra.at = m[3]!;
  if (view.kvmPid !== null) s.draft.pid ??= view.kvmPid;
}

export const HYP_BLOCK: BlockSpec<HypState> = {
  name: 'hyp',
  idleLimit: 60,
  rules: HYP_RULES,
  finish: (s): Draft => s.draft,
};

/** `nVHE hyp BUG at: ...!`, `Kernel panic - not syncing: HYP panic:`, or an end-of-panic echo alone. */
export function openHyp(view: LineView): HypState | null {
  const b = view.body;
  const m = P.NVHE_HYP_RE.exec(b);
  if (m) {
    const s: HypState = { draft: newDraft('hyp_bug', view.line, 2), hypAt: false, panicCount: 0, hpfar: null };
    applyHypAt(s, m, view);
    return s;
  }
  if (!P.HYP_PANIC_RE.test(b)) return null;
  const s: HypState = { draft: newDraft('hyp_panic', view.line, 2), hypAt: false, panicCount: 1, hpfar: null };
  // The echo alone: its panic's block ended before it (more foreign lines between than the block waits
  // for), or its panic was not captured. Read as a panic; the dedup joins it to its panic if that was read.
  s.draft.echo = b.startsWith('---[ end');
  return s;
}
