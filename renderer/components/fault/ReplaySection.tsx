// The replay of a recorded fault: does the model reproduce what was recorded, from which inputs (recorded in
// the bundle, or assumed, clearly marked), what else would reproduce it, and the lattice with what-if controls
// starting from exactly that replay.
import type { FaultReplayView, ReplayVerdictView } from '../../../preload/contract';
import { useApi } from '../../state/use-api';
import { Empty, LoadView } from '../common/Status';
import { WhatIfPanel } from '../lattice/WhatIfPanel';
import { ReplayInputs } from './ReplayInputs';

function Verdict(props: { v: ReplayVerdictView; esr: string | null }): React.JSX.Element {
  const v = props.v;
  if (v.verdict === 'consistent')
    return (
      <p className="verdict verdict-ok" data-testid="replay-verdict" data-verdict="consistent">
        <span className="tag tag-ok">reproduced</span> The model predicts the recorded fault{props.esr ? ` (${props.esr})` : ''} from these inputs.
      </p>
    );
  if (v.verdict === 'underdetermined')
    return (
      <p className="verdict verdict-warn" data-testid="replay-verdict" data-verdict="underdetermined">
        <span className="tag tag-warn">depends on what the bundle does not say</span> Whether it reproduces depends on: {v.missing.join(', ')}.
      </p>
    );
  return (
    <div className="verdict verdict-bad" data-testid="replay-verdict" data-verdict="inconsistent">
      <p>
        <span className="tag tag-error">not reproduced</span> The model predicts something else than what was recorded:
      </p>
      <table className="grid">
        <thead>
          <tr>
            <th>Field</th>
            <th>Recorded</th>
            <th>Predicted</th>
          </tr>
        </thead>
        <tbody>
          {v.differences.map((d) => (
            <tr key={d.field}>
              <td>{d.field}</td>
              <td>
                <code>{d.recorded}</code>
              </td>
              <td>
                <code>{d.predicted}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ReplaySection(props: { faultId: number; esr: string | null }): React.JSX.Element {
  const load = useApi('faults:replay', { faultId: props.faultId });
  return (
    <section className="panel" data-testid="replay-section">
      <h2>Replay through the MMU model</h2>
      <LoadView load={load} what="the replay" minHeight={520} onRetry={load.reload}>
        {(r: FaultReplayView | null) =>
          r === null ? (
            <Empty title="Nothing to replay" minHeight={60}>
              <span className="muted">This record carries no abort ESR (instruction or data abort) to replay.</span>
            </Empty>
          ) : (
            <>
              <Verdict v={r.verdict} esr={props.esr} />
              <ReplayInputs inputs={r.inputs} alternatives={r.alternatives} />
              <h3>Attribute lattice — what if…</h3>
              <WhatIfPanel initial={r.whatIf} basis={r.basis} />
            </>
          )
        }
      </LoadView>
    </section>
  );
}
