// The predicted outcome of a replay: completes, or faults (stage, type, the ESR the CPU would report, with a
// link to its decode), and what KVM then does (its path, the line it prints, what KVM_RUN returns).
import type { ReplayOutcomeView } from '../../../preload/contract';
import { routes } from '../../state/route';

export function OutcomeView(props: { outcome: ReplayOutcomeView; stale?: boolean }): React.JSX.Element {
  const o = props.outcome;
  const f = o.fault;
  return (
    <section className={`outcome outcome-${o.outcome}${props.stale ? ' stale' : ''}`} data-testid="what-if-outcome" data-outcome={o.outcome} data-esr={f?.esr ?? ''}>
      <h3>
        Predicted:{' '}
        {o.outcome === 'ok' && <span className="tag tag-ok">no fault: the access completes</span>}
        {o.outcome === 'fault' && f && (
          <span className="tag tag-error">
            stage-{f.stage} {f.type.replace('_', ' ')} fault, taken to {f.taken_to}
          </span>
        )}
        {(o.outcome === 'impdef' || o.outcome === 'constrained_unpredictable') && (
          <span className="tag tag-warn">{o.outcome === 'impdef' ? 'IMPLEMENTATION DEFINED' : 'CONSTRAINED UNPREDICTABLE'}: depends on the CPU</span>
        )}
      </h3>
      {f && (
        <p>
          ESR_{f.taken_to} <a href={routes.decode([f.esr], f.taken_to === 'EL2' ? 2 : 1)}>{f.esr}</a> (EC {f.ec}, xFSC {f.dfsc}
          {f.level !== null ? `, level ${f.level}` : ''}, WnR {f.wnr ?? 'UNKNOWN'})
        </p>
      )}
      <p className="muted">Decided by: {o.rule}</p>
      {o.kvm && (
        <div className="outcome-kvm">
          <p>
            <strong>KVM:</strong> {o.kvm.text}. {o.kvm.result}.
          </p>
          {o.kvm.log && <pre className="log-quote">kvm [PID]: {o.kvm.log}</pre>}
        </div>
      )}
      {o.branches && (
        <ul className="outcome-branches">
          {o.branches.map((b, i) => (
            <li key={i}>
              {Object.entries(b.choices)
                .map(([k, val]) => `${k} = ${val}`)
                .join(', ')}
              : {b.outcome.outcome}
              {b.outcome.fault ? ` (${b.outcome.fault.esr})` : ''}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
