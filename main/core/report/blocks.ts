// The per-finding blocks of the report model: the decode, the replay with its lattice, the diagnosis, the
// facts. Each is carried over from what the decoder, the MMU model and the rules computed.
import { decodeEsr, renderMemAbortInfo } from '../esr/index';
import { LATTICE } from '../mmu/types';
import type { DiagnosisInput, FaultInput, ReplayInput, ReplayVerdict, ReportClock } from './input';
import { KIND_INFO } from './kinds';
import type { ReferenceTable } from './references';
import type { DecodeBlock, DiagnosisBlock, KeyRow, LatticeRow, ReplayBlock } from './types';
import { esrRegister, formatSeconds, formatTime, hex, plural } from './format';
import { bootLabel, bootOf } from '../ingest/boot-clock';

/**
 * The decode of a fault's ESR in the kernel's "Mem abort info" layout (the decoder's renderMemAbortInfo), for
 * the kernel that printed it: the record's own release, else the bundle's.
 */
export function decodeBlock(f: FaultInput, bundleKernel: string | null): DecodeBlock | null {
  const esr = f.record.esr;
  if (esr === null) return null;
  const kernel = f.record.kernel ?? bundleKernel;
  const el = f.record.el ?? f.decode?.el ?? null;
  const decode = f.decode ?? decodeEsr(esr, { ...(el !== null ? { el } : {}), ...(kernel !== null ? { kernel } : {}) });
  const names = decode.kernel;
  return {
    register: esrRegister(el),
    esr,
    summary: [names.className, names.faultName].filter((s): s is string => !!s).join(', '),
    kernel,
    lines: renderMemAbortInfo(decode, kernel !== null ? { kernel } : {}).trimEnd().split('\n'),
    warnings: decode.warnings,
  };
}

// What each verdict means for the reader, in one phrase.
const VERDICT_TEXT: Readonly<Record<ReplayVerdict, string>> = {
  reproduced: 'reproduced (the model predicts the recorded fault)',
  differs: 'differs (the model predicts another outcome than the one recorded)',
  'no-fault': 'not reproduced (the model predicts that the access completes)',
  underdetermined: 'underdetermined (some choices of the missing inputs reproduce the fault, others do not)',
  'not-replayable': 'not replayable (the bundle lacks what the model needs)',
};

/**
 * One row per node of the attribute lattice (main/core/mmu/types.ts LATTICE, weakest first), with markers
 * where the model put stage 1, stage 2 and the result. A node the lattice does not list is appended.
 */
export function latticeRows(replay: ReplayInput): LatticeRow[] | null {
  const c = replay.combine;
  if (!c) return null;
  const nodes: string[] = [...LATTICE];
  for (const n of [c.s1.node, c.s2.node, c.result.node]) if (!nodes.includes(n)) nodes.push(n);
  return nodes.map((node) => ({ node, s1: c.s1.node === node, s2: c.s2.node === node, result: c.result.node === node }));
}

export function replayBlock(f: FaultInput): ReplayBlock | null {
  const r = f.replay;
  if (!r) return null;
  const recorded = r.inputs.filter((i) => i.origin === 'recorded').length;
  return {
    verdict: r.verdict,
    verdictText: VERDICT_TEXT[r.verdict],
    summary: r.summary,
    predictedEsr: r.predictedEsr,
    matchesRecorded: r.predictedEsr === null || f.record.esr === null ? null : r.predictedEsr === f.record.esr,
    inputs: r.inputs,
    counts: { recorded, assumed: r.inputs.length - recorded },
    combine: r.combine,
    lattice: latticeRows(r),
  };
}

export function diagnosisBlock(d: DiagnosisInput, refs: ReferenceTable): DiagnosisBlock {
  return {
    id: d.id,
    ruleId: d.ruleId,
    title: d.title,
    explanation: d.explanation,
    fixedIn: d.fixedIn,
    action: d.action,
    refs: d.references.map((r) => refs.add(r)),
    sources: d.sources ?? [],
  };
}

/** A time on another clock than the report's: `122.564868 s since boot, in boot -1 of console.log`. */
function offAxisWhen(t: NonNullable<FaultInput['offAxisTime']>): string {
  const boot = bootOf(t.clock);
  if (boot !== null) return `${formatSeconds(t.ns)} s since boot, in ${boot === 0 ? 'the last boot' : bootLabel(t.clock)} of ${t.file}`;
  if (t.clock === 'realtime' || t.clock === 'time-of-day') return `${formatTime(t.ns, t.clock)} (${t.clock === 'realtime' ? 'wall clock' : 'time of day'}, in ${t.file})`;
  return `${formatSeconds(t.ns)} (clock ${t.clock}, in ${t.file})`;
}

/**
 * The kernel's own stamp a syslog line kept beside its wall-clock time (kern.log's `kernel: [ 7912.345678]`,
 * kernel-log/assembler.ts `since_boot_ns`): what traces and dmesg of the same boot count in.
 */
function kernelStamp(r: FaultInput['record']): string[] {
  const ns = r.extra.since_boot_ns;
  return typeof ns === 'string' && /^\d+$/.test(ns) ? [`${formatSeconds(BigInt(ns))} s since boot (the kernel's stamp in the line)`] : [];
}

/** The key facts of a finding, from its first fault and the whole group's count and time span. */
export function factRows(first: FaultInput, all: readonly FaultInput[], total: number, span: readonly [bigint | null, bigint | null], clock: ReportClock = null): KeyRow[] {
  const r = first.record;
  const rows: KeyRow[] = [];
  const kinds = new Map<string, number>();
  for (const f of all) kinds.set(KIND_INFO[f.record.kind].label, (kinds.get(KIND_INFO[f.record.kind].label) ?? 0) + f.count);
  const kindText = [...kinds].map(([label, n]) => `${label} x${n}`).join(', ');
  rows.push({ key: 'Faults', values: [`${plural(total, 'fault')} (${kindText})`] });
  const [firstNs, lastNs] = span;
  if (firstNs !== null) {
    const when = lastNs !== null && lastNs !== firstNs ? `${formatTime(firstNs, clock)} .. ${formatTime(lastNs, clock)}` : formatTime(firstNs, clock);
    rows.push({ key: 'When', values: [when, ...kernelStamp(r)] });
  } else if (first.offAxisTime !== undefined) {
    rows.push({ key: 'When', values: [offAxisWhen(first.offAxisTime), ...kernelStamp(r)] });
  }
  const task = [r.comm, r.pid !== null ? `pid ${r.pid}` : null, r.cpu !== null ? `CPU ${r.cpu}` : null].filter((s) => s !== null);
  if (task.length > 0) rows.push({ key: 'Task', values: [task.join(', ')] });
  if (r.esr !== null) rows.push({ key: esrRegister(r.el), values: [hex(r.esr)] });
  if (r.far !== null) rows.push({ key: 'FAR', values: [hex(r.far)] });
  if (r.ipa !== null) rows.push({ key: 'IPA', values: [hex(r.ipa)] });
  if (r.pc !== null) rows.push({ key: 'PC', values: [hex(r.pc)] });
  if (r.kernel !== null) rows.push({ key: 'Kernel', values: [r.kernel] });
  return rows;
}
