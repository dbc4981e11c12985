// app:open-dialog: the native folder/archive picker, where the front end has one (Electron gives the context an
// `openDialog`); browser mode has none and answers bad_request, and the renderer shows a path field instead.
import type { DiagnosisView, ParsedRequestOf } from '../../../preload/contract';
import { SEVERITIES, type ReferenceInput } from '../../core/report/input';
import { assertNever } from '../../core/result';
import { gatherFindingsInput } from '../../services/report-sources';
import { getBundle } from '../../storage/bundles';
import type { ApiContext } from '../context';
import { ApiError, notFound } from '../errors';

function reference(r: ReferenceInput): DiagnosisView['references'][number] {
  switch (r.kind) {
    case 'commit':
      return { text: `${r.sha.slice(0, 12)} ("${r.subject}")${r.version ? `, Linux ${r.version}` : ''}`, url: r.url ?? `https://git.kernel.org/torvalds/c/${r.sha}` };
    case 'lore':
      return { text: r.title, url: `https://lore.kernel.org/r/${r.messageId}` };
    case 'url':
      return { text: r.title, url: r.url };
    default:
      return assertNever(r);
  }
}

export const uiHandlers = {
  'app:open-dialog': async (ctx: ApiContext, req: ParsedRequestOf<'app:open-dialog'>): Promise<{ path: string | null }> => {
    if (!ctx.openDialog) throw new ApiError('bad_request', 'no file dialog in browser mode: type the path instead');
    return { path: await ctx.openDialog(req.kind) };
  },

  // The diagnoses the reports quote (main/services/report-sources, over the analyzer of main/services/
  // stored-faults.ts that `faults --json` and faults:replay use too), most severe first, then by how many
  // faults they explain. A finished bundle never changes, so its answer is kept (per database, keyed by the
  // bundle's id and finish time).
  'diagnoses:list': (ctx: ApiContext, req: ParsedRequestOf<'diagnoses:list'>): DiagnosisView[] => {
    const bundle = getBundle(ctx.db, req.bundleId);
    if (!bundle) throw notFound(`bundle ${req.bundleId}`);
    const key = `${ctx.dbPath}|${bundle.id}|${bundle.finishedAt ?? ''}|${bundle.status}`;
    const hit = bundle.status === 'complete' ? diagnosesCache.get(key) : undefined;
    if (hit) return hit;
    const value = listDiagnoses(ctx, bundle.id);
    if (bundle.status === 'complete') {
      diagnosesCache.set(key, value);
      if (diagnosesCache.size > 16) diagnosesCache.delete(diagnosesCache.keys().next().value as string);
    }
    return value;
  },
};

const diagnosesCache = new Map<string, DiagnosisView[]>();

function listDiagnoses(ctx: ApiContext, bundleId: number): DiagnosisView[] {
  const found = gatherFindingsInput(ctx.db, bundleId, { kind: 'bundle' });
  if (!found.ok) throw new ApiError('internal', found.error.message);
  const rank = (s: string): number => SEVERITIES.indexOf(s as (typeof SEVERITIES)[number]);
  return [...found.value.diagnoses]
    .sort((a, b) => rank(a.severity) - rank(b.severity) || b.faultIds.length - a.faultIds.length)
    .map((d) => ({
      id: d.id,
      ruleId: d.ruleId,
      title: d.title,
      severity: d.severity,
      explanation: d.explanation,
      fixedIn: d.fixedIn,
      action: d.action,
      faultIds: d.faultIds,
      references: d.references.map(reference),
    }));
}
