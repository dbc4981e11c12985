// The host: name, kernel release(s), CPU, page size, command line.
import type { ContextView } from '../../state/bundle-context';
import { CopyButton } from '../common/CopyButton';

export function HostCard(props: { context: ContextView }): React.JSX.Element {
  const c = props.context;
  return (
    <section className="panel" data-testid="host-card">
      <h2>Host</h2>
      <table className="kv">
        <tbody>
          <tr>
            <th>Hostname</th>
            <td>{c.hostname ?? <span className="muted">not in the bundle</span>}</td>
          </tr>
          <tr>
            <th>Kernel</th>
            <td data-testid="host-kernels">
              {c.kernels.length === 0 && <span className="muted">not in the bundle</span>}
              {c.kernels.map((k) => (
                <span key={k} className="kernel">
                  <code>{k}</code>
                  <CopyButton text={k} />
                </span>
              ))}
            </td>
          </tr>
          <tr>
            <th>CPU</th>
            <td>
              {c.cpuDescription ?? <span className="muted">unknown</span>}
              {c.midr && (
                <span className="muted">
                  {' '}
                  (MIDR <code>{c.midr}</code>)
                </span>
              )}
            </td>
          </tr>
          {(c.pageSizeKiB !== null || c.vaBits !== null) && (
            <tr>
              <th>Memory</th>
              <td>
                {c.pageSizeKiB !== null && `${c.pageSizeKiB}K pages`}
                {c.pageSizeKiB !== null && c.vaBits !== null && ', '}
                {c.vaBits !== null && `${c.vaBits}-bit VAs`}
              </td>
            </tr>
          )}
          {c.cmdline && (
            <tr>
              <th>Command line</th>
              <td>
                <code className="wrap">{c.cmdline}</code>
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}
