// The faults, diagnoses and time span a report quotes, read from the database for a selection. Kept apart
// from main/services/report.ts because it follows the tables and functions other parts own: fault records
// from the ingest (main/storage/faults.ts), replays and diagnosis rules (main/core/mmu, main/core/diagnose).
import { collectFacts } from '../core/diagnose/facts';
import { diagnoseFacts, type Diagnosis } from '../core/diagnose/diagnose';
import { FAULT_KINDS, type BundleContext, type FaultKind, type FaultRecord } from '../core/ingest/fault-record';
import { replayRecord, type RecordReplay } from '../core/mmu/replay-record';
import { gatherDiagnoses, replayToInput } from '../core/report/adapt';
import type { DiagnosisInput, FaultInput, ReportClock, ReportSelection, TimelineBucketInput } from '../core/report/input';
import { err, ok, type Result } from '../core/result';
import type { Db } from '../storage/db';
import { allFaults, type FaultRow } from '../storage/faults';
import { timelineBuckets, traceSpan } from '../storage/timeline';
import type { ReportError } from './report';

export interface FindingsInput {
  readonly faults: readonly FaultInput[];
  readonly diagnoses: readonly DiagnosisInput[];
  readonly events: readonly TimelineBucketInput[];
  readonly startNs: bigint | null;
  readonly endNs: bigint | null;
  readonly clock: ReportClock;
}

/** Refuses a selection that names a diagnosis or fault the bundle does not have. */
export function checkSelection(selection: ReportSelection, faults: readonly FaultInput[], diagnoses: readonly DiagnosisInput[]): ReportError | null {
  switch (selection.kind) {
    case 'bundle':
      return null;
    case 'diagnosis':
      return diagnoses.some((d) => d.id === selection.id) ? null : { code: 'not_found', message: `diagnosis ${selection.id} not found` };
    case 'fault':
    case 'faults': {
      const known = new Set(faults.map((f) => f.id));
      const missing = (selection.kind === 'fault' ? [selection.id] : selection.ids).filter((id) => !known.has(id));
      return missing.length === 0 ? null : { code: 'not_found', message: `fault ${missing.slice(0, 5).join(', ')} not found` };
    }
  }
}

const big = (v: string | bigint | null): bigint | null => (v === null ? null : typeof v === 'bigint' ? v : BigInt(v));
const KINDS: ReadonlySet<string> = new Set(FAULT_KINDS);

function extraOf(json: string): FaultRecord['extra'] {
  try {
    const v: unknown = JSON.parse(json);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as FaultRecord['extra']) : {};
  } catch {
    return {};
  }
}

/** A stored fault row back to the record ingest assembled (64-bit values from their hex text). */
export function rowToFault(r: FaultRow): FaultInput {
  const record: FaultRecord = {
    kind: (KINDS.has(r.kind) ? r.kind : 'mem_abort') as FaultKind,
    esr: big(r.esr),
    el: r.el === 1 || r.el === 2 ? r.el : null,
    far: big(r.far),
    ipa: big(r.ipa),
    pc: big(r.pc),
    cpu: r.cpu,
    pid: r.pid,
    comm: r.comm,
    timeNs: r.timeNs === null ? null : BigInt(r.timeNs),
    kernel: r.kernel,
    source: { file: r.file, line: r.line, endLine: r.endLine },
    text: r.text,
    extra: { ...extraOf(r.extraJson), ...(r.clock !== null ? { clock: r.clock } : {}) },
  };
  return { id: r.id, count: r.count, decode: null, replay: null, record };
}

/**
 * The replay of a record depends on its kind, ESR, EL, kernel, address alignment and the BAR (if any) its
 * address falls in (main/core/mmu/replay-inputs.ts buildReplayInputs), not on the rest of the address: one
 * replay per such key serves every record that shares it. The key errs on the side of more replays.
 */
function replayKey(r: FaultRecord, context: BundleContext): string {
  const where = (a: bigint | null): string => {
    if (a === null) return '-';
    const bar = context.pciDevices.flatMap((d) => d.bars.map((b) => ({ d, b }))).find(({ b }) => a >= b.address && a < b.address + b.size);
    return `${a & 0xfffn}@${bar ? `${bar.d.bdf}/${bar.b.index}` : 'none'}`;
  };
  return [r.kind, r.esr, r.el, r.kernel, where(r.far), where(r.ipa), JSON.stringify(r.extra)].join('|');
}

// The diagnosis rules read a record's fields, its replay and a few patterns of its text (message wording,
// function names; main/core/diagnose/rules.ts). Numbers in the text (timestamps, pids, addresses, register
// values) feed no rule except the SMMU ones (event id, FSR), so records that differ only there share one
// diagnosis. SMMU records keep their whole text in the key.
//   [  412.883121] kvm [4325]: ...   CPU 0/KVM-4325 [012] 412.882603: kvm_guest_fault: ipa 0x8000001000, ...
const NUMBERS: ReadonlyArray<readonly [RegExp, string]> = [
  [/0x[0-9a-fA-F]+/g, '0x#'],
  [/\b\d+\.\d+\b/g, '#.#'],
  [/\[\s*\d+\]/g, '[#]'],
  [/\b[0-9a-fA-F]{8,16}\b/g, '#'],
  [/-\d+\b/g, '-#'],
];
const TEXT_NUMBERS_MATTER: ReadonlySet<FaultKind> = new Set(['smmu_event', 'smmu_context_fault']);

