// The files of the bundle with their detected format and what was read from each.
import type { BundleFile } from '../../../preload/contract';
import { routes } from '../../state/route';

export function FilesCard(props: { bundleId: number; files: readonly BundleFile[] }): React.JSX.Element {
  return (
    <section className="panel" data-testid="files-card">
      <h2>Files</h2>
      <table className="grid">
        <thead>
          <tr>
            <th>File</th>
            <th>Format</th>
            <th>Lines</th>
            <th>Events</th>
            <th>Faults</th>
          </tr>
        </thead>
        <tbody>
          {props.files.map((f) => (
            <tr key={f.path}>
              <td>
                <a href={routes.log(props.bundleId, { file: f.path })}>{f.path}</a>
              </td>
              <td>
                <code>{f.format}</code>
              </td>
              <td>{f.lines.toLocaleString('en-US')}</td>
              <td>{f.events.toLocaleString('en-US')}</td>
              <td>{f.faults.toLocaleString('en-US')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
