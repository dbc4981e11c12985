// report:build and report:save over the report service. Saving needs a native save dialog, which only the
// Electron front end gives the context (`saveDialog`); browser mode refuses and the renderer downloads a Blob.
import { writeFile } from 'node:fs/promises';
import type { ParsedRequestOf, ReportSaveResult } from '../../../preload/contract';
import { buildBundleReport, renderReport, reportFileName } from '../../services/report';
import type { ApiContext } from '../context';
import { ApiError } from '../errors';

function build(ctx: ApiContext, req: ParsedRequestOf<'report:build'>): { text: string; fileName: string } {
  const report = buildBundleReport(ctx.db, req.bundleId, req.selection);
  if (!report.ok) throw new ApiError(report.error.code, report.error.message);
  return { text: renderReport(report.value, req.format), fileName: reportFileName(report.value.bundleName, req.format) };
}

export const reportHandlers = {
  'report:build': (ctx: ApiContext, req: ParsedRequestOf<'report:build'>): string => build(ctx, req).text,

  'report:save': async (ctx: ApiContext, req: ParsedRequestOf<'report:save'>): Promise<ReportSaveResult> => {
    if (!ctx.saveDialog) throw new ApiError('bad_request', 'no save dialog in browser mode: the page downloads the report instead');
    const { text, fileName } = build(ctx, req);
    const path = await ctx.saveDialog({ defaultName: fileName, format: req.format });
    if (path === null) return { path: null, bytes: 0 };
    await writeFile(path, text, 'utf8');
    return { path, bytes: Buffer.byteLength(text, 'utf8') };
  },
};
