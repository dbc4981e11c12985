// Stored faults back to what replay and diagnosis read, and the one analyzer every front end uses: `faultline
// faults --json`, the reports (report-sources.ts), the fault page (faults:replay) and diagnoses:list. One owner,
// so that the same record gets the same replay, verdict and diagnoses everywhere:
//   - faultRecordOf: a faults row back to the FaultRecord ingest assembled (64-bit values from their hex text);
//   - parseContextJson / bundleContextOf: bundles.context_json back to the BundleContext;
//   - createFaultAnalyzer: replay (main/core/mmu/replay-record.ts) and diagnosis rules (main/core/diagnose) per
//     record, a trace guest abort read with what its trace says about the IPA's memslot (main/core/mmu/
//     trace-evidence.ts), memoized only by keys that hold every input of the result.
import { collectFacts } from '../core/diagnose/facts';
import { diagnoseFacts, type Diagnosis } from '../core/diagnose/diagnose';
import { EMPTY_CONTEXT, FAULT_KINDS, type BundleContext, type FaultKind, type FaultRecord, type PciBar, type PciDevice, type VmProcess } from '../core/ingest/fault-record';
import type { ReplayAssumptions } from '../core/mmu/replay-inputs';
import { walkFaultOf } from '../core/mmu/replay-mapping';
import { replayRecord, type RecordReplay } from '../core/mmu/replay-record';
import { memslotFromTrace, type MemslotEvidence } from '../core/mmu/trace-evidence';
import { getBundle } from '../storage/bundles';
import type { Db } from '../storage/db';
import { eventsOf, type EventRow } from '../storage/events';
import { listFaults, type FaultRow } from '../storage/faults';

// ---- rows and contexts

