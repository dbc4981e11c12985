// A bundle (#/bundle/ID[/TAB], #/log/ID?...): its header and the tab the address names.
import type { BundleTab, LogTarget } from '../../state/route';
import { useApi } from '../../state/use-api';
import { LoadView } from '../common/Status';
import { BundleHeader } from './BundleHeader';
import { OverviewTab } from './OverviewTab';

export function BundlePage(props: { bundleId: number; tab: BundleTab; logTarget?: LogTarget }): React.JSX.Element {
  const bundle = useApi('bundles:get', { id: props.bundleId });
  return (
    <div className="bundle-page">
      <LoadView load={bundle} what={`bundle ${props.bundleId}`} minHeight={200} onRetry={bundle.reload}>
        {(b) => (
          <>
            <BundleHeader bundle={b} tab={props.tab} />
            {props.tab === 'overview' && <OverviewTab bundle={b} />}
            {props.tab !== 'overview' && <p className="page muted">Coming with the ingest service.</p>}
          </>
        )}
      </LoadView>
    </div>
  );
}
