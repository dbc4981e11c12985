// App-wide keyboard shortcuts. They never fire while the user types in a field.
//   /   focus the search field of the page (any element with data-shortcut="search")
//   ?   show or hide the shortcut help
//   d   go to the ESR decode page
//   b   go to the bundle list
import { useCallback, useEffect, useState } from 'react';
import { routes } from '../../state/route';
import { navigate } from '../../state/use-route';

function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

export function useGlobalKeys(): { helpOpen: boolean; closeHelp: () => void } {
  const [helpOpen, setHelpOpen] = useState(false);
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
      if (e.key === '/') {
        const field = document.querySelector<HTMLElement>('[data-shortcut="search"]');
        if (field) {
          e.preventDefault();
          field.focus();
        }
      } else if (e.key === '?') {
        setHelpOpen((o) => !o);
      } else if (e.key === 'Escape') {
        setHelpOpen(false);
      } else if (e.key === 'd') {
        navigate(routes.decode());
      } else if (e.key === 'b') {
        navigate(routes.home());
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  const closeHelp = useCallback(() => setHelpOpen(false), []);
  return { helpOpen, closeHelp };
}
