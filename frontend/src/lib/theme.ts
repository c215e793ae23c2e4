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

/** Sets data-theme on root for the preference and keeps it current; returns a function that stops following the system. */
export function applyTheme(root: HTMLElement, setting: Theme, media: MediaQueryList | undefined): () => void {
  const apply = () => {
    root.dataset['theme'] = resolveTheme(setting, media?.matches ?? false);
  };
  apply();
  if (setting !== 'system' || !media) return () => {};
  media.addEventListener('change', apply);
  return () => media.removeEventListener('change', apply);
}
