// An alert as a desktop notification, worded in the system's language with the panel's own wording
// (the engine writes alerts in English, for webhooks and logs; the panel rebuilds them per reader).
import type { Alert } from '../shared/alerts.ts';
import { pickLanguage } from '../renderer/src/i18n/language.ts';
import { translator } from '../renderer/src/i18n/translate.ts';
import { alertText } from '../renderer/src/lib/alert-text.ts';

export interface NotificationText { title: string; body: string }

/** `preferredLanguages`: the system's, most preferred first (Electron's app.getPreferredSystemLanguages()). */
export function alertNotification(alert: Alert, preferredLanguages: readonly string[]): NotificationText {
  const language = pickLanguage(preferredLanguages);
  const { title, message } = alertText(translator(language), alert, language);
  return { title: `Sluice: ${title}`, body: message };
}
