// The frame around every page: the header with the main places (bundles, ESR decode), the current bundle's
// name when there is one, the theme toggle and the keyboard shortcut help.
import type { ReactNode } from 'react';
import type { Route } from '../../state/route';
import { routes } from '../../state/route';
import { useTheme } from '../../state/theme';
import { ShortcutHelp } from './ShortcutHelp';
import { useGlobalKeys } from './use-global-keys';

function ThemeToggle(): React.JSX.Element {
  const { choice, theme, cycle } = useTheme();
  const label = choice === 'system' ? `Theme: system (${theme})` : `Theme: ${choice}`;
  return (
    <button type="button" className="theme-toggle" onClick={cycle} title="Switch between system, light and dark" data-testid="theme-toggle">
      {label}
    </button>
  );
}

export function AppShell(props: { route: Route; children: ReactNode }): React.JSX.Element {
  const { helpOpen, closeHelp } = useGlobalKeys();
  const page = props.route.page;
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <a className="brand" href={routes.home()}>
          Faultline
        </a>
        <nav className="app-nav" aria-label="Main">
          <a href={routes.home()} aria-current={page === 'home' ? 'page' : undefined}>
            Bundles
          </a>
          <a href={routes.decode()} aria-current={page === 'decode' ? 'page' : undefined}>
            Decode ESR
          </a>
          <a href={routes.whatIf()} aria-current={page === 'what-if' ? 'page' : undefined}>
            What if
          </a>
        </nav>
        <span className="spacer" />
        <span className="muted shortcut-hint">
          Press <kbd>?</kbd> for shortcuts
        </span>
        <ThemeToggle />
      </header>
      <main className="app-main" id="main">
        {props.children}
      </main>
      {helpOpen && <ShortcutHelp onClose={closeHelp} />}
    </div>
  );
}
