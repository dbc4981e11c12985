// The faults, diagnoses and timeline summary a report quotes, read from the database for a selection. Kept
// apart from main/services/report.ts because it follows the tables other parts own (faults and lines from the
// ingest, diagnoses from main/core/diagnose, replays from main/core/mmu, event summaries from the ftrace
// ingest) as they land.
import type { DiagnosisInput, FaultInput, ReportSelection, TimelineBucketInput } from '../core/report/input';
import { err, ok, type Result } from '../core/result';
import type { Db } from '../storage/db';
import type { ReportError } from './report';

export interface FindingsInput {
  readonly faults: readonly FaultInput[];
  readonly diagnoses: readonly DiagnosisInput[];
  readonly events: readonly TimelineBucketInput[];
  readonly startNs: bigint | null;
  readonly endNs: bigint | null;
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

/** The faults (with decode, replay and lines), diagnoses and event density of a bundle for a selection. */
export function gatherFindingsInput(_db: Db, _bundleId: number, selection: ReportSelection): Result<FindingsInput, ReportError> {
  const faults: FaultInput[] = [];
  const diagnoses: DiagnosisInput[] = [];
  const refused = checkSelection(selection, faults, diagnoses);
  if (refused) return err(refused);
  return ok({ faults, diagnoses, events: [], startNs: null, endNs: null });
}
