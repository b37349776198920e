import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { loadTheme, saveTheme } from './persist.ts';
import type { ThemeChoice } from './persist.ts';

const QUERY = '(prefers-color-scheme: dark)';

function subscribe(onChange: () => void): () => void {
  const media = matchMedia(QUERY);
  media.addEventListener('change', onChange);
  return () => media.removeEventListener('change', onChange);
}

const systemIsDark = (): boolean => matchMedia(QUERY).matches;

/**
 * Light or dark: the system's choice unless the user picked one. The choice is kept in
 * localStorage and set on <html data-theme>, which app.css follows.
 */
export function useTheme(): {
  choice: ThemeChoice;
  dark: boolean;
  setChoice: (c: ThemeChoice) => void;
} {
  const [choice, setChoiceState] = useState<ThemeChoice>(loadTheme);
  const systemDark = useSyncExternalStore(subscribe, systemIsDark);
  const dark = choice === 'system' ? systemDark : choice === 'dark';

  useEffect(() => {
    const root = document.documentElement;
    if (choice === 'system') delete root.dataset.theme;
    else root.dataset.theme = choice;
  }, [choice]);

  const setChoice = useCallback((next: ThemeChoice) => {
    setChoiceState(next);
    saveTheme(next);
  }, []);
  return { choice, dark, setChoice };
}
