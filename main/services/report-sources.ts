// The faults, diagnoses and time span a report quotes, read from the database for a selection. Kept apart
// from main/services/report.ts because it follows the tables and functions other parts own: fault records
// from the ingest (main/storage/faults.ts), replays and diagnoses from the analyzer every front end shares
// (main/services/stored-faults.ts), the report's input shapes (main/core/report/adapt.ts).
import type { BundleContext, FaultRecord } from '../core/ingest/fault-record';
import type { RecordReplay } from '../core/mmu/replay-record';
import { gatherDiagnoses, replayToInput } from '../core/report/adapt';
import type { DiagnosisInput, FaultInput, ReplayInput, ReportClock, ReportSelection, TimelineBucketInput } from '../core/report/input';
import { bootOf, recordClock } from '../core/ingest/boot-clock';
import { err, ok, type Result } from '../core/result';
import type { Db } from '../storage/db';
import { eachFault, type FaultRow } from '../storage/faults';
import { timelineBuckets, traceSpan } from '../storage/timeline';
import type { ReportError } from './report';
import { createFaultAnalyzer, createRecordAnalyzer, type FaultAnalysis, type FaultAnalyzer } from './stored-faults';

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

/** A stored fault as the report's input, with its record as main/services/stored-faults.ts reads it back. */
function faultInputOf(row: FaultRow, record: FaultRecord): FaultInput {
  return { id: row.id, count: row.count, decode: null, replay: null, record };
}

/** A fault and what the shared analyzer found for it (stored-faults.ts createFaultAnalyzer). */
interface AnalyzedFault {
  readonly fault: FaultInput;
  readonly analysis: FaultAnalysis;
}

/**
 * The report's faults, each with its own replay (shared replays give shared ReplayInputs: the key they were
 * shared by holds the whole addresses, stored-faults.ts), and the diagnoses gathered per rule.
 */
function gatherAnalyses(analyzed: readonly AnalyzedFault[]): { faults: FaultInput[]; diagnoses: DiagnosisInput[] } {
  const inputs = new WeakMap<RecordReplay, ReplayInput>();
  const inputOf = (r: RecordReplay): ReplayInput => {
    let i = inputs.get(r);
    if (!i) inputs.set(r, (i = replayToInput(r)));
    return i;
  };
  const perFault = analyzed.map(({ fault, analysis: { replay, diagnoses } }) => ({
    fault: replay ? { ...fault, replay: inputOf(replay) } : fault,
    diagnoses,
    vmmMessage: replay?.outcome.kvm?.result ?? null,
  }));
  return { faults: perFault.map((p) => p.fault), diagnoses: gatherDiagnoses(perFault) };
}

/**
 * Replays and diagnoses faults that are not read from a database (no trace to take memslot evidence from),
 * with the same per-record analysis as stored faults.
 */
export function diagnoseFaults(faults: readonly FaultInput[], context: BundleContext): { faults: FaultInput[]; diagnoses: DiagnosisInput[] } {
  const analyze = createRecordAnalyzer(context);
  return gatherAnalyses(faults.map((fault) => ({ fault, analysis: analyze(fault.record) })));
}

/**
 * The clock most faults are on. Times on another clock cannot be placed on the same axis: those faults keep
 * their quoted lines (with the timestamps as printed) but no time in the report. An earlier boot's clock
 * (`monotonic@-1`) counts per file: two logs' boots before their last need not be the same boot.
 */
function mainClock(faults: readonly FaultInput[]): { clock: ReportClock; file: string | null } {
  const counts = new Map<string, { n: number; clock: ReportClock; file: string | null }>();
  for (const f of faults) {
    const c = recordClock(f.record.extra.clock);
    if (f.record.timeNs === null || c === null) continue;
    const file = earlierBoot(c) ? f.record.source.file : null;
    const key = `${c}\0${file ?? ''}`;
    const seen = counts.get(key);
    if (seen === undefined) counts.set(key, { n: 1, clock: c, file });
    else seen.n++;
  }
  const best = [...counts.values()].sort((a, b) => b.n - a.n)[0];
  return best === undefined ? { clock: null, file: null } : { clock: best.clock, file: best.file };
}

const earlierBoot = (c: ReportClock): boolean => (bootOf(c) ?? 0) < 0;

function onClock(faults: readonly FaultInput[], axis: { clock: ReportClock; file: string | null }): FaultInput[] {
  return faults.map((f) => {
    const c = f.record.extra.clock;
    const keep = f.record.timeNs !== null && (axis.clock === null ? c === undefined : c === axis.clock && (axis.file === null || f.record.source.file === axis.file));
    if (keep || f.record.timeNs === null) return f;
    const offAxisTime = typeof c === 'string' ? { offAxisTime: { ns: f.record.timeNs, clock: c, file: f.record.source.file } } : {};
    return { ...f, record: { ...f.record, timeNs: null }, ...offAxisTime };
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
 * since a diagnosis gathers every record its rule matched. Each fault is analyzed as `faults --json` analyzes
 * it (the same analyzer), whatever the selection.
 */
export function gatherFindingsInput(db: Db, bundleId: number, selection: ReportSelection, analyzer: FaultAnalyzer = createFaultAnalyzer(db)): Result<FindingsInput, ReportError> {
  const wanted = selection.kind === 'fault' ? new Set([selection.id]) : selection.kind === 'faults' ? new Set(selection.ids) : null;
  // Analyzed as stored (the trace evidence is found by the record's own time), placed on the report's clock
  // after. The rows are read a page at a time and only their records kept: a storm of one fault (100,000
  // records) held as rows took ~500 MB.
  const analyzed: AnalyzedFault[] = [];
  for (const row of eachFault(db, bundleId)) {
    if (wanted && !wanted.has(row.id) && row.kind !== 'vmm_error') continue;
    const analysis = analyzer.analyze(row);
    analyzed.push({ fault: faultInputOf(row, analysis.record), analysis });
  }
  const axis = mainClock(analyzed.map((a) => a.fault));
  const clock = axis.clock;
  const onReportClock = onClock(analyzed.map((a) => a.fault), axis);
  const { faults, diagnoses } = gatherAnalyses(analyzed.map((a, i) => ({ ...a, fault: onReportClock[i] as FaultInput })));
  const refused = checkSelection(selection, faults, diagnoses);
  if (refused) return err(refused);
  const density = eventDensity(db, bundleId, clock, span(faults));
  return ok({ faults, diagnoses, events: density.buckets, startNs: density.from, endNs: density.to, clock });
}
