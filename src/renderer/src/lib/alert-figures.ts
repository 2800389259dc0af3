// The figures behind an alert (src/engine/alerts: rules, anomalies, runaway loops, outages, budgets) as a reader
// sees them: known keys labelled in their language, times as local dates, other numbers to four digits.
import type { Alert } from '../../../shared/alerts.ts';
import type { MessageKey } from '../i18n/en.ts';
import type { Translate } from '../i18n/translate.ts';
import { metricLabel } from './alert-text.ts';
import { formatDateTime } from './format.ts';

export const FIGURE_KEYS = [
  'metric', 'value', 'threshold', 'comparator', 'forSeconds', 'since', 'baseline', 'scale', 'z', 'reason',
  'target', 'failures', 'lastError', 'lastStatus', 'lastUpstreamMessage', 'entriesLost', 'client', 'fingerprint', 'count', 'windowSeconds', 'usual',
  'budget', 'level', 'used', 'limit', 'unit', 'windowStart', 'resetsAt', 'prompts', 'resolvedBy', 'resolvedValue', 'file', 'error',
] as const;
type FigureKey = (typeof FIGURE_KEYS)[number];

const isFigureKey = (key: string): key is FigureKey => (FIGURE_KEYS as readonly string[]).includes(key);

/** The reader's label of a figure; a key the panel does not know is shown as it is. */
export function figureLabel(t: Translate, key: string): string {
  return isFigureKey(key) ? t(`alerts.figure.${key}` as const) : key;
}

/**
 * The figures a reader sees, in order. An outage's `lastError` is Sluice's English sentence around the
 * upstream's words: when the status and those words came apart (`lastStatus`, `lastUpstreamMessage`),
 * they are shown instead, and the message words Sluice's part in the reader's language.
 */
export function shownFigures(figures: Alert['figures']): Array<[string, number | string | null]> {
  const split = typeof figures.lastStatus === 'number' && typeof figures.lastUpstreamMessage === 'string';
  return Object.entries(figures).filter(([k]) => !(split && k === 'lastError'));
}

/** A key that names a moment (`since`, `ts`, `windowStart`, `resetsAt`, `openedAt`, …) with epoch milliseconds between 2001 and 2286. */
export function isTimeFigure(key: string, value: number): boolean {
  return /^(?:since|ts|time|timestamp)$|(?:At|Start|End|Since|Time|Timestamp)$/.test(key) && value > 1e12 && value < 1e13;
}

/** Words the engine puts in figures (a budget's level and unit, an anomaly's reason), in the reader's language. */
const FIGURE_WORDS = {
  level: ['threshold', 'exhausted'], reason: ['spike', 'drift', 'limit'], unit: ['usd', 'tokens'], resolvedBy: ['restart', 'disabled'],
} as const;
type WordKey = keyof typeof FIGURE_WORDS;

export function formatFigure(key: string, value: number | string | null, language: string, t?: Translate): string {
  if (value === null) return '—';
  if (typeof value === 'string') {
    if (key === 'metric' && t) return metricLabel(t, value);
    const words = (FIGURE_WORDS as Record<string, readonly string[]>)[key];
    return t && words?.includes(value) ? t(`alerts.figureWord.${key as WordKey}.${value}` as MessageKey) : value;
  }
  if (isTimeFigure(key, value)) return formatDateTime(value, language);
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
}
