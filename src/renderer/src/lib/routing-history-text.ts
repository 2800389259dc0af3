// What a saved routing version changed from the one before, in the reader's language: two versions
// that hold as many rules, aliases and budgets (a price or retry edit) still read differently.
import type { RoutingHistoryEntry } from '../../../shared/routing.ts';
import type { Translate } from '../i18n/translate.ts';

export function historyChange(t: Translate, e: Pick<RoutingHistoryEntry, 'changed'>): string {
  if (e.changed === null) return t('routing.history.first');
  if (!e.changed.length) return t('routing.history.unchanged');
  return t('routing.history.changed', { sections: e.changed.map((s) => t(`routing.history.section.${s}`)).join(t('routing.history.sep')) });
}
