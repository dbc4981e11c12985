// Export a report (issue 8): a preview of the plain-text report as it will be pasted into a reply, copy it
// to the clipboard, save it as text, save the self-contained HTML report. Mounted on the overview (the whole
// bundle), a diagnosis and the fault detail; the selection prop says which.
import { useState } from 'react';
import type { ReportFormat, ReportSelectionRequest } from '../../../preload/contract';
import { useApi } from '../../state/use-api';
import { errorMessage } from '../../state/load';
import { CopyButton } from '../common/CopyButton';
import { LoadView } from '../common/Status';
import { saveReport } from './save-report';
import './export-panel.css';

export interface ExportPanelProps {
  readonly bundleId: number;
  /** `{ kind: 'bundle' }`, `{ kind: 'diagnosis', id }`, `{ kind: 'faults', ids }` or `{ kind: 'fault', id }`. */
  readonly selection: ReportSelectionRequest;
  /** Names the downloaded file in browser mode (`<bundle>-report.txt`). */
  readonly bundleName: string;
  /** Panel title; default `Report`. */
  readonly title?: string;
  /** Show the text preview open from the start (default: closed, the report is built when opened). */
  readonly previewOpen?: boolean;
}

const PREVIEW_HEIGHT = 360;

export function ExportPanel(props: ExportPanelProps): React.JSX.Element {
  const [open, setOpen] = useState(props.previewOpen ?? false);
  const [status, setStatus] = useState<{ text: string; error: boolean } | null>(null);
  const [busy, setBusy] = useState<ReportFormat | null>(null);
  const preview = useApi('report:build', open ? { bundleId: props.bundleId, selection: props.selection, format: 'text' } : null);
  const text = preview.state === 'ready' ? preview.value : null;

  const save = (format: ReportFormat): void => {
    setBusy(format);
    setStatus(null);
    saveReport(props.bundleId, props.bundleName, props.selection, format).then(
      (message) => setStatus({ text: message, error: false }),
      (e: unknown) => setStatus({ text: errorMessage(e).message, error: true }),
    ).finally(() => setBusy(null));
  };

  return (
    <section className="panel export-panel" data-testid="export-panel" aria-label={props.title ?? 'Report'}>
      <div className="panel-title">
        <h2>{props.title ?? 'Report'}</h2>
        <span className="muted">plain text for a mailing list, HTML for a ticket; nothing is uploaded</span>
        <span className="spacer" />
        {text !== null && <CopyButton text={text} label="Copy text" title="Copy the plain-text report (72 columns) to the clipboard" testId="export-copy" />}
        <button type="button" onClick={() => save('text')} disabled={busy !== null} data-testid="export-save-text">
          {busy === 'text' ? 'Saving…' : 'Save text…'}
        </button>
        <button type="button" onClick={() => save('html')} disabled={busy !== null} data-testid="export-save-html">
          {busy === 'html' ? 'Saving…' : 'Save HTML…'}
        </button>
      </div>
      {status && (
        <p className={status.error ? 'error' : 'muted'} role={status.error ? 'alert' : 'status'} data-testid="export-status">
          {status.text}
        </p>
      )}
      <details open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
        <summary>Preview the text report</summary>
        {open && (
          <LoadView load={preview} what="the report" minHeight={PREVIEW_HEIGHT} onRetry={preview.reload}>
            {(value, stale) => (
              <pre className={`export-preview${stale ? ' stale' : ''}`} style={{ height: PREVIEW_HEIGHT }} data-testid="export-preview" tabIndex={0}>
                {value}
              </pre>
            )}
          </LoadView>
        )}
      </details>
    </section>
  );
}
