// The bundles in the database, newest first: the "recent bundles" of the home page.
import type { BundleSummary } from '../../../preload/contract';
import { routes } from '../../state/route';
import { totalsLine } from '../../state/bundle-totals';

export function BundleList(props: { bundles: readonly BundleSummary[]; defaultBundleId: number | null }): React.JSX.Element {
  const sorted = [...props.bundles].sort((a, b) => b.id - a.id);
  return (
    <ul className="bundle-list" data-testid="bundle-list">
      {sorted.map((b) => (
        <li key={b.id} className="bundle-card">
          <a href={routes.bundle(b.id)} className="bundle-card-link" data-testid={`bundle-link-${b.id}`}>
            <span className="bundle-card-name">{b.name}</span>
            {b.id === props.defaultBundleId && <span className="tag">sample</span>}
            {b.status !== 'complete' && <span className={`tag tag-${b.status}`}>{b.status}</span>}
          </a>
          <span className="muted bundle-card-stats">
            {totalsLine(b)}
          </span>
          <span className="muted bundle-card-path" title={b.sourcePath}>
            {b.sourcePath}
          </span>
        </li>
      ))}
    </ul>
  );
}
