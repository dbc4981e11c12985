import { useEffect, useState } from 'react';
import type { AppInfo, BundleSummary } from '../../preload/contract';
import { api } from '../api';

type Load<T> = { state: 'loading' } | { state: 'ready'; value: T } | { state: 'error'; message: string };

export function App(): React.JSX.Element {
  const [info, setInfo] = useState<Load<{ app: AppInfo; bundles: readonly BundleSummary[] }>>({ state: 'loading' });

  useEffect(() => {
    let live = true;
    Promise.all([api.invoke('app:info', {}), api.invoke('bundles:list', {})]).then(
      ([app, bundles]) => live && setInfo({ state: 'ready', value: { app, bundles } }),
      (e: unknown) => live && setInfo({ state: 'error', message: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      live = false;
    };
  }, []);

  return (
    <div className="app">
      <header className="app-header">
        <h1>Faultline</h1>
        {info.state === 'ready' && <span className="muted" data-testid="app-version">v{info.value.app.version}</span>}
      </header>
      <main className="app-main">
        {info.state === 'loading' && <p className="muted">Loading…</p>}
        {info.state === 'error' && (
          <p role="alert" className="error">
            Cannot reach the Faultline backend: {info.message}
          </p>
        )}
        {info.state === 'ready' && info.value.bundles.length === 0 && (
          <section className="empty-state" data-testid="empty-state">
            <h2>No bundle opened yet</h2>
            <p>Drop a support bundle (folder or archive) here, or ingest one with <code>npx faultline ingest PATH</code>.</p>
            <p className="muted">Database: {info.value.app.dbPath}</p>
          </section>
        )}
        {info.state === 'ready' && info.value.bundles.length > 0 && (
          <ul data-testid="bundle-list">
            {info.value.bundles.map((b) => (
              <li key={b.id}>
                {b.name} — {b.faults} faults, {b.lines} lines
              </li>
            ))}
          </ul>
        )}
      </main>
    </div>
  );
}
