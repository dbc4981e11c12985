// The root: the shell around the page the hash address names. Each page loads its own data through the API.
// Started without an address, the app opens the bundle the backend names as its first (the embedded sample,
// app:info defaultBundleId); otherwise the bundle list.
import { useEffect } from 'react';
import { api } from '../api';
import { assertNever } from '../state/assert-never';
import { routes, type Route } from '../state/route';
import { navigate, useRoute } from '../state/use-route';
import { BundlePage } from './bundle/BundlePage';
import { DecodePage } from './decode/DecodePage';
import { FaultPage } from './fault/FaultPage';
import { HomePage } from './home/HomePage';
import { WhatIfPage } from './lattice/WhatIfPage';
import { AppShell } from './layout/AppShell';
import { NotFound } from './layout/NotFound';

function Page(props: { route: Route }): React.JSX.Element {
  const { route } = props;
  switch (route.page) {
    case 'home':
      return <HomePage />;
    case 'bundle':
      return <BundlePage key={route.bundleId} bundleId={route.bundleId} tab={route.tab} />;
    case 'log':
      return <BundlePage key={route.bundleId} bundleId={route.bundleId} tab="log" logTarget={route.target} />;
    case 'fault':
      return <FaultPage key={route.faultId} faultId={route.faultId} />;
    case 'decode':
      return <DecodePage values={route.values} el={route.el} kernel={route.kernel} />;
    case 'what-if':
      return <WhatIfPage />;
    case 'not-found':
      return <NotFound what={`#${route.hash}`} />;
    default:
      return assertNever(route);
  }
}

function useOpenDefaultBundle(): void {
  useEffect(() => {
    if (window.location.hash !== '') return;
    let live = true;
    api.invoke('app:info', {}).then(
      (info) => live && window.location.hash === '' && info.defaultBundleId !== null && navigate(routes.bundle(info.defaultBundleId), true),
      () => undefined, // the home page shows why the backend cannot be reached
    );
    return () => {
      live = false;
    };
  }, []);
}

export function App(): React.JSX.Element {
  const route = useRoute();
  useOpenDefaultBundle();
  return (
    <AppShell route={route}>
      <Page route={route} />
    </AppShell>
  );
}
