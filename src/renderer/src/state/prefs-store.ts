// Panel preferences slice: theme and language, persisted in localStorage.
import { createStore, type StoreApi } from 'zustand/vanilla';
import { pickLanguage, type Language } from '../i18n/language.ts';

export type ThemePref = 'system' | 'light' | 'dark';

export interface PrefsState {
  theme: ThemePref;
  language: Language;
  setTheme(t: ThemePref): void;
  setLanguage(l: Language): void;
}

export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export const THEME_KEY = 'sluice.theme';
export const LANGUAGE_KEY = 'sluice.language';

export function createPrefsStore(storage: KeyValueStorage | null, systemLanguages: readonly string[]): StoreApi<PrefsState> {
  const read = (k: string) => {
    try { return storage?.getItem(k) ?? null; } catch { return null; }
  };
  const write = (k: string, v: string) => {
    try { storage?.setItem(k, v); } catch { /* private mode: keep it in memory */ }
  };
  const savedTheme = read(THEME_KEY);
  const theme: ThemePref = savedTheme === 'light' || savedTheme === 'dark' ? savedTheme : 'system';
  const savedLang = read(LANGUAGE_KEY);
  const language = pickLanguage(savedLang ? [savedLang, ...systemLanguages] : systemLanguages);
  return createStore<PrefsState>()((set) => ({
    theme,
    language,
    setTheme: (t) => { write(THEME_KEY, t); set({ theme: t }); },
    setLanguage: (l) => { write(LANGUAGE_KEY, l); set({ language: l }); },
  }));
}
