// The facts of one fault record: kind, time on its clock, where it was read, the ESR and addresses with copy
// buttons, the CPU/task, and the place for the export buttons.
import type { ReactNode } from 'react';
import type { FaultDetail } from '../../../preload/contract';
import { bootOfClock } from '../../state/line-time';
import { routes } from '../../state/route';
import { formatTraceTime } from '../../viz/timeline-math';
import { CopyButton } from '../common/CopyButton';
import { Hex } from '../common/Hex';
import { kindColorClass } from '../timeline/kind-colors';

function timeText(f: FaultDetail): string {
  if (f.timeNs === null) return 'no time in the record';
  if (f.clock === 'counter') return `${f.timeNs}, a count of the trace's clock (not in ns)`;
  if (f.clock === 'monotonic' || f.clock === null) return formatTraceTime(0, BigInt(f.timeNs), 1e4) + (f.clock ? ' since boot' : '');
  const boot = bootOfClock(f.clock);
  if (boot !== null) return `${formatTraceTime(0, BigInt(f.timeNs), 1e4)} since boot, in ${boot === -1 ? 'the boot' : `${-boot} boots`} before the last of its log (boot ${boot})`;
  const since = sinceBootText(f);
  if (f.clock === 'realtime') return new Date(Number(BigInt(f.timeNs) / 1_000_000n)).toISOString() + since;
  return `${formatTraceTime(0, BigInt(f.timeNs), 1e4)} (time of day)${since}`;
}

/** The kernel's own stamp a syslog line kept beside its wall-clock time (kern.log's `kernel: [ 7912.345678]`). */
function sinceBootText(f: FaultDetail): string {
  const ns = f.extra.since_boot_ns;
  return typeof ns === 'string' && /^\d+$/.test(ns) ? `, ${formatTraceTime(0, BigInt(ns), 1e4)} since boot` : '';
}

export function FaultHeader(props: { fault: FaultDetail; actions?: ReactNode }): React.JSX.Element {
  const f = props.fault;
  return (
    <header className="panel fault-header" data-testid="fault-header" data-kind={f.kind}>
      <div className="fault-title">
        <span className={`kind-dot ${kindColorClass(f.kind)}`} />
        <h1>
          {f.kind} <span className="muted">#{f.id}</span>
        </h1>
        {f.count > 1 && <span className="tag">×{f.count}</span>}
        <span className="spacer" />
        <div className="header-actions" data-slot="report-export">
          {props.actions}
        </div>
      </div>
      <p className="fault-headline">
        <code>{f.headline}</code>
        <CopyButton text={f.text} label="Copy record" title="Copy the record's lines" />
      </p>
      <table className="kv">
        <tbody>
          <tr>
            <th>When</th>
            <td>{timeText(f)}</td>
            <th>Where</th>
            <td>
              <a href={routes.log(f.bundleId, { file: f.file, line: f.line })} data-testid="fault-log-link">
                {f.file}:{f.line}
                {f.endLine > f.line ? `-${f.endLine}` : ''}
              </a>
            </td>
          </tr>
          <tr>
            <th>ESR{f.el ? `_EL${f.el}` : ''}</th>
            <td>
              <Hex value={f.esr} label="ESR" testId="fault-esr" />
            </td>
            <th>Kernel</th>
            <td>{f.kernel ?? <span className="muted">unknown</span>}</td>
          </tr>
          <tr>
            <th>FAR / IPA / PC</th>
            <td colSpan={3}>
              <Hex value={f.far} label="FAR" /> / <Hex value={f.ipa} label="IPA" /> / <Hex value={f.pc} label="PC" />
            </td>
          </tr>
          {(f.cpu !== null || f.pid !== null || f.comm !== null) && (
            <tr>
              <th>CPU / task</th>
              <td colSpan={3}>
                {f.cpu !== null ? `CPU${f.cpu}` : '—'} / {f.comm ?? '—'}
                {f.pid !== null ? ` (pid ${f.pid})` : ''}
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <p>
        <a href={routes.bundle(f.bundleId, 'faults')}>← all faults of this bundle</a>
      </p>
    </header>
  );
}
