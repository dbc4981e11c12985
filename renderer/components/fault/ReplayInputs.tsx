// The inputs of a replay, each marked with where it comes from: recorded (the fault's own text), context (the
// bundle: kernel release, lspci), assumed (the bundle does not say; the model's default), unknown. And the
// alternatives the model tried, with whether each would reproduce the record.
import type { FaultReplayView } from '../../../preload/contract';

const BASIS_CLASS: Readonly<Record<string, string>> = { recorded: 'tag-recorded', context: 'tag-recorded', assumed: 'tag-assumed', unknown: 'tag' };

export function ReplayInputs(props: { inputs: FaultReplayView['inputs']; alternatives: FaultReplayView['alternatives'] }): React.JSX.Element {
  return (
    <div className="replay-inputs">
      <table className="grid" data-testid="replay-inputs">
        <thead>
          <tr>
            <th>Input</th>
            <th>Value</th>
            <th>From</th>
          </tr>
        </thead>
        <tbody>
          {props.inputs.map((i) => (
            <tr key={i.name} data-basis={i.basis} data-input={i.name}>
              <td>{i.name}</td>
              <td>{i.value}</td>
              <td>
                <span className={`tag ${BASIS_CLASS[i.basis] ?? 'tag'}`}>{i.basis}</span> <span className="muted">{i.source}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {props.alternatives.length > 0 && (
        <details className="alternatives">
          <summary>What else the model tried ({props.alternatives.length})</summary>
          <table className="grid">
            <tbody>
              {props.alternatives.map((a, k) => (
                <tr key={k}>
                  <td>{a.change}</td>
                  <td>
                    {a.outcome}
                    {a.esr && <code> {a.esr}</code>}
                  </td>
                  <td>{a.reproduces ? <span className="tag tag-ok">reproduces the record</span> : <span className="muted">does not reproduce it</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </div>
  );
}
