// Light and dark themes: follow the system (prefers-color-scheme) unless the user picked one with the toggle;
// the choice is kept in localStorage and applied as data-theme on <html>, which styles.css keys on.
import { useCallback, useEffect, useState } from 'react';

export type ThemeChoice = 'system' | 'light' | 'dark';
const KEY = 'faultline.theme';
const CYCLE: Readonly<Record<ThemeChoice, ThemeChoice>> = { system: 'light', light: 'dark', dark: 'system' };

function readChoice(): ThemeChoice {
  const v = localStorage.getItem(KEY);
  return v === 'light' || v === 'dark' ? v : 'system';
}

function systemDark(): boolean {
  return window.matchMedia('(prefers-color-scheme: dark)').matches;
}

export function effectiveTheme(choice: ThemeChoice, prefersDark: boolean): 'light' | 'dark' {
  if (choice === 'system') return prefersDark ? 'dark' : 'light';
  return choice;
}

export function useTheme(): { choice: ThemeChoice; theme: 'light' | 'dark'; cycle: () => void } {
  const [choice, setChoice] = useState<ThemeChoice>(readChoice);
  const [prefersDark, setPrefersDark] = useState<boolean>(systemDark);

  useEffect(() => {
    const mq = window.matchMedia('(prefers-color-scheme: dark)');
    const onChange = (): void => setPrefersDark(mq.matches);
    mq.addEventListener('change', onChange);
    return () => mq.removeEventListener('change', onChange);
  }, []);

  const theme = effectiveTheme(choice, prefersDark);
  useEffect(() => {
    document.documentElement.dataset['theme'] = theme;
  }, [theme]);

  const cycle = useCallback(() => {
    setChoice((c) => {
      const next = CYCLE[c];
      if (next === 'system') localStorage.removeItem(KEY);
      else localStorage.setItem(KEY, next);
      return next;
    });
  }, []);
  return { choice, theme, cycle };
}