function diagnosisKey(r: FaultRecord, replayK: string): string {
  let text = r.text;
  if (!TEXT_NUMBERS_MATTER.has(r.kind)) for (const [re, to] of NUMBERS) text = text.replace(re, to);
  return `${replayK}|${text}`;
}

/** Replays and diagnoses every fault; each replay is attached to the first fault that needed it. */
export function diagnoseFaults(faults: readonly FaultInput[], context: BundleContext): { faults: FaultInput[]; diagnoses: DiagnosisInput[] } {
  const replays = new Map<string, RecordReplay | null>();
  const diagnosed = new Map<string, Diagnosis[]>();
  const perFault = faults.map((f) => {
    const key = replayKey(f.record, context);
    const known = replays.has(key);
    const replay = known ? (replays.get(key) ?? null) : replayRecord(f.record, context);
    if (!known) replays.set(key, replay);
    const dkey = diagnosisKey(f.record, key);
    const diagnoses = diagnosed.get(dkey) ?? diagnoseFacts(collectFacts(f.record, context, replay));
    diagnosed.set(dkey, diagnoses);
    const fault: FaultInput = !known && replay ? { ...f, replay: replayToInput(replay) } : f;
    return { fault, diagnoses, vmmMessage: replay?.outcome.kvm?.result ?? null };
  });
  return { faults: perFault.map((p) => p.fault), diagnoses: gatherDiagnoses(perFault) };
}

/**
 * The clock most faults are on. Times on another clock cannot be placed on the same axis: those faults keep
 * their quoted lines (with the timestamps as printed) but no time in the report.
 */
function mainClock(faults: readonly FaultInput[]): ReportClock {
  const counts = new Map<string, number>();
  for (const f of faults) {
    const c = f.record.extra.clock;
    if (f.record.timeNs !== null && typeof c === 'string') counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  const best = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
  return best === 'monotonic' || best === 'realtime' || best === 'time-of-day' ? best : null;
}

function onClock(faults: readonly FaultInput[], clock: ReportClock): FaultInput[] {
  return faults.map((f) => {
    const c = f.record.extra.clock;
    const keep = f.record.timeNs !== null && (clock === null ? c === undefined : c === clock);
    return keep || f.record.timeNs === null ? f : { ...f, record: { ...f.record, timeNs: null } };
  });
}

function span(faults: readonly FaultInput[]): [bigint | null, bigint | null] {
  let lo: bigint | null = null;
  let hi: bigint | null = null;
  for (const f of faults) {
    const t = f.record.timeNs;
    if (t === null) continue;
    if (lo === null || t < lo) lo = t;
    if (hi === null || t > hi) hi = t;
  }
  return [lo, hi];
}

/** Buckets of the event-density figure: enough for a 720-pixel timeline without drawing every event. */
const DENSITY_BUCKETS = 180;

/**
 * Trace event density over [from, to] from the timeline summaries written at ingest (the per-CPU tracks, whose
 * sum counts every event once). Trace timestamps are on the trace clock, which for KVM hosts is the kernel's
 * since-boot clock, so they go on the axis only when the report's clock is that one too.
 */
function eventDensity(db: Db, bundleId: number, clock: ReportClock, range: readonly [bigint | null, bigint | null]): { buckets: TimelineBucketInput[]; from: bigint | null; to: bigint | null } {
  const span = clock === 'monotonic' || clock === null ? traceSpan(db, bundleId) : null;
  if (!span) return { buckets: [], from: range[0], to: range[1] };
  const from = range[0] !== null && range[0] < span.fromNs ? range[0] : span.fromNs;
  const to = range[1] !== null && range[1] > span.toNs ? range[1] : span.toNs;
  const result = timelineBuckets(db, bundleId, { fromNs: from, toNs: to, buckets: DENSITY_BUCKETS });
  const totals = new Array<number>(DENSITY_BUCKETS).fill(0);
  for (const t of result.tracks) if (t.kind === 'cpu') t.counts.forEach((c, i) => (totals[i] = (totals[i] ?? 0) + c));
  const width = (to - from + 1n) / BigInt(DENSITY_BUCKETS) + 1n;
  const buckets = totals.map((count, i) => ({ startNs: from + BigInt(i) * width, endNs: from + BigInt(i + 1) * width, count }));
  return { buckets: buckets.some((b) => b.count > 0) ? buckets : [], from, to };
}

/**
 * The faults (with replays), diagnoses and time span of a bundle for a selection. A fault selection only
 * diagnoses its faults (and the VMM errors that may join their diagnoses); the others need the whole bundle,
 * since a diagnosis gathers every record its rule matched.
 */
export function gatherFindingsInput(db: Db, bundleId: number, selection: ReportSelection, context: BundleContext): Result<FindingsInput, ReportError> {
  const stored = allFaults(db, bundleId).map(rowToFault);
  const wanted = selection.kind === 'fault' ? new Set([selection.id]) : selection.kind === 'faults' ? new Set(selection.ids) : null;
  const scope = wanted ? stored.filter((f) => wanted.has(f.id) || f.record.kind === 'vmm_error') : stored;
  const clock = mainClock(scope);
  const { faults, diagnoses } = diagnoseFaults(onClock(scope, clock), context);
  const refused = checkSelection(selection, faults, diagnoses);
  if (refused) return err(refused);
  const density = eventDensity(db, bundleId, clock, span(faults));
  return ok({ faults, diagnoses, events: density.buckets, startNs: density.from, endNs: density.to, clock });
}
