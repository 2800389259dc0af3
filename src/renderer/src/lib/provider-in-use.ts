// A provider's deletion refused because routing still names it (409 provider_in_use), in the reader's
// language: each alias, rule, budget or `auto` class that does, from the issues the engine sends with it
// (code: what names it; vars.name: its name).
import { AdminApiError } from '../api/admin-api-error.ts';
import type { MessageKey } from '../i18n/en.ts';
import type { Translate } from '../i18n/translate.ts';

const USE_KEYS: Record<string, MessageKey> = {
  alias: 'set.providers.use.alias',
  rule: 'set.providers.use.rule',
  budget: 'set.providers.use.budget',
  class: 'set.providers.use.class',
};

/** The refusal in words, or null when `err` is another error (the caller says that one as it is). */
export function providerInUseWords(t: Translate, language: string, id: string, err: unknown): string | null {
  if (!(err instanceof AdminApiError) || err.code !== 'provider_in_use' || !err.issues?.length) return null;
  const uses = [...new Set(err.issues.map((i) => {
    const key = i.code ? USE_KEYS[i.code] : undefined;
    return key ? t(key, { name: String(i.vars?.name ?? '') }) : i.message;
  }))];
  return t('set.providers.inUse', { id, uses: new Intl.ListFormat(language, { type: 'conjunction' }).format(uses) });
}
