// Hash routes: every page of the app has an address that can be pasted into a chat (deep links).
//   #/                          home: open a bundle, recent bundles
//   #/bundle/ID[/TAB]           a bundle: TAB overview (default) | faults | log
//   #/fault/ID                  one fault: decode, source lines, replay, lattice with what-if
//   #/decode[/ESR[,ESR...]][?el=2&kernel=6.1]  the ESR decode page, values and context pre-filled
//   #/log/BUNDLE[?file=P&line=N&q=TEXT]  the log view at a file and line, or with a search
//   #/what-if                   the attribute lattice and replay with what-if controls, without a record
// Parsing is pure so that it is unit-tested under Node; `formatRoute(parseRoute(h))` gives h back for every
// canonical address.
import { assertNever } from './assert-never';

export const BUNDLE_TABS = ['overview', 'faults', 'log'] as const;
export type BundleTab = (typeof BUNDLE_TABS)[number];

export interface LogTarget {
  readonly file: string | null;
  readonly line: number | null;
  readonly query: string | null;
}

export type Route =
  | { readonly page: 'home' }
  | { readonly page: 'bundle'; readonly bundleId: number; readonly tab: BundleTab }
  | { readonly page: 'fault'; readonly faultId: number }
  | { readonly page: 'decode'; readonly values: readonly string[]; readonly el: 1 | 2 | null; readonly kernel: string | null }
  | { readonly page: 'log'; readonly bundleId: number; readonly target: LogTarget }
  | { readonly page: 'what-if' }
  | { readonly page: 'not-found'; readonly hash: string };

function positiveInt(s: string | undefined): number | null {
  if (s === undefined || !/^[1-9][0-9]{0,15}$/.test(s)) return null;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : null;
}

function isTab(s: string): s is BundleTab {
  return (BUNDLE_TABS as readonly string[]).includes(s);
}

function parseLogTarget(query: string): LogTarget {
  const params = new URLSearchParams(query);
  const file = params.get('file');
  const q = params.get('q');
  return { file: file || null, line: positiveInt(params.get('line') ?? undefined), query: q || null };
}

/** Parses `location.hash` (with or without the leading `#`). Unknown addresses become `not-found`. */
export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, '');
  const [pathPart = '', query = ''] = raw.split('?', 2);
  const parts = pathPart.split('/').filter((p) => p.length > 0).map((p) => safeDecode(p));
  const [head, a, b] = parts;
  const notFound: Route = { page: 'not-found', hash: raw };
  if (head === undefined) return { page: 'home' };
  switch (head) {
    case 'bundle': {
      const bundleId = positiveInt(a);
      if (bundleId === null || parts.length > 3) return notFound;
      if (b === undefined) return { page: 'bundle', bundleId, tab: 'overview' };
      return isTab(b) ? { page: 'bundle', bundleId, tab: b } : notFound;
    }
    case 'fault': {
      const faultId = positiveInt(a);
      return faultId === null || parts.length > 2 ? notFound : { page: 'fault', faultId };
    }
    case 'decode': {
      const values = parts.slice(1).join('/').split(/[\s,]+/).filter((v) => v.length > 0);
      const params = new URLSearchParams(query);
      const el = params.get('el');
      return { page: 'decode', values, el: el === '1' ? 1 : el === '2' ? 2 : null, kernel: params.get('kernel') || null };
    }
    case 'log': {
      const bundleId = positiveInt(a);
      return bundleId === null || parts.length > 2 ? notFound : { page: 'log', bundleId, target: parseLogTarget(query) };
    }
    case 'what-if':
      return parts.length === 1 ? { page: 'what-if' } : notFound;
    default:
      return notFound;
  }
}

function safeDecode(p: string): string {
  try {
    return decodeURIComponent(p);
  } catch {
    return p;
  }
}

/** The canonical hash (with `#`) of a route. */
export function formatRoute(route: Route): string {
  switch (route.page) {
    case 'home':
      return '#/';
    case 'bundle':
      return route.tab === 'overview' ? `#/bundle/${route.bundleId}` : `#/bundle/${route.bundleId}/${route.tab}`;
    case 'fault':
      return `#/fault/${route.faultId}`;
    case 'decode': {
      const params = new URLSearchParams();
      if (route.el !== null) params.set('el', String(route.el));
      if (route.kernel) params.set('kernel', route.kernel);
      const q = params.toString() ? `?${params.toString()}` : '';
      return `${route.values.length ? `#/decode/${route.values.map(encodeURIComponent).join(',')}` : '#/decode'}${q}`;
    }
    case 'log': {
      const params = new URLSearchParams();
      if (route.target.file) params.set('file', route.target.file);
      if (route.target.line !== null) params.set('line', String(route.target.line));
      if (route.target.query) params.set('q', route.target.query);
      const q = params.toString();
      return `#/log/${route.bundleId}${q ? `?${q}` : ''}`;
    }
    case 'what-if':
      return '#/what-if';
    case 'not-found':
      return `#${route.hash}`;
    default:
      return assertNever(route);
  }
}

/** Shorthands used by links. */
export const routes = {
  home: (): string => '#/',
  whatIf: (): string => '#/what-if',
  bundle: (bundleId: number, tab: BundleTab = 'overview'): string => formatRoute({ page: 'bundle', bundleId, tab }),
  fault: (faultId: number): string => `#/fault/${faultId}`,
  decode: (values: readonly string[] = [], el: 1 | 2 | null = null, kernel: string | null = null): string =>
    formatRoute({ page: 'decode', values, el, kernel }),
  log: (bundleId: number, target: Partial<LogTarget> = {}): string =>
    formatRoute({ page: 'log', bundleId, target: { file: target.file ?? null, line: target.line ?? null, query: target.query ?? null } }),
};
