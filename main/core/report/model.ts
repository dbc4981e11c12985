// buildReport: the pure transform from what the bundle holds and what the user selected to the report model
// that both renderings lay out (STYLE.md §20: query results -> report model -> HTML or text).
import type { BundleContext, PciDevice } from '../ingest/fault-record';
import type { DiagnosisInput, DiagnosticInput, FaultInput, ReportInput, ReportSelection } from './input';
import { SEVERITIES } from './input';
import { buildFindings, groupFaults } from './findings';
import { ReferenceTable } from './references';
import { formatDuration, formatTime, hex, plural } from './format';
import type { Finding, KeyRow, Report, ReportDiagnostic, TimelineModel } from './types';

export type { Report } from './types';

/** The faults and diagnoses a selection covers; a diagnosis keeps only its selected faults. */
export function applySelection(
  selection: ReportSelection,
  faults: readonly FaultInput[],
  diagnoses: readonly DiagnosisInput[],
): { faults: FaultInput[]; diagnoses: DiagnosisInput[] } {
  switch (selection.kind) {
    case 'bundle':
      return { faults: [...faults], diagnoses: [...diagnoses] };
    case 'diagnosis': {
      const d = diagnoses.find((x) => x.id === selection.id);
      if (!d) return { faults: [], diagnoses: [] };
      const ids = new Set(d.faultIds);
      return { faults: faults.filter((f) => ids.has(f.id)), diagnoses: [d] };
    }
    case 'faults':
    case 'fault': {
      const ids = new Set(selection.kind === 'fault' ? [selection.id] : selection.ids);
      const picked = faults.filter((f) => ids.has(f.id));
      const touching = diagnoses
        .filter((d) => d.faultIds.some((id) => ids.has(id)))
        .map((d) => ({ ...d, faultIds: d.faultIds.filter((id) => ids.has(id)) }));
      return { faults: picked, diagnoses: touching };
    }
  }
}

export function selectionLabel(selection: ReportSelection, diagnoses: readonly DiagnosisInput[]): string {
  switch (selection.kind) {
    case 'bundle':
      return 'whole bundle';
    case 'diagnosis':
      return `diagnosis ${diagnoses.find((d) => d.id === selection.id)?.ruleId ?? selection.id}`;
    case 'faults':
      return `${plural(selection.ids.length, 'selected fault')}`;
    case 'fault':
      return `fault ${selection.id}`;
  }
}

function deviceValues(d: PciDevice): string[] {
  const id = d.vendorDevice ? ` [${d.vendorDevice}]` : '';
  const bars = d.bars.map(
    (b) => `BAR ${b.index} at ${hex(b.address)} [size=${formatBytes(b.size)}, ${b.is64 ? '64-bit' : '32-bit'}${b.prefetchable ? ', prefetchable' : ''}]`,
  );
  return [`${d.bdf} ${d.description}${id}, driver ${d.driver ?? 'unknown'}`, ...bars.map((b) => `  ${b}`)];
}

/** Sizes as lspci prints them (`[size=16G]`): the largest binary unit that divides the size. */
export function formatBytes(size: bigint): string {
  const units = ['', 'K', 'M', 'G', 'T'];
  let u = 0;
  let s = size;
  while (u < units.length - 1 && s >= 1024n && s % 1024n === 0n) {
    s /= 1024n;
    u += 1;
  }
  return `${s}${units[u]}`;
}

/** The aligned key block at the top: host, kernel, CPU, VMs, passed-through devices, bundle, time range. */
export function headerRows(input: ReportInput, label: string, faults: number, findings: number): KeyRow[] {
  const c: BundleContext = input.bundle.context;
  const rows: KeyRow[] = [];
  const add = (key: string, values: readonly (string | null)[]): void => {
    const v = values.filter((x): x is string => x !== null && x !== '');
    if (v.length > 0) rows.push({ key, values: v });
  };
  add('Host', [c.hostname]);
  add('Kernel', c.kernels.length > 0 ? [c.kernels.join(', ')] : []);
  add('CPU', [[c.cpuDescription, c.midr ? `MIDR ${c.midr}` : null].filter(Boolean).join(', ')]);
  if (c.pageSizeKiB !== null || c.vaBits !== null) {
    add('Paging', [[c.pageSizeKiB !== null ? `${c.pageSizeKiB}K pages` : null, c.vaBits !== null ? `${c.vaBits}-bit VAs` : null].filter(Boolean).join(', ')]);
  }
  add('Command line', [c.cmdline]);
  add('VMs', c.vms.map((vm) => `${vm.name ?? 'VMM'} (pid ${vm.pid}, ${plural(vm.vcpus.length, 'vCPU')})`));
  // Passed-through devices are those bound to VFIO (vfio-pci, or a variant driver like nvgrace-gpu-vfio-pci).
  add('Passthrough', c.pciDevices.filter((d) => d.driver !== null && /vfio/.test(d.driver)).flatMap(deviceValues));
  add('Bundle', [input.bundle.name]);
  const { startNs, endNs } = input.bundle;
  if (startNs !== null && endNs !== null) {
    const clock = input.bundle.clock ?? null;
    add('Time range', [startNs === endNs ? formatTime(startNs, clock) : `${formatTime(startNs, clock)} .. ${formatTime(endNs, clock)} (${formatDuration(endNs - startNs)})`]);
  }
  add('Selection', [`${label}: ${plural(faults, 'fault')}, ${plural(findings, 'finding')}`]);
  return rows;
}

