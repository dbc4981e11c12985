// The log view: pick a file, jump to a line, search everything; the timeline above shows where the visible
// lines are, and a fault selected anywhere brings its lines into view (and the other way round).
import { useEffect, useMemo, useState } from 'react';
import type { BundleDetail, FaultSummary } from '../../../preload/contract';
import type { LogTarget } from '../../state/route';
import { searchTerms } from '../../state/highlight';
import { bootAt } from '../../state/line-time';
import type { useBundleSelection } from '../../state/selection';
import { useLogLines } from '../../state/use-log-lines';
import { LogLines } from './LogLines';
import { LogSearch } from './LogSearch';

export interface LogTabProps {
  bundle: BundleDetail;
  target: LogTarget | undefined;
  faults: readonly FaultSummary[];
  sel: ReturnType<typeof useBundleSelection>;
  /** The visible lines' times (decimal ns and their clock), for the timeline's cursor. */
  onVisibleTimes?: (first: string | null, last: string | null, clock: string | null, file: string | null) => void;
}

export function LogTab(props: LogTabProps): React.JSX.Element {
  const files = props.bundle.fileList.filter((f) => f.lines > 0);
  const [file, setFile] = useState<string | null>(props.target?.file ?? files[0]?.path ?? null);
  const [target, setTarget] = useState<number | null>(props.target?.line ?? null);
  const [jump, setJump] = useState<{ index: number; seq: number } | null>(props.target?.line ? { index: props.target.line - 1, seq: 1 } : null);
  const [query, setQuery] = useState(props.target?.query ?? '');
  const [goto, setGoto] = useState('');
  const lines = useLogLines(props.bundle.id, file);
  const go = (f: string | null, line: number | null): void => {
    if (f !== null) setFile(f);
    setTarget(line);
    if (line !== null) setJump((j) => ({ index: line - 1, seq: (j?.seq ?? 0) + 1 }));
  };

  // a new address (#/log/ID?file=&line=) moves the view
  useEffect(() => {
    if (props.target?.file || props.target?.line) go(props.target.file ?? null, props.target.line ?? null);
    if (props.target?.query) setQuery(props.target.query);
  }, [props.target]);

  // a fault selected elsewhere shows its lines
  const { faultId, source, seq } = props.sel.selection;
  useEffect(() => {
    if (source === 'log' || faultId === null) return;
    const f = props.faults.find((x) => x.id === faultId);
    if (f) go(f.file, f.line);
  }, [seq]);

  const spans = useMemo(() => props.faults.filter((f) => f.file === file).map((f) => ({ id: f.id, line: f.line, endLine: f.endLine })), [props.faults, file]);
  return (
    <div className="log-tab" data-testid="log-tab">
      <div className="toolbar">
        <select value={file ?? ''} onChange={(e) => go(e.target.value, null)} data-testid="log-file" aria-label="File">
          {files.map((f) => (
            <option key={f.path} value={f.path}>
              {f.path} ({f.lines.toLocaleString('en-US')} lines)
            </option>
          ))}
        </select>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            const n = Number(goto);
            if (Number.isInteger(n) && n >= 1) go(null, Math.min(n, lines.totalLines ?? n));
          }}
        >
          <input type="text" inputMode="numeric" size={8} placeholder="line" value={goto} onChange={(e) => setGoto(e.target.value)} aria-label="Go to line" data-testid="log-goto" />
        </form>
        <span className="muted">{lines.totalLines !== null ? `${lines.totalLines.toLocaleString('en-US')} lines` : ''}</span>
        {lines.error && <span className="error">{lines.error}</span>}
      </div>
      <div className="log-body">
        <LogLines
          lines={lines}
          terms={searchTerms(query)}
          target={target}
          jump={jump}
          faults={spans}
          selectedFault={faultId}
          onSelectFault={(id) => props.sel.selectFault(id, 'log')}
          onView={(first, last) => {
            // In a log of several boots the lines in view have a clock only if they are of one boot.
            const a = bootAt(lines.boots, first);
            const clock = a === null ? lines.clock : a === bootAt(lines.boots, last) ? a.clock : null;
            props.onVisibleTimes?.(lines.line(first)?.timeNs ?? null, lines.line(last)?.timeNs ?? null, clock, file);
          }}
        />
        <LogSearch bundleId={props.bundle.id} query={query} onQuery={setQuery} onHit={(h) => go(h.file, h.lineNo)} />
      </div>
    </div>
  );
}
