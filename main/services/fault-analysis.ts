// Stored fault records replayed through the MMU model and run through the diagnosis rules, for the
// `faults --json` contract (issue 6): `"replay"` and `"diagnoses"` per record. Records that share what the
// replay reads (kind, ESR, EL, kernel, in-page offsets, extra facts, trace evidence) share one replay.
// A guest abort from a trace is replayed with what the trace says about its IPA's memslot (the events of the
// same vCPU thread up to its next kvm_entry: main/core/mmu/trace-evidence.ts).
import { collectFacts } from '../core/diagnose/facts';
import { diagnoseFacts } from '../core/diagnose/diagnose';
import type { BundleContext, FaultRecord } from '../core/ingest/fault-record';
import { recordReplayToJson, type RecordReplayJson } from '../core/mmu/json';
import { walkFaultOf } from '../core/mmu/replay-mapping';
import { replayRecord, type RecordReplay } from '../core/mmu/replay-record';
import { memslotFromTrace, type MemslotEvidence } from '../core/mmu/trace-evidence';
import type { Db } from '../storage/db';
import { getBundle } from '../storage/bundles';
import { eventsOf, type EventRow } from '../storage/events';
import type { FaultRow } from '../storage/faults';
import { parseContextJson } from './report';
import { rowToFault } from './report-sources';

export interface FaultAnalysis {
  readonly record: FaultRecord;
  readonly replay: RecordReplayJson | null;
  readonly diagnoses: readonly string[];
}

function replayKey(r: FaultRecord, evidence: MemslotEvidence | null): string {
  const page = (a: bigint | null): string => (a === null ? '-' : a.toString(16));
  return JSON.stringify([r.kind, r.esr?.toString(16) ?? null, r.el, r.kernel, page(r.far), page(r.ipa), r.extra, evidence]);
}

// How far after a guest abort its exit's events are looked for, and how many events (of any thread) at most: a
// vCPU thread handles an abort in microseconds, a VMM round trip (KVM_EXIT_MMIO) in well under this. Each
// look-up decodes at least one stored chunk, so only aborts whose KVM outcome depends on the memslot
// (translation and access-flag faults) are looked up, and at most so many per analyzer.
const EVIDENCE_WINDOW_NS = 2_000_000n;
const EVIDENCE_MAX_EVENTS = 4_000;
const EVIDENCE_MAX_LOOKUPS = 64;

/** The events after the abort in its own trace file (file order is time order there), lazily. */
function* eventsAfter(db: Db, bundleId: number, r: FaultRecord, timeNs: bigint): Generator<EventRow> {
  let seen = 0;
  for (const e of eventsOf(db, { bundleId, fromNs: timeNs, toNs: timeNs + EVIDENCE_WINDOW_NS })) {
    if (++seen > EVIDENCE_MAX_EVENTS) return;
    if (e.file === r.source.file && e.line > r.source.line) yield e;
  }
}

/** One analyzer per bundle: its context is read once, replays are memoized by what they depend on. */
export function createFaultAnalyzer(db: Db): (row: FaultRow) => FaultAnalysis {
  const contexts = new Map<number, BundleContext>();
  const replays = new Map<string, RecordReplay | null>();
  // Each trace abort is read against its own exit (identical aborts are one grouped row already).
  let lookups = 0;
  const evidenceOf = (bundleId: number, r: FaultRecord): MemslotEvidence | null => {
    if (r.kind !== 'kvm_guest_fault' || r.ipa === null || r.pid === null || r.timeNs === null || r.esr === null) return null;
    if (walkFaultOf(Number(r.esr & 0x3fn)) === null || ++lookups > EVIDENCE_MAX_LOOKUPS) return null;
    return memslotFromTrace({ pid: r.pid, ipa: r.ipa, pc: r.pc }, eventsAfter(db, bundleId, r, r.timeNs));
  };
  return (row) => {
    let context = contexts.get(row.bundleId);
    if (!context) {
      context = parseContextJson(getBundle(db, row.bundleId)?.contextJson ?? '{}');
      contexts.set(row.bundleId, context);
    }
    const record = rowToFault(row).record;
    const memslot = evidenceOf(row.bundleId, record);
    const key = `${row.bundleId}|${replayKey(record, memslot)}`;
    let replay = replays.get(key);
    if (replay === undefined) {
      replay = replayRecord(record, context, memslot ? { memslotEvidence: memslot } : {});
      replays.set(key, replay);
    }
    const diagnoses = diagnoseFacts(collectFacts(record, context, replay)).map((d) => d.id);
    return { record, replay: replay ? recordReplayToJson(replay) : null, diagnoses };
  };
}
