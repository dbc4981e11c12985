// Home: open or ingest a bundle, and the bundles already in the database (the embedded sample first among
// equals, marked).
import { useApi } from '../../state/use-api';
import { Empty, LoadView } from '../common/Status';
import { OpenPanel } from '../open/OpenPanel';
import { BundleList } from './BundleList';

export function HomePage(): React.JSX.Element {
  const info = useApi('app:info', {});
  const bundles = useApi('bundles:list', {});
  const defaultId = info.state === 'ready' ? info.value.defaultBundleId : null;
  const electron = info.state === 'ready' && info.value.transport === 'electron';
  return (
    <div className="page home-page">
      <OpenPanel electron={electron} onIngested={bundles.reload} />
      <section className="panel">
        <h2>Recent bundles</h2>
        <LoadView load={bundles} what="the bundle list" minHeight={120} onRetry={bundles.reload}>
          {(list) =>
            list.length === 0 ? (
              <Empty title="No bundle opened yet" testId="empty-state" minHeight={120}>
                <span className="muted">Open a support bundle (a folder or an archive) above, or ingest one with the CLI.</span>
              </Empty>
            ) : (
              <BundleList bundles={list} defaultBundleId={defaultId} />
            )
          }
        </LoadView>
      </section>
    </div>
  );
}
