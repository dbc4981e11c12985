// The fault list: virtualized, grouped by kind / EC / fault code / IPA page / device, filtered by search.
// Selection is shared with the timeline (and the log): selecting here moves the marker there, and back.
import { useMemo, useState } from 'react';
import { groupKey, GROUPING_LABEL, GROUPINGS, type FaultItem, type Grouping } from '../../state/fault-item';
import { groupRows, matchesQuery, rowIndexOf, type Row } from '../../state/group-rows';
import { routes } from '../../state/route';
import { navigate } from '../../state/use-route';
import { Empty } from '../common/Status';
import { VirtualList } from '../common/VirtualList';
import { FaultRow, GroupRow, ROW_HEIGHT } from './FaultRow';

export function FaultList(props: {
  items: readonly FaultItem[];
  selected: number | null;
  onSelect: (id: number) => void;
  /** Bumped when the selection comes from elsewhere, so the list scrolls it into view. */
  selectSeq: number;
  bundleId: number;
}): React.JSX.Element {
  const [grouping, setGrouping] = useState<Grouping>('kind');
  const [query, setQuery] = useState('');
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const filtered = useMemo(
    () => props.items.filter((f) => matchesQuery([f.kind, f.esr, f.summary, f.file, f.ipa, f.device, f.comm], query)),
    [props.items, query],
  );
  const rows: Row<FaultItem>[] = useMemo(
    () => groupRows(filtered, grouping === 'none' ? null : { keyOf: (f) => groupKey(f, grouping), noneLabel: `no ${GROUPING_LABEL[grouping]}` }, collapsed),
    [filtered, grouping, collapsed],
  );
  const selectedRow = props.selected === null ? -1 : rowIndexOf(rows, (f) => f.id === props.selected);
  // scroll to the selection only when it comes from elsewhere (selectSeq), not on every filter change
  const jumpTo = useMemo(() => (selectedRow >= 0 ? { index: selectedRow, seq: props.selectSeq } : null), [props.selectSeq]);
  const toggle = (key: string): void => setCollapsed((c) => (c.has(key) ? new Set([...c].filter((k) => k !== key)) : new Set([...c, key])));
  const onSelectRow = (i: number): void => {
    const r = rows[i];
    if (r?.type === 'item') props.onSelect(r.item.id);
  };
  return (
    <section className="fault-list" data-testid="fault-list">
      <div className="toolbar">
        <input type="search" placeholder="Search faults (kind, ESR, text, file, device)…" value={query} onChange={(e) => setQuery(e.target.value)} data-shortcut="search" data-testid="fault-search" />
        <label>
          Group by{' '}
          <select value={grouping} onChange={(e) => setGrouping(e.target.value as Grouping)} data-testid="fault-grouping">
            {GROUPINGS.map((g) => (
              <option key={g} value={g}>
                {GROUPING_LABEL[g]}
              </option>
            ))}
          </select>
        </label>
        <span className="muted" data-testid="fault-count">
          {filtered.length === props.items.length ? `${props.items.length} faults` : `${filtered.length} of ${props.items.length} faults`}
        </span>
      </div>
      {rows.length === 0 ? (
        <Empty title={props.items.length === 0 ? 'No faults in this range' : 'No fault matches the search'} minHeight={120} />
      ) : (
        <VirtualList
          count={rows.length}
          rowHeight={ROW_HEIGHT}
          selected={selectedRow >= 0 ? selectedRow : null}
          onSelect={onSelectRow}
          isSelectable={(i) => rows[i]?.type === 'item'}
          onActivate={(i) => {
            const r = rows[i];
            if (r?.type === 'item') navigate(routes.fault(r.item.id));
            else if (r?.type === 'group') toggle(r.key);
          }}
          ariaLabel="Faults"
          testId="fault-rows"
          jumpTo={jumpTo}
          renderRow={(i) => {
            const r = rows[i] as Row<FaultItem>;
            return r.type === 'group' ? (
              <GroupRow key={`g-${r.key}`} row={r} index={i} onToggle={toggle} />
            ) : (
              <FaultRow key={r.item.id} item={r.item} index={i} selected={r.item.id === props.selected} onSelect={props.onSelect} bundleId={props.bundleId} />
            );
          }}
        />
      )}
    </section>
  );
}
