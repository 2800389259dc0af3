// Languages of the panel and how the first one is chosen from the system's preferences.

export const LANGUAGES = ['en', 'zh-CN'] as const;
export type Language = (typeof LANGUAGES)[number];

/** First supported language in the preference list (`navigator.languages`); English otherwise. */
export function pickLanguage(preferred: readonly string[]): Language {
  for (const raw of preferred) {
    const tag = raw.toLowerCase();
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
    if (tag === 'zh' || tag.startsWith('zh-')) return 'zh-CN';
  }
  return 'en';
}
