// Reports (issue 8): gathers what a report needs for a selection of a bundle from the database and hands it to
// the pure transforms in main/core/report (query results -> report model -> text or HTML, STYLE.md §20).
// Front ends (API, CLI) only choose where the string goes.
import { renderHtml } from '../core/report/html';
import type { DiagnosticInput, ReportInput, ReportSelection } from '../core/report/input';
import { buildReport, type Report } from '../core/report/model';
import { renderText } from '../core/report/text';
import { err, ok, type Result } from '../core/result';
import { getBundle, listDiagnostics, type BundleRow } from '../storage/bundles';
import type { Db } from '../storage/db';
import { gatherFindingsInput } from './report-sources';
import { createFaultAnalyzer } from './stored-faults';
import { VERSION } from './version';

export type ReportFormat = 'text' | 'html';

export interface ReportError {
  readonly code: 'not_found' | 'bad_request';
  readonly message: string;
}

/** Import diagnostics are read up to this many rows; the report counts them by kind anyway. */
const MAX_DIAGNOSTICS = 100_000;

function diagnosticsOf(db: Db, bundleId: number): DiagnosticInput[] {
  return listDiagnostics(db, bundleId, MAX_DIAGNOSTICS);
}

/** Everything the report of `selection` needs, read from the database; not_found for an unknown id. */
export function gatherReportInput(db: Db, bundleId: number, selection: ReportSelection): Result<ReportInput, ReportError> {
  const bundle: BundleRow | undefined = getBundle(db, bundleId);
  if (!bundle) return err({ code: 'not_found', message: `bundle ${bundleId} not found` });
  // One analyzer for the report: the context it replays with is the one the report prints.
  const analyzer = createFaultAnalyzer(db);
  const context = analyzer.contextOf(bundleId);
  const findings = gatherFindingsInput(db, bundleId, selection, analyzer);
  if (!findings.ok) return findings;
  const { faults, diagnoses, events, startNs, endNs, clock } = findings.value;
  return ok({
    bundle: { id: bundle.id, name: bundle.name, sourcePath: bundle.sourcePath, context, startNs, endNs, clock },
    selection,
    faults,
    diagnoses,
    diagnostics: diagnosticsOf(db, bundleId),
    events,
    generator: `Faultline ${VERSION}`,
  });
}

/** The report model of a selection. */
export function buildBundleReport(db: Db, bundleId: number, selection: ReportSelection): Result<Report, ReportError> {
  const input = gatherReportInput(db, bundleId, selection);
  return input.ok ? ok(buildReport(input.value)) : input;
}

/** The rendered report: plain text for mail, or one self-contained HTML document. */
export function renderReport(report: Report, format: ReportFormat): string {
  return format === 'text' ? renderText(report) : renderHtml(report);
}

/** `gpu-passthrough-6.1-report.txt`: a file name for the save dialog, from the bundle name. */
export function reportFileName(bundleName: string, format: ReportFormat): string {
  const base = bundleName.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '') || 'faultline';
  return `${base}-report.${format === 'text' ? 'txt' : 'html'}`;
}
