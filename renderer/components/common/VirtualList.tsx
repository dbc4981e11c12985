// A virtualized, keyboard-driven list: arrows / j k move the selection, PgUp/PgDn/Home/End jump, Enter
// activates. Only the rows in view are mounted, so 100 000 rows scroll as smoothly as 100.
import { useEffect, type ReactNode } from 'react';
import { nextIndexForKey } from '../../viz/virtual-range';
import { useVirtualRows } from '../../viz/use-virtual-rows';

export interface VirtualListProps {
  count: number;
  rowHeight: number;
  renderRow: (index: number) => ReactNode;
  /** The selected row, kept in view when it changes (centred when it comes from elsewhere). */
  selected: number | null;
  onSelect?: (index: number) => void;
  onActivate?: (index: number) => void;
  ariaLabel: string;
  testId?: string;
  className?: string;
  /** Row to scroll to on a jump from outside (e.g. the timeline or a link), centred. */
  jumpTo?: { index: number; seq: number } | null;
  /** Rows the keyboard may land on (group headers are skipped); every row by default. */
  isSelectable?: (index: number) => boolean;
  /** Told the mounted row range whenever it changes (to load what comes into view). */
  onRange?: (start: number, end: number) => void;
}

export function VirtualList(props: VirtualListProps): React.JSX.Element {
  const { ref, range, viewportHeight, scrollToIndex } = useVirtualRows(props.count, props.rowHeight);
  const jump = props.jumpTo;
  // (re)applied once the target row exists: a jump can arrive before the rows it points into
  const reachable = jump !== null && jump !== undefined && jump.index < props.count;
  useEffect(() => {
    if (jump && reachable) scrollToIndex(jump.index, 'center');
  }, [jump, reachable, scrollToIndex]);
  const { onRange } = props;
  useEffect(() => {
    onRange?.(range.start, range.end);
  }, [onRange, range.start, range.end]);

  const onKeyDown = (e: React.KeyboardEvent): void => {
    if (e.key === 'Enter' && props.selected !== null) {
      props.onActivate?.(props.selected);
      return;
    }
    let next = nextIndexForKey(e.key, props.selected ?? -1, props.count, Math.floor(viewportHeight / props.rowHeight) - 1);
    if (next === null) return;
    e.preventDefault();
    // step over rows that cannot be selected, in the direction of travel (back the other way at an end)
    const ok = props.isSelectable ?? ((): boolean => true);
    const dir = next >= (props.selected ?? -1) ? 1 : -1;
    let probe = next;
    while (probe >= 0 && probe < props.count && !ok(probe)) probe += dir;
    if (probe < 0 || probe >= props.count) {
      probe = next;
      while (probe >= 0 && probe < props.count && !ok(probe)) probe -= dir;
    }
    if (probe < 0 || probe >= props.count) return;
    next = probe;
    props.onSelect?.(next);
    scrollToIndex(next);
  };

  const rows: ReactNode[] = [];
  for (let i = range.start; i < range.end; i++) rows.push(props.renderRow(i));
  return (
    <div
      ref={ref}
      className={`virtual-list ${props.className ?? ''}`}
      tabIndex={0}
      role="listbox"
      aria-label={props.ariaLabel}
      aria-activedescendant={props.selected !== null ? `${props.testId ?? 'row'}-${props.selected}` : undefined}
      data-testid={props.testId}
      data-count={props.count}
      onKeyDown={onKeyDown}
    >
      <div className="virtual-list-content" style={{ height: range.totalHeight }}>
        <div className="virtual-list-window" style={{ transform: `translateY(${range.offsetTop}px)` }}>
          {rows}
        </div>
      </div>
    </div>
  );
}
