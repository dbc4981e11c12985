// An ingest in progress: the file being read, how far it is, how many lines so far, and a cancel button.
import type { EventMap } from '../../../preload/contract';

export type Progress = EventMap['ingest:progress'];

function mib(bytes: number): string {
  if (bytes < 1048576) return `${Math.ceil(bytes / 1024)} KiB`;
  return `${(bytes / 1048576).toFixed(1)} MiB`;
}

export function IngestProgress(props: { progress: Progress | null; path: string; onCancel: () => void; cancelling: boolean }): React.JSX.Element {
  const p = props.progress;
  const fraction = p && p.totalBytes ? Math.min(1, p.bytes / p.totalBytes) : null;
  return (
    <div className="ingest-progress" role="status" data-testid="ingest-progress">
      <div className="ingest-line">
        <strong>Reading</strong> <code>{props.path}</code>
        <span className="spacer" />
        <button type="button" onClick={props.onCancel} disabled={props.cancelling || p?.done === true} data-testid="ingest-cancel">
          {props.cancelling ? 'Cancelling…' : 'Cancel'}
        </button>
      </div>
      <div className="progress-bar" aria-hidden="true">
        <div className={fraction === null ? 'progress-fill indeterminate' : 'progress-fill'} style={{ width: `${Math.round((fraction ?? 0.3) * 100)}%` }} />
      </div>
      <div className="muted ingest-line">
        <span className="tag">{p?.phase ?? 'starting'}</span>
        <span className="ingest-file" data-testid="ingest-file">{p?.file ?? 'starting…'}</span>
        <span className="spacer" />
        {p && (
          <span>
            {mib(p.bytes)}
            {p.totalBytes ? ` of ${mib(p.totalBytes)}` : ''} · {p.lines.toLocaleString('en-US')} lines
          </span>
        )}
      </div>
    </div>
  );
}
