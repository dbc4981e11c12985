// From what the replay (main/core/mmu/replay-record.ts) and the diagnosis rules (main/core/diagnose) return
// to the report's input shapes. Nothing is decided here that those did not decide: names are mapped, rule
// references split into footnotes (commits, lore, URLs), the fixed-in release and plain source citations,
// and the diagnoses of single records gathered into one per rule.
import type { Diagnosis } from '../diagnose/diagnose';
import type { Reference } from '../diagnose/rules';
import { combineEncodings, latticeMarks } from '../mmu/combine';
import type { RecordReplay } from '../mmu/replay-record';
import { describeAttrs } from '../mmu/types';
import type { CombineInput, DiagnosisInput, FaultInput, ReferenceInput, ReplayInput, ReplayInputValue, ReplayVerdict } from './input';
import { severityRank } from './kinds';
import { faultSeverity } from './findings';

const bin4 = (n: number): string => `0b${n.toString(2).padStart(4, '0')}`;
const hex2 = (n: number): string => `0x${n.toString(16).padStart(2, '0')}`;

/** The attribute combination the replay ran (stage-1 MAIR attribute, stage-2 MemAttr, FWB), as the model computes it. */
export function combineOfReplay(r: RecordReplay): CombineInput | null {
  const { stage1, stage2, hcr } = r.inputs.scenario;
  if (!stage1 || stage1.kind !== 'attrs' || !stage2 || stage2.kind !== 'attrs') return null;
  const e = combineEncodings(stage1.mairAttr, stage2.memattr, hcr.FWB);
  const marks = latticeMarks(e);
  if (!marks.s1 || !marks.s2 || !marks.result || !e.s1.attrs || !e.result) return null;
  return {
    s1: { node: marks.s1, label: describeAttrs(e.s1.attrs), encoding: `MAIR ${hex2(stage1.mairAttr)}` },
    s2: { node: marks.s2, label: e.s2?.attrs ? describeAttrs(e.s2.attrs) : marks.s2, encoding: `MemAttr ${bin4(stage2.memattr)}` },
    result: { node: marks.result, label: describeAttrs(e.result), encoding: null },
    fwb: e.fwb,
    rule: { id: e.rule.id, text: e.rule.text, asl: e.rule.asl },
    alignmentFaultStage: e.alignmentFaultStage,
  };
}

function verdictOf(r: RecordReplay): { verdict: ReplayVerdict; detail: string } {
  const v = r.verdict;
  switch (v.verdict) {
    case 'consistent':
      return { verdict: 'reproduced', detail: '' };
    case 'underdetermined':
      return { verdict: 'underdetermined', detail: ` It depends on what the bundle does not say: ${v.missing.join(', ')}.` };
    case 'inconsistent': {
      const diffs = v.differences.map((d) => `${d.field} recorded ${d.recorded}, predicted ${d.predicted}`).join('; ');
      return { verdict: r.outcome.fault ? 'differs' : 'no-fault', detail: diffs ? ` Differences: ${diffs}.` : '' };
    }
  }
}

/** A recorded fault's replay as the report shows it: verdict, what the model predicts, inputs by origin. */
export function replayToInput(r: RecordReplay): ReplayInput {
  const { verdict, detail } = verdictOf(r);
  const o = r.outcome;
  const kvm = o.kvm ? ` KVM: ${o.kvm.text}; ${o.kvm.result}.` : '';
  const inputs: ReplayInputValue[] = r.inputs.inputs.map((i) => ({
    name: i.name,
    value: i.value,
    // "recorded vs assumed": values read from the record or the bundle context are recorded.
    origin: i.basis === 'recorded' || i.basis === 'context' ? 'recorded' : 'assumed',
    note: i.basis === 'unknown' ? `unknown: ${i.source}` : i.basis === 'context' ? `from the bundle: ${i.source}` : i.source,
  }));
  return { verdict, summary: `${o.rule}.${kvm}${detail}`.replace(/\.\./g, '.'), predictedEsr: o.fault?.esr ?? null, inputs, combine: combineOfReplay(r) };
}

