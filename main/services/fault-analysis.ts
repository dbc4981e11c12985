// Stored fault records replayed through the MMU model and run through the diagnosis rules, for the
// `faults --json` contract (issue 6): `"replay"` and `"diagnoses"` per record. Records that share what the
// replay reads (kind, ESR, EL, kernel, in-page offsets, extra facts) share one replay.
import { collectFacts } from '../core/diagnose/facts';
import { diagnoseFacts } from '../core/diagnose/diagnose';
import type { BundleContext, FaultRecord } from '../core/ingest/fault-record';
import { recordReplayToJson, type RecordReplayJson } from '../core/mmu/json';
import { replayRecord, type RecordReplay } from '../core/mmu/replay-record';
import type { Db } from '../storage/db';
import { getBundle } from '../storage/bundles';
import type { FaultRow } from '../storage/faults';
import { parseContextJson } from './report';
import { rowToFault } from './report-sources';

export interface FaultAnalysis {
  readonly record: FaultRecord;
  readonly replay: RecordReplayJson | null;
  readonly diagnoses: readonly string[];
}

function replayKey(r: FaultRecord): string {
  const page = (a: bigint | null): string => (a === null ? '-' : a.toString(16));
  return JSON.stringify([r.kind, r.esr?.toString(16) ?? null, r.el, r.kernel, page(r.far), page(r.ipa), r.extra]);
}

/** One analyzer per bundle: its context is read once, replays are memoized by what they depend on. */
export function createFaultAnalyzer(db: Db): (row: FaultRow) => FaultAnalysis {
  const contexts = new Map<number, BundleContext>();
  const replays = new Map<string, RecordReplay | null>();
  return (row) => {
    let context = contexts.get(row.bundleId);
    if (!context) {
      context = parseContextJson(getBundle(db, row.bundleId)?.contextJson ?? '{}');
      contexts.set(row.bundleId, context);
    }
    const record = rowToFault(row).record;
    const key = `${row.bundleId}|${replayKey(record)}`;
    let replay = replays.get(key);
    if (replay === undefined) {
      replay = replayRecord(record, context);
      replays.set(key, replay);
    }
    const diagnoses = diagnoseFacts(collectFacts(record, context, replay)).map((d) => d.id);
    return { record, replay: replay ? recordReplayToJson(replay) : null, diagnoses };
  };
}
