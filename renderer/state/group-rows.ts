// Grouping a list for a virtualized table: header rows followed by their items, groups in order of first
// appearance (the list comes sorted by time) or by size, collapsed groups showing only their header. Pure.

export type Row<T> =
  | { readonly type: 'group'; readonly key: string; readonly label: string; readonly count: number; readonly collapsed: boolean }
  | { readonly type: 'item'; readonly item: T; readonly group: string | null };

export interface GroupSpec<T> {
  /** The group of an item; items with null go to the `none` group. */
  readonly keyOf: (item: T) => string | null;
  readonly labelOf?: (key: string) => string;
  readonly noneLabel?: string;
  /** 'first-seen': groups in the order their first item appears; 'size': largest first. */
  readonly order?: 'first-seen' | 'size';
}

const NONE = '\u0000none';

/** Rows for the list: flat when `spec` is null, else headers and (unless collapsed) their items. */
export function groupRows<T>(items: readonly T[], spec: GroupSpec<T> | null, collapsed: ReadonlySet<string> = new Set()): Row<T>[] {
  if (!spec) return items.map((item) => ({ type: 'item', item, group: null }));
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = spec.keyOf(item) ?? NONE;
    const list = groups.get(key);
    if (list) list.push(item);
    else groups.set(key, [item]);
  }
  const keys = [...groups.keys()];
  if (spec.order === 'size') keys.sort((a, b) => (groups.get(b)?.length ?? 0) - (groups.get(a)?.length ?? 0));
  const rows: Row<T>[] = [];
  for (const key of keys) {
    const members = groups.get(key) ?? [];
    const label = key === NONE ? (spec.noneLabel ?? 'other') : (spec.labelOf?.(key) ?? key);
    const isCollapsed = collapsed.has(key);
    rows.push({ type: 'group', key, label, count: members.length, collapsed: isCollapsed });
    if (!isCollapsed) for (const item of members) rows.push({ type: 'item', item, group: key });
  }
  return rows;
}

/** The index of the row of the item for which `is` holds, or -1. */
export function rowIndexOf<T>(rows: readonly Row<T>[], is: (item: T) => boolean): number {
  return rows.findIndex((r) => r.type === 'item' && is(r.item));
}

/**
 * Whether an item matches a search: every whitespace-separated term must occur (case-insensitive) in one of the
 * item's searchable texts. An empty query matches everything.
 */
export function matchesQuery(texts: readonly (string | null | undefined)[], query: string): boolean {
  const terms = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (terms.length === 0) return true;
  const hay = texts.filter((t): t is string => typeof t === 'string').map((t) => t.toLowerCase());
  return terms.every((term) => hay.some((h) => h.includes(term)));
}
