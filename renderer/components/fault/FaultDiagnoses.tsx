// The diagnoses of the bundle that explain this fault.
import { useApi } from '../../state/use-api';
import { Empty, LoadView } from '../common/Status';
import { References } from '../common/References';

export function FaultDiagnoses(props: { bundleId: number; faultId: number }): React.JSX.Element {
  const load = useApi('diagnoses:list', { bundleId: props.bundleId });
  return (
    <section className="panel" data-testid="fault-diagnoses">
      <h2>Diagnosis</h2>
      <LoadView load={load} what="the diagnoses" minHeight={80}>
        {(list) => {
          const mine = list.filter((d) => d.faultIds.includes(props.faultId));
          if (mine.length === 0) return <Empty title="No rule matched this fault" minHeight={40} />;
          return (
            <ul className="diagnoses">
              {mine.map((d) => (
                <li key={d.id} className={`diagnosis severity-${d.severity}`} data-rule={d.ruleId}>
                  <div className="diagnosis-head">
                    <span className={`tag tag-${d.severity}`}>{d.severity}</span>
                    <strong>{d.title}</strong>
                    {d.fixedIn && <span className="tag tag-ok">fixed in Linux {d.fixedIn}</span>}
                  </div>
                  {d.explanation.map((p, i) => (
                    <p key={i}>{p}</p>
                  ))}
                  {d.action && (
                    <p>
                      <strong>What to do:</strong> {d.action}
                    </p>
                  )}
                  <References references={d.references} />
                </li>
              ))}
            </ul>
          );
        }}
      </LoadView>
    </section>
  );
}
