// The diagnoses of the bundle that explain this fault.
import { useApi } from '../../state/use-api';
import { Empty, LoadView } from '../common/Status';

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
                  {d.references.length > 0 && (
                    <ul className="references">
                      {d.references.map((r) => (
                        <li key={r.text}>{r.url ? <a href={r.url} target="_blank" rel="noreferrer noopener">{r.text}</a> : r.text}</li>
                      ))}
                    </ul>
                  )}
                </li>
              ))}
            </ul>
          );
        }}
      </LoadView>
    </section>
  );
}
