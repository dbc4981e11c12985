// A bundle (#/bundle/ID[/TAB], #/log/ID?...): its header and the tab the address names.
import type { BundleTab, LogTarget } from '../../state/route';
import { useBundleSelection } from '../../state/selection';
import { useApi } from '../../state/use-api';
import { useBundleFaults } from '../../state/use-bundle-faults';
import { LoadView } from '../common/Status';
import { BundleHeader } from './BundleHeader';
import { FaultsTab } from './FaultsTab';
import { LogPane } from './LogPane';
import { OverviewTab } from './OverviewTab';

export function BundlePage(props: { bundleId: number; tab: BundleTab; logTarget?: LogTarget }): React.JSX.Element {
  const bundle = useApi('bundles:get', { id: props.bundleId });
  const sel = useBundleSelection();
  const faults = useBundleFaults(props.bundleId);
  return (
    <div className="bundle-page">
      <LoadView load={bundle} what={`bundle ${props.bundleId}`} minHeight={200} onRetry={bundle.reload}>
        {(b) => (
          <>
            <BundleHeader bundle={b} tab={props.tab} />
            {props.tab === 'overview' && <OverviewTab bundle={b} />}
            {props.tab !== 'overview' && (
              <LoadView load={faults} what="the faults" minHeight={400} onRetry={bundle.reload}>
                {(f) =>
                  props.tab === 'faults' ? (
                    <FaultsTab bundle={b} faults={f.faults} sel={sel} />
                  ) : (
                    <LogPane bundle={b} faults={f.faults} target={props.logTarget} sel={sel} />
                  )
                }
              </LoadView>
            )}
          </>
        )}
      </LoadView>
    </div>
  );
}
