// Looks a key up in the active dictionary and fills `{name}` placeholders.
import { en, type Dictionary, type MessageKey } from './en.ts';
import type { Language } from './language.ts';
import { zhCN } from './zh-CN.ts';

export type Vars = Record<string, string | number>;
export type Translate = (key: MessageKey, vars?: Vars) => string;

export const DICTIONARIES: Record<Language, Dictionary> = { en, 'zh-CN': zhCN };

export function interpolate(template: string, vars?: Vars): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

export function translator(language: Language): Translate {
  const dict = DICTIONARIES[language] ?? en;
  return (key, vars) => interpolate(dict[key] ?? en[key] ?? key, vars);
}
