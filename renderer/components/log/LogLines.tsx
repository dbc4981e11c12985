// The lines of one file, virtualized: line numbers, the text as text (never markup), search matches marked,
// the target line and the lines of the selected fault highlighted. Clicking a line of a fault selects it.
import { useMemo } from 'react';
import { highlightPieces, rowText } from '../../state/highlight';
import { indexSpans, type FaultSpan } from '../../state/fault-spans';
import { bootName, lineTimeLabel } from '../../state/line-time';
import type { LogLines as Lines } from '../../state/use-log-lines';
import { VirtualList } from '../common/VirtualList';

export const LOG_ROW_HEIGHT = 20;

/** File formats whose stored lines are messages without their stamps (main/services/ingest/sources.ts JournalForm). */
const MESSAGE_ONLY_FORMATS: ReadonlySet<string> = new Set(['journal-json', 'journal-export', 'journal-file', 'journal-json-pretty', 'journal-verbose']);

export function LogLines(props: {
  lines: Lines;
  terms: readonly string[];
  target: number | null;
  jump: { index: number; seq: number } | null;
  faults: readonly FaultSpan[];
  selectedFault: number | null;
  onSelectFault: (id: number) => void;
  onView: (first: number, last: number) => void;
}): React.JSX.Element {
  const total = props.lines.totalLines ?? 0;
  // A journal read from its JSON, export or file forms stores each entry's message alone: its time is shown beside it.
  const timed = MESSAGE_ONLY_FORMATS.has(props.lines.format ?? '');
  const faultAt = useMemo(() => indexSpans(props.faults), [props.faults]);
  return (
    <VirtualList
      count={total}
      rowHeight={LOG_ROW_HEIGHT}
      selected={props.target !== null ? props.target - 1 : null}
      ariaLabel="Log lines"
      testId="log-lines"
      className="log-list"
      jumpTo={props.jump}
      onRange={(start, end) => {
        props.lines.need(start, end);
        props.onView(start + 1, end);
      }}
      renderRow={(i) => {
        const lineNo = i + 1;
        const l = props.lines.line(lineNo);
        const f = faultAt(lineNo);
        const boot = props.lines.boots?.find((b) => b.fromLine === lineNo && lineNo > 1);
        const cls = ['list-row', 'log-row', lineNo === props.target ? 'is-target' : '', f ? 'in-fault' : '', f && f.id === props.selectedFault ? 'fault-selected' : '', boot ? 'boot-start' : ''];
        return (
          <div
            key={lineNo}
            id={`log-lines-${i}`}
            className={cls.join(' ')}
            style={{ height: LOG_ROW_HEIGHT }}
            data-line={lineNo}
            data-fault-id={f?.id}
            role="option"
            aria-selected={lineNo === props.target}
            onClick={f ? () => props.onSelectFault(f.id) : undefined}
          >
            <span className="lineno" title={boot ? `${bootName(boot.clock)} begins: the kernel's since-boot clock starts again` : undefined}>
              {lineNo}
            </span>
            {timed && <span className={props.lines.clock === 'realtime' ? 'logtime wall' : 'logtime'}>{l === undefined ? '' : lineTimeLabel(l.timeNs, props.lines.clock)}</span>}
            <span className="logtext" title={l !== undefined && l.text.includes('\n') ? l.text : undefined}>
              {l === undefined ? (
                <span className="muted">…</span>
              ) : (
                highlightPieces(l.text, props.terms).map((p, k) => (p.hit ? <mark key={k}>{rowText(p.text)}</mark> : <span key={k}>{rowText(p.text)}</span>))
              )}
            </span>
          </div>
        );
      }}
    />
  );
}
