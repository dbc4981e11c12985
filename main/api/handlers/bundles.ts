import type { BundleDetail, BundleSummary, DiagnosticRow } from '../../../preload/contract';
import { bundleTotals, getBundle, listBundles, listDiagnostics, listFiles, type BundleRow } from '../../storage/bundles';
import type { ApiContext } from '../context';
import { notFound } from '../errors';

function summarize(ctx: ApiContext, b: BundleRow): BundleSummary {
  return { id: b.id, name: b.name, sourcePath: b.sourcePath, status: b.status, createdAt: b.createdAt, ...bundleTotals(ctx.db, b.id) };
}

export const bundleHandlers = {
  'bundles:list': (ctx: ApiContext): BundleSummary[] => listBundles(ctx.db).map((b) => summarize(ctx, b)),

  'bundles:get': (ctx: ApiContext, req: { id: number }): BundleDetail => {
    const b = getBundle(ctx.db, req.id);
    if (!b) throw notFound(`bundle ${req.id}`);
    const fileList = listFiles(ctx.db, b.id).map(({ path, format, size, lines, events, faults }) => ({
      path,
      format,
      size,
      lines,
      events,
      faults,
    }));
    return { ...summarize(ctx, b), fileList, context: JSON.parse(b.contextJson) as Record<string, unknown> };
  },

  'bundles:diagnostics': (ctx: ApiContext, req: { bundleId: number; limit: number }): DiagnosticRow[] => {
    if (!getBundle(ctx.db, req.bundleId)) throw notFound(`bundle ${req.bundleId}`);
    return listDiagnostics(ctx.db, req.bundleId, req.limit);
  },
};
