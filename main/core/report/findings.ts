// Findings: one per diagnosis, then one per group of identical faults that no diagnosis explains (same kind,
// same ESR), ranked by severity, then by how many faults they stand for, then by time.
import { decodeEsr } from '../esr/index';
import { bits } from '../hex';
import type { DiagnosisInput, FaultInput, LogLine, ReportClock, Severity } from './input';
import { KIND_INFO, memAbortSeverity, severityRank } from './kinds';
import { keyLines, quoteBlocks } from './quotes';
import type { ReferenceTable } from './references';
import { decodeBlock, diagnosisBlock, factRows, replayBlock } from './blocks';
import { esrRegister, hex, plural } from './format';
import type { Finding, ReportDiagnostic } from './types';

interface Group {
  readonly id: string;
  readonly severity: Severity;
  readonly title: string;
  readonly summary: readonly string[];
  readonly faults: readonly FaultInput[];
  readonly diagnosis: DiagnosisInput | null;
}

/** Faults in time order (untimed ones after, by id): the first one represents the group. */
export function byTime(a: FaultInput, b: FaultInput): number {
  const ta = a.record.timeNs;
  const tb = b.record.timeNs;
  if (ta !== null && tb !== null && ta !== tb) return ta < tb ? -1 : 1;
  if ((ta === null) !== (tb === null)) return ta === null ? 1 : -1;
  return a.id - b.id;
}

/** The severity of one fault from its kind (kinds.ts), a memory abort by where it came from. */
export function faultSeverity(f: FaultInput): Severity {
  const r = f.record;
  if (r.kind !== 'mem_abort') return KIND_INFO[r.kind].severity;
  return memAbortSeverity(r.esr === null ? null : bits(r.esr, 31, 26), r.el);
}

function undiagnosedGroup(key: string, faults: readonly FaultInput[]): Group {
  const first = faults[0] as FaultInput;
  const info = KIND_INFO[first.record.kind];
  const esr = first.record.esr;
  const el = first.record.el;
  const decode = first.decode ?? (esr === null ? null : decodeEsr(esr, { ...(el !== null ? { el } : {}), ...(first.record.kernel ? { kernel: first.record.kernel } : {}) }));
  const faultName = decode?.kernel.faultName ?? decode?.fsc?.meaning ?? null;
  const total = faults.reduce((n, f) => n + f.count, 0);
  const register = esr === null ? '' : `${esrRegister(el)} ${hex(esr)}`;
  const what = esr === null ? '' : ` with ${register}${decode ? ` (${decode.kernel.className})` : ''}`;
  // The ESR is in the title: groups of one kind differ by it (a trace holds several kvm_guest_fault ESRs).
  const title = [info.title, faultName, register].filter((x) => x).join(': ').replace(/: (ESR\S* 0x[0-9a-f]+)$/, ' ($1)');
  return {
    id: `faults:${key}`,
    severity: faults.map(faultSeverity).sort((a, b) => severityRank(a) - severityRank(b))[0] as Severity,
    title,
    summary: [
      `${plural(total, info.label)}${what}. No diagnosis rule matched; the facts, the decode and the quoted lines below are what the bundle shows.`,
    ],
    faults,
    diagnosis: null,
  };
}

/** Groups the selected faults: diagnosed ones under their diagnosis, the rest by kind and ESR. */
export function groupFaults(faults: readonly FaultInput[], diagnoses: readonly DiagnosisInput[]): Group[] {
  const sorted = [...faults].sort(byTime);
  const groups: Group[] = [];
  const explained = new Set<number>();
  for (const d of diagnoses) {
    const ids = new Set(d.faultIds);
    const own = sorted.filter((f) => ids.has(f.id));
    own.forEach((f) => explained.add(f.id));
    groups.push({ id: `diagnosis:${d.id}`, severity: d.severity, title: d.title, summary: d.explanation, faults: own, diagnosis: d });
  }
  const rest = new Map<string, FaultInput[]>();
  for (const f of sorted) {
    if (explained.has(f.id)) continue;
    const key = `${f.record.kind}:${f.record.esr === null ? '-' : hex(f.record.esr)}`;
    const list = rest.get(key) ?? [];
    list.push(f);
    rest.set(key, list);
  }
  for (const [key, list] of rest) groups.push(undiagnosedGroup(key, list));
  return groups;
}

function quotedLines(g: Group): { lines: LogLine[]; quotedFaults: number } {
  // One representative per kind: identical repeats add nothing a reader needs.
  const seenKinds = new Set<string>();
  const lines: LogLine[] = [];
  let quotedFaults = 0;
  for (const f of g.faults) {
    if (seenKinds.has(f.record.kind)) continue;
    seenKinds.add(f.record.kind);
    lines.push(...keyLines(f));
    quotedFaults += 1;
  }
  lines.push(...(g.diagnosis?.evidence ?? []));
  return { lines, quotedFaults };
}

function span(faults: readonly FaultInput[]): [bigint | null, bigint | null] {
  const times = faults.map((f) => f.record.timeNs).filter((t): t is bigint => t !== null);
  if (times.length === 0) return [null, null];
  return [times.reduce((a, b) => (b < a ? b : a)), times.reduce((a, b) => (b > a ? b : a))];
}

/** Builds and ranks the findings; footnotes are numbered in the order the ranked findings cite them. */
export function buildFindings(
  groups: readonly Group[],
  ctx: { refs: ReferenceTable; bundleKernel: string | null; clock: ReportClock; limitsFor: (files: ReadonlySet<string>) => ReportDiagnostic[] },
): Finding[] {
  const ranked = groups
    .map((g) => ({ g, total: g.faults.reduce((n, f) => n + f.count, 0), time: span(g.faults) }))
    .sort(
      (a, b) =>
        severityRank(a.g.severity) - severityRank(b.g.severity) ||
        b.total - a.total ||
        compareTime(a.time[0], b.time[0]) ||
        a.g.id.localeCompare(b.g.id),
    );
  return ranked.map(({ g, total, time }, i) => {
    const withEsr = g.faults.find((f) => f.record.esr !== null) ?? null;
    const withReplay = g.faults.find((f) => f.replay !== null) ?? null;
    const { lines, quotedFaults } = quotedLines(g);
    const quotes = quoteBlocks(lines);
    const first = g.faults[0];
    return {
      index: i + 1,
      id: g.id,
      severity: g.severity,
      title: g.title,
      summary: g.summary,
      faultIds: g.faults.map((f) => f.id),
      faultCount: total,
      firstNs: time[0],
      lastNs: time[1],
      facts: first ? factRows(withEsr ?? first, g.faults, total, time, ctx.clock) : [],
      decode: withEsr ? decodeBlock(withEsr, ctx.bundleKernel) : null,
      replay: withReplay ? replayBlock(withReplay) : null,
      diagnosis: g.diagnosis ? diagnosisBlock(g.diagnosis, ctx.refs) : null,
      quotes,
      unquoted: Math.max(0, total - quotedFaults),
      limits: ctx.limitsFor(new Set(quotes.map((q) => q.file))),
    };
  });
}

function compareTime(a: bigint | null, b: bigint | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}