/** Import diagnostics counted by kind and severity, most serious first; the first occurrence kept. */
export function summarizeDiagnostics(rows: readonly DiagnosticInput[]): ReportDiagnostic[] {
  const byKey = new Map<string, ReportDiagnostic>();
  for (const d of rows) {
    const key = `${d.severity}\u0000${d.kind}`;
    const known = byKey.get(key);
    const n = d.count ?? 1;
    if (known) byKey.set(key, { ...known, count: known.count + n });
    else {
      const where = d.file === null ? null : d.line === null ? d.file : `${d.file}:${d.line}`;
      byKey.set(key, { kind: d.kind, severity: d.severity, count: n, message: d.message, where });
    }
  }
  const order = { error: 0, 'data-loss': 1, info: 2 } as const;
  return [...byKey.values()].sort((a, b) => order[a.severity] - order[b.severity] || b.count - a.count || a.kind.localeCompare(b.kind));
}

function timelineModel(input: ReportInput, findings: readonly Finding[], faults: readonly FaultInput[]): TimelineModel | null {
  const byId = new Map(faults.map((f) => [f.id, f]));
  const marks = findings.flatMap((fd) =>
    fd.faultIds.flatMap((id) => {
      const f = byId.get(id);
      const ns = f?.record.timeNs;
      return f && ns !== null && ns !== undefined ? [{ ns, finding: fd.index, severity: fd.severity, count: f.count }] : [];
    }),
  );
  const events = input.events ?? [];
  const times = [...marks.map((m) => m.ns), ...events.flatMap((e) => [e.startNs, e.endNs])];
  if (input.bundle.startNs !== null) times.push(input.bundle.startNs);
  if (input.bundle.endNs !== null) times.push(input.bundle.endNs);
  if (times.length === 0) return null;
  const startNs = times.reduce((a, b) => (b < a ? b : a));
  const endNs = times.reduce((a, b) => (b > a ? b : a));
  return { startNs, endNs, marks, events, clock: input.bundle.clock ?? null };
}

function overview(findings: readonly Finding[], faults: number): string {
  if (findings.length === 0) return 'No faults in this selection.';
  const counts = SEVERITIES.map((s) => [s, findings.filter((f) => f.severity === s).length] as const).filter(([, n]) => n > 0);
  const bySeverity = counts.map(([s, n]) => `${n} ${s}`).join(', ');
  return `${plural(faults, 'fault')} in ${plural(findings.length, 'finding')} (${bySeverity}), most severe first.`;
}

/** The report for a selection of a bundle. A selection that matches nothing gives a report with no findings. */
export function buildReport(input: ReportInput): Report {
  const selected = applySelection(input.selection, input.faults, input.diagnoses);
  const refs = new ReferenceTable();
  const summarized = summarizeDiagnostics(input.diagnostics.filter((d) => d.severity !== 'info'));
  const limitsFor = (files: ReadonlySet<string>): ReportDiagnostic[] =>
    summarizeDiagnostics(input.diagnostics.filter((d) => d.severity !== 'info' && d.file !== null && files.has(d.file)));
  const findings = buildFindings(groupFaults(selected.faults, selected.diagnoses), {
    refs,
    bundleKernel: input.bundle.context.kernels[0] ?? null,
    clock: input.bundle.clock ?? null,
    limitsFor,
  });
  const faultCount = findings.reduce((n, f) => n + f.faultCount, 0);
  const label = selectionLabel(input.selection, input.diagnoses);
  const only = input.selection.kind === 'diagnosis' ? findings[0] : undefined;
  return {
    title: only ? only.title : `Faultline report for ${input.bundle.name}`,
    bundleName: input.bundle.name,
    selection: input.selection,
    selectionLabel: label,
    overview: overview(findings, faultCount),
    header: headerRows(input, label, faultCount, findings.length),
    findings,
    references: refs.all(),
    diagnostics: summarized,
    infoDiagnostics: input.diagnostics.filter((d) => d.severity === 'info').reduce((n, d) => n + (d.count ?? 1), 0),
    timeline: timelineModel(input, findings, selected.faults),
    generator: input.generator,
  };
}
