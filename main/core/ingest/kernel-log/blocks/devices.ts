// Short fault reports from KVM, the SMMUs and QEMU: one header line and at most a few lines after it.
//   KVM sys_regs.c print_sys_reg_msg: `Unsupported guest sys_reg access at: %lx [%08lx]` then
//     `{ Op0(%2u), Op1(%2u), CRn(%2u), CRm(%2u), Op2(%2u), func_%s },`
//   arm-smmu-v3.c arm_smmu_evtq_thread / arm_smmu_dump_raw_event: `event 0x%02x received:` then four
//     `\t0x%016llx` dwords; 6.15+ arm_smmu_dump_event adds `event: %s client: %s sid: %#x ssid: %#x iova:
//     %#llx ipa: %#llx` and `%s %s %s %s "%s"%s%s stag: %#x`.
//   arm-smmu.c arm_smmu_context_fault: `Unhandled context fault: fsr=0x%x, iova=0x%08lx, fsynr=0x%x,
//     cbfrsynra=0x%x, cb=%d` (older: no cbfrsynra); qcom adds `FSR = %08x [...]` detail lines.
//   QEMU kvm-all.c kvm_cpu_exec: `error: kvm run failed %s` (strerror of KVM_RUN's errno), then
//     cpu_dump_state: ` PC=%016lx X00=...` (target/arm/cpu.c aarch64_cpu_dump_state).
import { hex, newDraft, type ExtraValue } from '../draft';
import * as P from '../patterns';
import { decodeSmmuEvent } from '../smmu';
import type { BlockSpec, BlockState, FeedResult, LineView, Rule } from './block';

// ---- KVM system register traps -----------------------------------------------------------------------

export type SysregState = BlockState;

const SYSREG_RULES: readonly Rule<SysregState>[] = [
  { re: P.SYSREG_RE, apply: () => 'restart' as FeedResult },
  {
    re: P.SYSREG_OPS_RE,
    apply: (s, m) => {
      applySysregOps(s.draft.extra, m);
      return 'ended';
    },
  },
];

/** `{ Op0( 3), Op1( 5), CRn( 1), CRm( 0), Op2( 2), func_read }` -> the encoding, as S3_5_C1_C0_2 names it. */
function applySysregOps(e: Record<string, ExtraValue>, m: RegExpExecArray): void {
  if (m[1] !== undefined) e.op0 = Number(m[1]);
  e.op1 = Number(m[2]);
  e.crn = Number(m[3]);
  e.crm = Number(m[4]);
  e.op2 = Number(m[5]);
  e.direction = m[6]!;
  if (m[1] !== undefined) e.sysreg = `S${m[1]}_${m[2]}_C${m[3]}_C${m[4]}_${m[5]}`;
}

export const SYSREG_BLOCK: BlockSpec<SysregState> = { name: 'sysreg', idleLimit: 2, rules: SYSREG_RULES, finish: (s) => s.draft };

export function openSysreg(view: LineView): SysregState | null {
  const m = P.SYSREG_RE.exec(view.body);
  if (!m) return null;
  const draft = newDraft('kvm_sysreg_trap', view.line, 2);
  draft.pid = view.kvmPid;
  draft.pc = hex(m[3]!);
  draft.extra.access = m[2] !== undefined ? `CP${m[2]}` : 'sys_reg';
  if (m[4] !== undefined) draft.extra.pstate = `0x${hex(m[4]).toString(16)}`;
  // The `{ Op0(...) }` line re-joined to the header (a paste that lost the line break).
  const brace = view.body.indexOf('{ Op');
  if (brace > 0) {
    const ops = P.SYSREG_OPS_RE.exec(view.body.slice(brace));
    if (ops) applySysregOps(draft.extra, ops);
  }
  return { draft };
}

// ---- SMMUv3 event records ----------------------------------------------------------------------------

export interface SmmuEventState extends BlockState {
  readonly device: string;
  readonly dwords: bigint[];
}

/** The text after `arm-smmu-v3 <device>: ` when the line comes from the same SMMU, else null. */
function smmuText(view: LineView, device: string): string | null {
  const m = P.SMMU_DEVICE_RE.exec(view.body);
  return m && m[2] === device ? m[3]!.trim() : null;
}

function feedSmmuEvent(s: SmmuEventState, view: LineView): FeedResult {
  const text = smmuText(view, s.device);
  if (text === null) return 'foreign';
  if (P.SMMU_EVENT_RE.test(text)) return 'restart';
  const dw = P.SMMU_DWORD_RE.exec(text);
  if (dw && s.dwords.length < 4) {
    s.dwords.push(dw[1] !== undefined ? hex(dw[1]) : (hex(dw[2]!) << 32n) | hex(dw[3]!));
    return 'absorbed';
  }
  const dec = P.SMMU_DECODED_RE.exec(text);
  if (dec) {
    s.draft.extra.event_name ??= dec[1]!;
    s.draft.extra.client = dec[2]!;
    if (dec[5] !== undefined && s.draft.far === null) s.draft.far = hex(dec[5]);
    return 'absorbed';
  }
  if (P.SMMU_DECODED2_RE.test(text)) {
    s.draft.extra.access = text.split(' "')[0]!;
    return 'absorbed';
  }
  return 'foreign';
}

