// Applies the theme preference to the document: "light" and "dark" are used
// as they are, "system" follows the OS colour scheme and its later changes.
import type { Theme } from '../bridge/types';

/** The theme actually drawn. */
export type AppliedTheme = 'light' | 'dark';

/** Resolves a preference against the system's dark-mode flag. */
export function resolveTheme(setting: Theme, systemPrefersDark: boolean): AppliedTheme {
  if (setting === 'system') return systemPrefersDark ? 'dark' : 'light';
  return setting;
}

/** The localStorage key of the theme drawn last, which index.html applies before the first frame. */
export const themeKey = 'kurier.theme';

/** Sets data-theme on root for the preference and keeps it current; returns a function that stops following the system. */
export function applyTheme(root: HTMLElement, setting: Theme, media: MediaQueryList | undefined): () => void {
  const apply = () => {
    const theme = resolveTheme(setting, media?.matches ?? false);
    root.dataset['theme'] = theme;
    try {
      localStorage.setItem(themeKey, theme);
    } catch {
      // No storage (a private window): the next start may flash once.
    }
  };
  apply();
  if (setting !== 'system' || !media) return () => {};
  media.addEventListener('change', apply);
  return () => media.removeEventListener('change', apply);
}
