// Saving a report from the renderer: Electron has a native save dialog behind `report:save`; browser mode
// has none, so the page builds the report and downloads it as a Blob (nothing leaves the machine).
import type { ReportFormat, ReportSelectionRequest } from '../../../preload/contract';
import { api } from '../../api';

/** `gpu-passthrough-6.1-report.html`: the same name the Electron dialog proposes (main/services/report.ts). */
export function downloadName(bundleName: string, format: ReportFormat): string {
  const base = bundleName.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '') || 'faultline';
  return `${base}-report.${format === 'text' ? 'txt' : 'html'}`;
}

const MIME: Readonly<Record<ReportFormat, string>> = { text: 'text/plain;charset=utf-8', html: 'text/html;charset=utf-8' };

function download(content: string, name: string, format: ReportFormat): void {
  const url = URL.createObjectURL(new Blob([content], { type: MIME[format] }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.className = 'offscreen';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // The download has started from the click; the URL can go once the event loop turns.
  window.setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** What happened, in words for the panel's status line. */
export async function saveReport(bundleId: number, bundleName: string, selection: ReportSelectionRequest, format: ReportFormat): Promise<string> {
  const request = { bundleId, selection, format };
  if (window.api) {
    const saved = await api.invoke('report:save', request);
    return saved.path === null ? 'Not saved (cancelled).' : `Saved to ${saved.path}.`;
  }
  const content = await api.invoke('report:build', request);
  const name = downloadName(bundleName, format);
  download(content, name, format);
  return `Downloaded ${name}.`;
}
