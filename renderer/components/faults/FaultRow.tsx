// One row of the fault list (fixed height, for the virtualized list), and a group header row.
import type { FaultItem } from '../../state/fault-item';
import type { Row } from '../../state/group-rows';
import { routes } from '../../state/route';
import { kindColorClass } from '../timeline/kind-colors';

export const ROW_HEIGHT = 30;

export function FaultRow(props: { item: FaultItem; index: number; selected: boolean; onSelect: (id: number) => void; bundleId: number }): React.JSX.Element {
  const f = props.item;
  return (
    <div
      id={`fault-rows-${props.index}`}
      className="list-row"
      role="option"
      aria-selected={props.selected}
      style={{ height: ROW_HEIGHT }}
      data-fault-id={f.id}
      data-kind={f.kind}
      onClick={() => props.onSelect(f.id)}
      onDoubleClick={() => (window.location.hash = routes.fault(f.id))}
    >
      <span className={`kind-dot ${kindColorClass(f.kind)}`} />
      <span className="cell mono muted" style={{ width: 168 }} title={f.timeLabel}>
        {f.timeLabel}
      </span>
      <span className="cell" style={{ width: 170 }}>
        {f.kind}
      </span>
      <span className="cell mono" style={{ width: 150 }}>
        {f.esr ?? ''}
      </span>
      <span className="grow" title={f.summary}>
        {f.summary}
        {f.count > 1 && <span className="tag"> ×{f.count}</span>}
      </span>
      <a className="cell muted" href={routes.log(props.bundleId, { file: f.file, line: f.line })} onClick={(e) => e.stopPropagation()} title="Show in the log">
        {f.file.split('/').pop()}:{f.line}
      </a>
      <a className="cell" href={routes.fault(f.id)} onClick={(e) => e.stopPropagation()} data-testid={`open-fault-${f.id}`}>
        open
      </a>
    </div>
  );
}

export function GroupRow(props: { row: Extract<Row<FaultItem>, { type: 'group' }>; index: number; onToggle: (key: string) => void }): React.JSX.Element {
  const r = props.row;
  return (
    <div id={`fault-rows-${props.index}`} className="list-row group-row" role="option" aria-selected={false} aria-expanded={!r.collapsed} style={{ height: ROW_HEIGHT }} onClick={() => props.onToggle(r.key)}>
      <span>{r.collapsed ? '▸' : '▾'}</span>
      <span>{r.label}</span>
      <span className="count">{r.count}</span>
    </div>
  );
}
