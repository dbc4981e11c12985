// What ingest could not read or had to guess, each linking to its file and line in the log view.
import type { DiagnosticRow } from '../../../preload/contract';
import { routes } from '../../state/route';
import { useApi } from '../../state/use-api';
import { Empty, LoadView } from '../common/Status';

const SEVERITY_ORDER: Readonly<Record<DiagnosticRow['severity'], number>> = { error: 0, 'data-loss': 1, info: 2 };

export function ImportDiagnostics(props: { bundleId: number }): React.JSX.Element {
  const load = useApi('bundles:diagnostics', { bundleId: props.bundleId, limit: 500 });
  return (
    <section className="panel" data-testid="import-diagnostics">
      <h2>Import diagnostics</h2>
      <LoadView load={load} what="the import diagnostics" minHeight={60} onRetry={load.reload}>
        {(rows) =>
          rows.length === 0 ? (
            <Empty title="Everything was read" minHeight={40} />
          ) : (
            <ul className="diag-list">
              {[...rows]
                .sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity])
                .map((d, i) => (
                  <li key={i}>
                    <span className={`tag tag-${d.severity}`}>{d.severity}</span> <code className="muted">{d.kind}</code> {d.message}
                    {d.file && (
                      <>
                        {' '}
                        <a href={routes.log(props.bundleId, { file: d.file, line: d.line })} data-testid="diag-link">
                          {d.file}
                          {d.line !== null ? `:${d.line}` : ''}
                        </a>
                      </>
                    )}
                  </li>
                ))}
            </ul>
          )
        }
      </LoadView>
    </section>
  );
}
