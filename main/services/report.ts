// Reports (issue 8): gathers what a report needs for a selection of a bundle from the database and hands it to
// the pure transforms in main/core/report (query results -> report model -> text or HTML, STYLE.md §20).
// Front ends (API, CLI) only choose where the string goes.
import { EMPTY_CONTEXT, type BundleContext, type PciBar, type PciDevice, type VmProcess } from '../core/ingest/fault-record';
import { renderHtml } from '../core/report/html';
import type { DiagnosticInput, ReportInput, ReportSelection } from '../core/report/input';
import { buildReport, type Report } from '../core/report/model';
import { renderText } from '../core/report/text';
import { err, ok, type Result } from '../core/result';
import { getBundle, listDiagnostics, type BundleRow } from '../storage/bundles';
import type { Db } from '../storage/db';
import { gatherFindingsInput } from './report-sources';
import { VERSION } from './version';

export type ReportFormat = 'text' | 'html';

export interface ReportError {
  readonly code: 'not_found' | 'bad_request';
  readonly message: string;
}

/** Import diagnostics are read up to this many rows; the report counts them by kind anyway. */
const MAX_DIAGNOSTICS = 100_000;

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
 * still gives a report.
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

function diagnosticsOf(db: Db, bundleId: number): DiagnosticInput[] {
  return listDiagnostics(db, bundleId, MAX_DIAGNOSTICS);
}

/** Everything the report of `selection` needs, read from the database; not_found for an unknown id. */
export function gatherReportInput(db: Db, bundleId: number, selection: ReportSelection): Result<ReportInput, ReportError> {
  const bundle: BundleRow | undefined = getBundle(db, bundleId);
  if (!bundle) return err({ code: 'not_found', message: `bundle ${bundleId} not found` });
  const context = parseContextJson(bundle.contextJson);
  const findings = gatherFindingsInput(db, bundleId, selection, context);
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
