// Applies the theme preference: an explicit data-theme, or none to follow the system.
import type { ThemePref } from './state/prefs-store.ts';

export function applyTheme(theme: ThemePref): void {
  const root = document.documentElement;
  if (theme === 'system') root.removeAttribute('data-theme');
  else root.setAttribute('data-theme', theme);
}