const big = (v: string | null): bigint | null => (v === null ? null : BigInt(v));
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
export function faultRecordOf(r: FaultRow): FaultRecord {
  return {
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
}

function toBigInt(v: unknown): bigint | null {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return BigInt(v);
  if (typeof v === 'string' && /^(0x[0-9a-f]+|\d+)$/i.test(v.trim())) return BigInt(v.trim());
  return null;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const obj = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : {});

function parseBar(v: unknown): PciBar | null {
  const b = obj(v);
  const address = toBigInt(b.address);
  const size = toBigInt(b.size);
  if (address === null || size === null) return null;
  return { index: num(b.index) ?? 0, address, size, prefetchable: b.prefetchable === true, is64: b.is64 === true };
}

function parseDevice(v: unknown): PciDevice {
  const d = obj(v);
  return {
    bdf: str(d.bdf) ?? '?',
    description: str(d.description) ?? '',
    vendorDevice: str(d.vendorDevice),
    driver: str(d.driver),
    bars: arr(d.bars).map(parseBar).filter((b): b is PciBar => b !== null),
  };
}

function parseVm(v: unknown): VmProcess {
  const m = obj(v);
  return {
    pid: num(m.pid) ?? 0,
    name: str(m.name),
    vcpus: arr(m.vcpus).map((c) => ({ tid: num(obj(c).tid) ?? 0, index: num(obj(c).index) })),
  };
}

/**
 * bundles.context_json (BundleContext with 64-bit values as hex strings, migration 0001) back to a
 * BundleContext. Tolerant: a missing or malformed field takes its empty value, so an old or partial context
 * still gives a replay and a report.
 */
export function parseContextJson(json: string): BundleContext {
  let raw: Record<string, unknown>;
  try {
    raw = obj(JSON.parse(json));
  } catch {
    return EMPTY_CONTEXT;
  }
  return {
    hostname: str(raw.hostname),
    kernels: arr(raw.kernels).filter((k): k is string => typeof k === 'string'),
    midr: str(raw.midr),
    cpuDescription: str(raw.cpuDescription),
    pageSizeKiB: num(raw.pageSizeKiB),
    vaBits: num(raw.vaBits),
    cmdline: str(raw.cmdline),
    pciDevices: arr(raw.pciDevices).map(parseDevice),
    vms: arr(raw.vms).map(parseVm),
  };
}

/** The context of a stored bundle (the empty context for an unknown bundle). */
export function bundleContextOf(db: Db, bundleId: number): BundleContext {
  return parseContextJson(getBundle(db, bundleId)?.contextJson ?? '{}');
}

// ---- trace evidence

// How far after a guest abort its exit's events are looked for, and how many events (of any thread) at most: a
// vCPU thread handles an abort in microseconds, a VMM round trip (KVM_EXIT_MMIO) in well under this. Each
// look-up decodes at least one stored chunk, so only aborts whose KVM outcome depends on the memslot
// (translation and access-flag faults) are looked up, and at most EVIDENCE_MAX_LOOKUPS per bundle.
const EVIDENCE_WINDOW_NS = 2_000_000n;
const EVIDENCE_MAX_EVENTS = 4_000;
const EVIDENCE_MAX_LOOKUPS = 64;
const PLAN_FIRST_PAGE = 1_000;

/** A trace guest abort whose KVM outcome depends on the memslot, with what the look-up needs. */
function wantsEvidence(r: FaultRecord): r is FaultRecord & { ipa: bigint; pid: number; timeNs: bigint; esr: bigint } {
  if (r.kind !== 'kvm_guest_fault' || r.ipa === null || r.pid === null || r.timeNs === null || r.esr === null) return false;
  return walkFaultOf(Number(r.esr & 0x3fn)) !== null;
}

/**
 * Which guest aborts of a bundle are read against their trace: the first EVIDENCE_MAX_LOOKUPS that want it, in
 * the bundle's time order. Chosen per bundle, not per caller, so that a record has the same evidence (and so
 * the same replay) whether it is listed with every fault, alone on the fault page, or in a selection.
 */
function evidencePlan(db: Db, bundleId: number): ReadonlySet<number> {
  const ids = new Set<number>();
  for (let offset = 0, limit = PLAN_FIRST_PAGE; ; offset += limit, limit *= 2) {
    const { rows } = listFaults(db, { bundleId, kind: 'kvm_guest_fault', offset, limit });
    for (const r of rows) {
      if (ids.size >= EVIDENCE_MAX_LOOKUPS) return ids;
      if (wantsEvidence(faultRecordOf(r))) ids.add(r.id);
    }
    if (rows.length < limit) return ids;
  }
}

/** The events after the abort in its own trace file (file order is time order there), lazily. */
function* eventsAfter(db: Db, bundleId: number, r: FaultRecord, timeNs: bigint): Generator<EventRow> {
  let seen = 0;
  for (const e of eventsOf(db, { bundleId, fromNs: timeNs, toNs: timeNs + EVIDENCE_WINDOW_NS })) {
    if (++seen > EVIDENCE_MAX_EVENTS) return;
    if (e.file === r.source.file && e.line > r.source.line) yield e;
  }
}

// ---- the analyzer

export interface FaultAnalysis {
  readonly record: FaultRecord;
  /** What the trace says about the IPA's memslot (trace guest aborts only), as the replay used it. */
  readonly evidence: MemslotEvidence | null;
  /** Null when the record carries no abort ESR to replay. */
  readonly replay: RecordReplay | null;
  readonly diagnoses: readonly Diagnosis[];
}

const hex = (v: bigint | null): string | null => (v === null ? null : v.toString(16));

/**
 * Everything a replay reads from a record (main/core/mmu/replay-inputs.ts buildReplayInputs, replay-mapping.ts,
 * replay-record.ts: kind, ESR, EL, kernel, FAR, IPA, extra) and the trace evidence it is given. The addresses
 * are whole: the outcome and the inputs print them (FAR, IPA/HPFAR, the BAR that holds the IPA). The bundle
 * context is the same for every key of one analyzer (one per bundle).
 */
function replayKey(r: FaultRecord, evidence: MemslotEvidence | null): string {
  return JSON.stringify([r.kind, hex(r.esr), r.el, r.kernel, hex(r.far), hex(r.ipa), r.extra, evidence]);
}

// The diagnosis rules read a record's kind, ESR, EL, kernel, extra and a few patterns of its text (message
// wording, function names: main/core/diagnose/facts.ts, rules.ts), besides its replay and the context. Numbers
// in the text (timestamps, pids, addresses, register values) feed no rule except the SMMU ones (event id, FSR),
// so records that differ only there share one diagnosis; SMMU records keep their whole text in the key.
//   [  412.883121] kvm [4325]: ...   CPU 0/KVM-4325 [012] 412.882603: kvm_guest_fault: ipa 0x8000001000, ...
const NUMBERS: ReadonlyArray<readonly [RegExp, string]> = [
  [/0x[0-9a-fA-F]+/g, '0x#'],
  [/\b\d+\.\d+\b/g, '#.#'],
  [/\[\s*\d+\]/g, '[#]'],
  [/\b[0-9a-fA-F]{8,16}\b/g, '#'],
  [/-\d+\b/g, '-#'],
];
const TEXT_NUMBERS_MATTER: ReadonlySet<FaultKind> = new Set(['smmu_event', 'smmu_context_fault']);

function diagnosisText(r: FaultRecord): string {
  let text = r.text;
  if (!TEXT_NUMBERS_MATTER.has(r.kind)) for (const [re, to] of NUMBERS) text = text.replace(re, to);
  return text;
}

/**
 * Replays and diagnoses the records of one bundle context. Records with the same replay key share one replay;
 * records with the same replay key and the same text but for numbers no rule reads share one diagnosis list.
 * Fields neither reads (time, CPU, pid, comm, PC, source) are left out of the keys.
 */
export function createRecordAnalyzer(context: BundleContext): (record: FaultRecord, evidence?: MemslotEvidence | null) => FaultAnalysis {
  const replays = new Map<string, RecordReplay | null>();
  const diagnosed = new Map<string, readonly Diagnosis[]>();
  return (record, evidence = null) => {
    const key = replayKey(record, evidence);
    let replay = replays.get(key);
    if (replay === undefined) {
      replay = replayRecord(record, context, evidence ? { memslotEvidence: evidence } : {});
      replays.set(key, replay);
    }
    const dkey = `${key}\0${diagnosisText(record)}`;
    let diagnoses = diagnosed.get(dkey);
    if (diagnoses === undefined) {
      diagnoses = diagnoseFacts(collectFacts(record, context, replay));
      diagnosed.set(dkey, diagnoses);
    }
    return { record, evidence, replay, diagnoses };
  };
}

export interface FaultAnalyzer {
  /** The record of a stored fault, its replay (with the trace's evidence) and its diagnoses. */
  analyze(row: FaultRow): FaultAnalysis;
  /** The same replay with the user's assumptions on top (the fault page's what-if); not memoized. */
  replayWith(row: FaultRow, assumptions: ReplayAssumptions): RecordReplay | null;
  /** The context the analyzer replays a bundle's faults with. */
  contextOf(bundleId: number): BundleContext;
}

interface BundleState {
  readonly context: BundleContext;
  readonly analyze: ReturnType<typeof createRecordAnalyzer>;
  plan: ReadonlySet<number> | null;
}

/** One analyzer per run over a database: each bundle's context and evidence plan are read once. */
export function createFaultAnalyzer(db: Db): FaultAnalyzer {
  const bundles = new Map<number, BundleState>();
  const stateOf = (bundleId: number): BundleState => {
    let s = bundles.get(bundleId);
    if (!s) {
      const context = bundleContextOf(db, bundleId);
      s = { context, analyze: createRecordAnalyzer(context), plan: null };
      bundles.set(bundleId, s);
    }
    return s;
  };
  const evidenceOf = (row: FaultRow, record: FaultRecord, s: BundleState): MemslotEvidence | null => {
    if (!wantsEvidence(record)) return null;
    s.plan ??= evidencePlan(db, row.bundleId);
    if (!s.plan.has(row.id)) return null;
    return memslotFromTrace({ pid: record.pid, ipa: record.ipa, pc: record.pc }, eventsAfter(db, row.bundleId, record, record.timeNs));
  };
  return {
    analyze(row) {
      const s = stateOf(row.bundleId);
      const record = faultRecordOf(row);
      return s.analyze(record, evidenceOf(row, record, s));
    },
    replayWith(row, assumptions) {
      const s = stateOf(row.bundleId);
      const record = faultRecordOf(row);
      const evidence = evidenceOf(row, record, s);
      return replayRecord(record, s.context, { ...assumptions, ...(evidence ? { memslotEvidence: evidence } : {}) });
    },
    contextOf: (bundleId) => stateOf(bundleId).context,
  };
}
