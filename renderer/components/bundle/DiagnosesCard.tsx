// The bundle's diagnoses, most severe first: what went wrong and why, what fixes it, and the faults each
// one explains (linked).
import type { DiagnosisView } from '../../../preload/contract';
import { routes } from '../../state/route';
import { useApi } from '../../state/use-api';
import { Empty, LoadView } from '../common/Status';
import { References } from '../common/References';
import { ExportPanel } from '../report/ExportPanel';

const SHOWN_FAULTS = 6;

function Diagnosis(props: { d: DiagnosisView; bundleId: number; bundleName: string }): React.JSX.Element {
  const d = props.d;
  const [first, ...rest] = d.explanation;
  return (
    <li className={`diagnosis severity-${d.severity}`} data-testid="diagnosis" data-rule={d.ruleId}>
      <div className="diagnosis-head">
        <span className={`tag tag-${d.severity}`}>{d.severity}</span>
        <strong>{d.title}</strong>
        {d.fixedIn && <span className="tag tag-ok">fixed in Linux {d.fixedIn}</span>}
      </div>
      {first && <p>{first}</p>}
      {rest.length > 0 && (
        <details>
          <summary>More</summary>
          {rest.map((p, i) => (
            <p key={i}>{p}</p>
          ))}
        </details>
      )}
      {d.action && (
        <p>
          <strong>What to do:</strong> {d.action}
        </p>
      )}
      <p className="diagnosis-faults">
        {d.faultIds.length === 1 ? '1 fault: ' : `${d.faultIds.length} faults: `}
        {d.faultIds.slice(0, SHOWN_FAULTS).map((id) => (
          <a key={id} href={routes.fault(id)} className="fault-link" data-testid="diagnosis-fault-link">
            #{id}
          </a>
        ))}
        {d.faultIds.length > SHOWN_FAULTS && <span className="muted"> and {d.faultIds.length - SHOWN_FAULTS} more</span>}
      </p>
      <References references={d.references} />
      <details className="diagnosis-report">
        <summary>Report of this diagnosis</summary>
        <ExportPanel bundleId={props.bundleId} bundleName={props.bundleName} selection={{ kind: 'diagnosis', id: d.id }} title={`Report: ${d.title}`} />
      </details>
    </li>
  );
}

export function DiagnosesCard(props: { bundleId: number; bundleName: string }): React.JSX.Element {
  const load = useApi('diagnoses:list', { bundleId: props.bundleId });
  return (
    <section className="panel" data-testid="diagnoses-card">
      <h2>Diagnoses</h2>
      <LoadView load={load} what="the diagnoses" minHeight={120} onRetry={load.reload}>
        {(list) =>
          list.length === 0 ? (
            <Empty title="No diagnosis" minHeight={60}>
              <span className="muted">No rule matched the faults of this bundle.</span>
            </Empty>
          ) : (
            <ol className="diagnoses">
              {list.map((d) => (
                <Diagnosis key={d.id} d={d} bundleId={props.bundleId} bundleName={props.bundleName} />
              ))}
            </ol>
          )
        }
      </LoadView>
    </section>
  );
}
