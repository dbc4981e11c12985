// Home: open or ingest a bundle, and the bundles already in the database.
import { useApi } from '../../state/use-api';
import { Empty, LoadView } from '../common/Status';
import { BundleList } from './BundleList';

export function HomePage(): React.JSX.Element {
  const info = useApi('app:info', {});
  const bundles = useApi('bundles:list', {});
  const defaultId = info.state === 'ready' ? info.value.defaultBundleId : null;
  return (
    <div className="page home-page">
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