// `8c47ce3e1d2c ("KVM: arm64: ...")` or `2937aeec9dc5 (LS64 series, v7.0: ...)`, as the rules spell commits.
const COMMIT_TEXT = /^([0-9a-f]{7,40}) \((?:"(.*)"|(.*))\)$/;
const LORE_URL = /^https:\/\/lore\.kernel\.org\/(?:r|[\w.-]+)\/([^/\s]+@[^/\s]+?)\/?$/;
const FIXED_IN = /fixed in Linux (\d+\.\d+)/i;

interface SplitReferences {
  readonly references: ReferenceInput[];
  readonly fixedIn: string | null;
  readonly sources: string[];
}

/** A rule's references as footnotes, the release that fixed it, and the source citations (no URL). */
export function splitReferences(refs: readonly Reference[]): SplitReferences {
  const fixedIn = refs.map((r) => (r.kind === 'version' ? FIXED_IN.exec(r.text)?.[1] : undefined)).find((v) => v !== undefined) ?? null;
  const references: ReferenceInput[] = [];
  const sources: string[] = [];
  for (const r of refs) {
    const commit = r.kind === 'commit' ? COMMIT_TEXT.exec(r.text) : null;
    const lore = r.kind === 'lore' && r.url ? LORE_URL.exec(r.url) : null;
    if (commit) {
      const described = commit[2] === undefined;
      const subject = commit[2] ?? commit[3] ?? '';
      references.push({ kind: 'commit', sha: commit[1] as string, subject, described, version: fixedIn, role: fixedIn ? 'fix' : 'related', url: r.url });
    } else if (lore) references.push({ kind: 'lore', messageId: lore[1] as string, title: r.text });
    else if (r.url) references.push({ kind: 'url', url: r.url, title: r.text });
    else if (r.kind === 'source' || r.kind === 'spec') sources.push(r.text);
  }
  return { references, fixedIn, sources };
}

// KVM's failed KVM_RUN as QEMU reports it: `error: kvm run failed Bad address` (DOMAIN.md §2).
const KVM_RUN_FAILED = /kvm run failed ([A-Za-z ]+)/;

/**
 * One diagnosis per rule over the records it matched. A VMM error ("kvm run failed Bad address") joins a
 * diagnosis when the replay of one of its faults predicts exactly that VMM message: it is the same event seen
 * from QEMU. Severity is the highest of its faults' (main/core/report/kinds.ts).
 */
export function gatherDiagnoses(perFault: ReadonlyArray<{ readonly fault: FaultInput; readonly diagnoses: readonly Diagnosis[]; readonly vmmMessage: string | null }>): DiagnosisInput[] {
  const byRule = new Map<string, { d: Diagnosis; faults: FaultInput[]; vmm: Set<string> }>();
  for (const { fault, diagnoses, vmmMessage } of perFault) {
    for (const d of diagnoses) {
      const g = byRule.get(d.id) ?? { d, faults: [], vmm: new Set<string>() };
      g.faults.push(fault);
      const m = vmmMessage ? KVM_RUN_FAILED.exec(vmmMessage) : null;
      if (m) g.vmm.add(m[1] as string);
      byRule.set(d.id, g);
    }
  }
  const vmmErrors = perFault.map((p) => p.fault).filter((f) => f.record.kind === 'vmm_error');
  return [...byRule.values()].map(({ d, faults, vmm }) => {
    const joined = vmmErrors.filter((f) => [...vmm].some((m) => KVM_RUN_FAILED.exec(f.record.text)?.[1] === m));
    const all = [...faults, ...joined.filter((f) => !faults.includes(f))];
    const { references, fixedIn, sources } = splitReferences(d.references);
    return {
      id: d.id,
      ruleId: d.id,
      title: d.title,
      severity: all.map(faultSeverity).sort((a, b) => severityRank(a) - severityRank(b))[0] ?? 'info',
      explanation: [d.explanation],
      fixedIn,
      action: null,
      faultIds: all.map((f) => f.id),
      references,
      sources,
    };
  });
}
