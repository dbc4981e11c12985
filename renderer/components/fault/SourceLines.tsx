// The record's own lines with the lines around them, as they are in the file (text, never markup).
import type { FaultDetail } from '../../../preload/contract';
import { routes } from '../../state/route';

export function SourceLines(props: { fault: FaultDetail }): React.JSX.Element {
  const f = props.fault;
  return (
    <section className="panel" data-testid="source-lines">
      <div className="panel-title">
        <h2>Source lines</h2>
        <a href={routes.log(f.bundleId, { file: f.source.file, line: f.line })}>open in the log</a>
      </div>
      <div className="source-lines">
        {f.source.lines.map((l) => (
          <div key={l.lineNo} className={`source-line${l.inRecord ? ' in-record' : ''}`} data-line={l.lineNo}>
            <span className="lineno">{l.lineNo}</span>
            <span className="logtext">{l.text}</span>
          </div>
        ))}
      </div>
    </section>
  );
}
