// Looks a key up in the active dictionary and fills `{name}` placeholders and `{name, plural, …}` choices.
import { en, type Dictionary, type MessageKey } from './en.ts';
import type { Language } from './language.ts';
import { zhCN } from './zh-CN.ts';

export type Vars = Record<string, string | number>;
export type Translate = (key: MessageKey, vars?: Vars) => string;

export const DICTIONARIES: Record<Language, Dictionary> = { en, 'zh-CN': zhCN };

/** `{n, plural, one {# rule} other {# rules}}` (ICU's plural, one level deep): `#` is the number. */
const PLURAL = /\{(\w+), plural,((?:\s*(?:=\d+|zero|one|two|few|many|other)\s*\{[^{}]*\})+)\s*\}/g;
const PLURAL_CASE = /(=\d+|zero|one|two|few|many|other)\s*\{([^{}]*)\}/g;

function choosePlural(n: number, cases: string, language: string): string | null {
  const forms = new Map([...cases.matchAll(PLURAL_CASE)].map((m) => [m[1], m[2]]));
  const form = forms.get(`=${n}`) ?? forms.get(new Intl.PluralRules(language).select(n)) ?? forms.get('other');
  return form === undefined ? null : form.replace(/#/g, String(n));
}

export function interpolate(template: string, vars?: Vars, language = 'en'): string {
  if (!vars) return template;
  return template
    .replace(PLURAL, (m, name: string, cases: string) => {
      const n = vars[name];
      return typeof n === 'number' ? (choosePlural(n, cases, language) ?? m) : m;
    })
    .replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

export function translator(language: Language): Translate {
  const dict = DICTIONARIES[language] ?? en;
  return (key, vars) => interpolate(dict[key] ?? en[key] ?? key, vars, dict[key] ? language : 'en');
}
