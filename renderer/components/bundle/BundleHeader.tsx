// The bundle's name, state and totals, its tabs (overview, faults, log) and the place for export buttons.
import type { ReactNode } from 'react';
import type { BundleDetail } from '../../../preload/contract';
import { BUNDLE_TABS, routes, type BundleTab } from '../../state/route';
import { totalsLine } from '../../state/bundle-totals';

const TAB_LABEL: Readonly<Record<BundleTab, string>> = { overview: 'Overview', faults: 'Faults & timeline', log: 'Log' };

export function BundleHeader(props: { bundle: BundleDetail; tab: BundleTab; actions?: ReactNode }): React.JSX.Element {
  const b = props.bundle;
  return (
    <header className="bundle-header">
      <h1 data-testid="bundle-name">{b.name}</h1>
      {b.status !== 'complete' && <span className={`tag tag-${b.status}`}>{b.status}</span>}
      <span className="muted" data-testid="bundle-totals">
        {totalsLine(b)}
      </span>
      <nav className="tabs" aria-label="Bundle">
        {BUNDLE_TABS.map((t) => (
          <a key={t} href={routes.bundle(b.id, t)} aria-current={t === props.tab ? 'page' : undefined} data-testid={`tab-${t}`}>
            {TAB_LABEL[t]}
          </a>
        ))}
      </nav>
      <span className="spacer" />
      {/* Export buttons (renderer/components/report/) go here. */}
      <div className="header-actions" data-slot="report-export">
        {props.actions}
      </div>
    </header>
  );
}
