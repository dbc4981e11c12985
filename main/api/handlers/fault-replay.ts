// faults:replay: a stored fault replayed by the analyzer `faults --json` and the reports use (main/services/
// stored-faults.ts: the bundle's context, the trace's memslot evidence) with the user's assumptions on top,
// shaped for the fault detail: the inputs with their
// basis (recorded / context / assumed / unknown), the verdict, the alternatives, and the replay's scenario
// as what-if controls so that the lattice starts exactly where the replay is.
import type { FaultReplayView, ParsedRequestOf, ReplayVerdictView } from '../../../preload/contract';
import { toHex } from '../../core/hex';
import { assertNever } from '../../core/result';
import { outcomeToJson } from '../../core/mmu/json';
import type { ReplayVerdict } from '../../core/mmu/replay-record';
import type { ReplayAssumptions } from '../../core/mmu/replay-inputs';
import type { Scenario } from '../../core/mmu/scenario';
import { createFaultAnalyzer } from '../../services/stored-faults';
import type { Db } from '../../storage/db';
import { getFault } from '../../storage/faults';

// Replay input names (main/core/mmu/replay-inputs.ts buildReplayInputs) -> the what-if control they feed.
const CONTROL_OF_INPUT: Readonly<Record<string, string>> = {
  'host kernel': 'kernel',
  'HCR_EL2.FWB': 'fwb',
  'IPA region': 'region',
  'guest mapping': 'guest mapping',
  access: 'access',
  address: 'alignment',
};

function verdictView(v: ReplayVerdict): ReplayVerdictView {
  switch (v.verdict) {
    case 'consistent':
      return { verdict: 'consistent' };
    case 'inconsistent':
      return { verdict: 'inconsistent', differences: v.differences.map((d) => ({ field: d.field, recorded: d.recorded, predicted: d.predicted })) };
    case 'underdetermined':
      return { verdict: 'underdetermined', missing: v.missing };
    default:
      return assertNever(v);
  }
}

function whatIfOf(s: Scenario, region: FaultReplayView['whatIf']['stage2']): FaultReplayView['whatIf'] {
  const stage1 = s.stage1 && s.stage1.kind === 'attrs' ? s.stage1.mairAttr : 0xff;
  const size = Math.min(2048, Math.max(1, s.access.size));
  return {
    kernel: s.kvm?.kernel ?? '6.8',
    fwb: s.hcr.FWB,
    stage2: region,
    s1Attr: stage1,
    access: { kind: s.access.kind, size, offset: Number(s.access.va & 0xfffn), page: toHex(s.access.va & ~0xfffn) },
    inMemslot: s.kvm?.inMemslot ?? null,
  };
}

/** undefined: no such fault; null: the fault has no abort ESR to replay. */
export function replayStoredFault(db: Db, faultId: number, a: ParsedRequestOf<'faults:replay'>['assumptions']): FaultReplayView | null | undefined {
  const row = getFault(db, faultId);
  if (!row) return undefined;
  const assumptions: ReplayAssumptions = {
    ...(a.kernel !== undefined ? { kernel: a.kernel } : {}),
    ...(a.region !== undefined ? { region: a.region } : {}),
    ...(a.fwb !== undefined ? { fwb: a.fwb } : {}),
    ...(a.guestMair !== undefined ? { guestMair: a.guestMair } : {}),
    ...(a.aligned !== undefined ? { aligned: a.aligned } : {}),
  };
  const r = createFaultAnalyzer(db).replayWith(row, assumptions);
  if (!r) return null;
  const basis: Record<string, string> = {};
  for (const i of r.inputs.inputs) {
    const control = CONTROL_OF_INPUT[i.name];
    if (control) basis[control] = i.basis;
  }
  return {
    faultId,
    inputs: r.inputs.inputs.map((i) => ({ name: i.name, value: i.value, basis: i.basis, source: i.source, alternatives: [] })),
    outcome: outcomeToJson(r.outcome),
    verdict: verdictView(r.verdict),
    alternatives: r.whatIfs.map((c) => ({ input: c.input, change: c.change, outcome: c.outcome.outcome, esr: c.outcome.fault ? toHex(c.outcome.fault.esr) : null, reproduces: c.reproduces })),
    whatIf: whatIfOf(r.inputs.scenario, { region: r.inputs.region }),
    basis,
  };
}