export const SMMU_EVENT_BLOCK: BlockSpec<SmmuEventState> = {
  name: 'smmu-event',
  idleLimit: 2,
  // Matching is by device, so the single rule accepts every line and decides in its apply.
  rules: [{ re: /^/, apply: (s, _m, view) => feedSmmuEvent(s, view) }],
  finish(s) {
    const d = s.draft;
    const ev = decodeSmmuEvent(s.dwords);
    for (const [k, v] of Object.entries(ev.extra)) d.extra[k] ??= v;
    if (ev.inputAddress !== null) d.far = ev.inputAddress;
    if (ev.ipa !== null) d.ipa = ev.ipa;
    return d;
  },
};

export function openSmmuEvent(view: LineView): SmmuEventState | null {
  const dev = P.SMMU_DEVICE_RE.exec(view.body);
  if (!dev) return null;
  const ev = P.SMMU_EVENT_RE.exec(dev[3]!.trim());
  if (!ev) return null;
  const draft = newDraft('smmu_event', view.line, null);
  draft.extra.smmu = dev[2]!;
  draft.extra.event_id = `0x${ev[1]!.toLowerCase()}`;
  return { draft, device: dev[2]!, dwords: [] };
}

// ---- SMMUv1/v2 context faults ------------------------------------------------------------------------

export interface ContextFaultState extends BlockState {
  readonly device: string;
}

export const CONTEXT_FAULT_BLOCK: BlockSpec<ContextFaultState> = {
  name: 'smmu-context-fault',
  idleLimit: 1,
  rules: [
    {
      re: /^/,
      apply: (s, _m, view) => {
        const text = smmuText(view, s.device);
        return text !== null && P.CONTEXT_FAULT_DETAIL_RE.test(text) ? 'absorbed' : 'foreign';
      },
    },
  ],
  finish: (s) => s.draft,
};

// FSR bits (Arm SMMU v2 architecture, CB_FSR; Linux drivers/iommu/arm/arm-smmu/arm-smmu.h ARM_SMMU_CB_FSR_*).
const FSR_BITS: readonly (readonly [bit: number, name: string])[] = [
  [1, 'TF'], [2, 'AFF'], [3, 'PF'], [4, 'EF'], [5, 'TLBMCF'], [6, 'TLBLKF'], [7, 'ASF'], [8, 'UUT'], [30, 'SS'], [31, 'MULTI'],
];

export function openContextFault(view: LineView): ContextFaultState | null {
  const dev = P.SMMU_DEVICE_RE.exec(view.body);
  if (!dev) return null;
  const m = P.CONTEXT_FAULT_RE.exec(dev[3]!.trim());
  if (!m) return null;
  const draft = newDraft('smmu_context_fault', view.line, null);
  const fsr = Number.parseInt(m[1]!, 16);
  draft.far = hex(m[2]!);
  draft.extra.smmu = dev[2]!;
  draft.extra.fsr = m[1]!.toLowerCase();
  draft.extra.fsr_flags = FSR_BITS.filter(([bit]) => ((fsr >>> bit) & 1) === 1).map(([, n]) => n).join(' ');
  draft.extra.fsynr = m[3]!.toLowerCase();
  if (m[4] !== undefined) draft.extra.cbfrsynra = m[4].toLowerCase();
  draft.extra.cb = Number(m[5]);
  return { draft, device: dev[2]! };
}

// ---- QEMU: KVM_RUN failed -------------------------------------------------------------------------------

export type VmmState = BlockState;

// errno names for the strerror() texts KVM_RUN failures print (glibc strerror; KVM returns -EFAULT for
// an unsupported FSC, -ENOSYS for an abort without valid syndrome, -ENOEXEC for exec faults on device).
const ERRNO_BY_TEXT: Readonly<Record<string, string>> = {
  'Bad address': 'EFAULT',
  'Function not implemented': 'ENOSYS',
  'Exec format error': 'ENOEXEC',
  'Invalid argument': 'EINVAL',
  'Operation not permitted': 'EPERM',
  'No such device or address': 'ENXIO',
  'Cannot allocate memory': 'ENOMEM',
};

export const VMM_BLOCK: BlockSpec<VmmState> = {
  name: 'vmm',
  idleLimit: 2,
  rules: [
    { re: P.KVM_RUN_FAILED_RE, apply: () => 'restart' as FeedResult },
    { re: P.QEMU_PC_RE, apply: (s, m) => void (s.draft.pc ??= hex(m[1]!)) },
    { re: P.QEMU_DUMP_RE },
  ],
  finish: (s) => s.draft,
};

export function openVmm(view: LineView): VmmState | null {
  const m = P.KVM_RUN_FAILED_RE.exec(view.body);
  if (!m) return null;
  const draft = newDraft('vmm_error', view.line, null);
  draft.extra.error = m[1]!;
  draft.extra.errno = ERRNO_BY_TEXT[m[1]!] ?? null;
  // Printed through syslog or the journal, the line names the VMM process: `qemu-system-aarch64[4242]: `.
  draft.comm = view.line.ident;
  draft.pid = view.line.pid;
  return { draft };
}
