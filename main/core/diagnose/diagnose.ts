// Runs every diagnosis rule over one record (with its replay, when the record is replayable) and returns the
// diagnoses that apply, in table order. Pure: the service stores or shows what comes out.
import type { BundleContext, FaultRecord } from '../ingest/fault-record';
import { replayRecord, type RecordReplay } from '../mmu/replay-record';
import type { ReplayAssumptions } from '../mmu/replay-inputs';
import { collectFacts, type DiagnosisFacts } from './facts';
import { DIAGNOSIS_RULES, type DiagnosisRule, type Reference } from './rules';

export interface Diagnosis {
  readonly id: string;
  readonly title: string;
  readonly explanation: string;
  readonly references: readonly Reference[];
}

/** Applies `rules` (all of them by default) to precomputed facts. */
export function diagnoseFacts(facts: DiagnosisFacts, rules: readonly DiagnosisRule[] = DIAGNOSIS_RULES): Diagnosis[] {
  return rules.filter((r) => r.applies(facts)).map((r) => ({ id: r.id, title: r.title, explanation: r.explain(facts), references: r.references }));
}

export interface RecordDiagnosis {
  readonly replay: RecordReplay | null;
  readonly diagnoses: readonly Diagnosis[];
}

/** Replays the record (when it is an abort) and diagnoses it. */
export function diagnoseRecord(record: FaultRecord, context: BundleContext, assumptions: ReplayAssumptions = {}): RecordDiagnosis {
  const replay = replayRecord(record, context, assumptions);
  return { replay, diagnoses: diagnoseFacts(collectFacts(record, context, replay)) };
}
