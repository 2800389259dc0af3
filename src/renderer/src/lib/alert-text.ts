// An alert's title and message in the reader's language. The engine writes both in English (for
// webhooks, logs and desktop notifications); the panel rebuilds them from the alert's kind and
// figures, and falls back to the engine's text for a kind or a shape it does not know. An open alert
// ends with what to do (src/engine/alerts/next-steps.ts words the same steps for the engine).
import { ANOMALY_BAD_DIRECTION, isAlertMetric, isFractionMetric, type Alert, type AlertMetric } from '../../../shared/alerts.ts';
import type { MessageKey } from '../i18n/en.ts';
import type { Translate } from '../i18n/translate.ts';
import { formatDateTime, formatUsd } from './format.ts';

export interface AlertText { title: string; message: string }

/** A kind's words, and what to do about it (said while the alert is open). */
interface KindText extends AlertText { next?: string }

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** A metric's value with its unit, as the anomaly detectors and rules measure it. */
export function formatMetricValue(metric: AlertMetric, v: number): string {
  if (isFractionMetric(metric)) return `${(v * 100).toFixed(1)} %`;
  // small values keep three significant digits: a threshold of 0.05 req/s must not read as 0.1
  const short = (x: number) => (Math.abs(x) >= 100 ? String(Math.round(x)) : String(Number(x.toPrecision(3))));
  if (metric.endsWith('Ms')) return `${short(v)} ms`;
  if (metric === 'throughput.rps') return `${short(v)} req/s`;
  if (metric === 'spend.usdPerHour') return `${formatUsd(v, 3)}/h`;
  return String(Number(v.toPrecision(4)));
}

const KINDS = ['anomaly', 'rule', 'runaway', 'upstream-outage', 'cache-rebuilt', 'budget', 'storage'] as const;

/** Where an alert came from, in the reader's language; a kind the panel does not know is shown as it is. */
export function kindLabel(t: Translate, kind: string): string {
  return (KINDS as readonly string[]).includes(kind) ? t(`alerts.kind.${kind as (typeof KINDS)[number]}`) : kind;
}

const metricName = (t: Translate, m: AlertMetric) => t(`alerts.metricName.${m}` as MessageKey);

/** A metric's name in the reader's language ("吞吐量"); an unknown one as it is. */
export const metricLabel = (t: Translate, m: string) => (isAlertMetric(m) ? metricName(t, m) : m);

/**
 * A rule's name: as its author wrote it, or, when it is the name the engine gives a rule saved without
 * one (`cache.hitRate < 0.4 for 300 s`, src/engine/alerts/alert-rules.ts), its condition in the reader's language.
 */
export function ruleName(t: Translate, r: { name: string; metric: unknown; comparator: unknown; threshold: unknown; forSeconds?: unknown }): string {
  const seconds = typeof r.forSeconds === 'number' ? r.forSeconds : 0;
  const engineName = `${String(r.metric)} ${String(r.comparator)} ${String(r.threshold)}${seconds ? ` for ${seconds} s` : ''}`;
  if (r.name !== engineName || !isAlertMetric(r.metric) || typeof r.threshold !== 'number') return r.name;
  return t('alerts.rules.condition', { metric: metricName(t, r.metric), comparator: String(r.comparator), threshold: formatMetricValue(r.metric, r.threshold), seconds });
}

export function alertText(t: Translate, a: Alert, language: string): AlertText {
  const { next, ...text } = kindText(t, a, language);
  // an open alert ends with what to do; a resolved one has nothing left to do
  if (a.resolvedAt === null) return next ? { ...text, message: t('alerts.text.withNext', { message: text.message, next }) } : text;
  // closed by the engine at start rather than by its condition clearing: say why
  const by = a.figures?.resolvedBy;
  if (by === 'restart' || by === 'disabled') return { ...text, message: t(`alerts.text.resolvedBy.${by}`, { message: text.message }) };
  return text;
}

const metricNext = (t: Translate, m: AlertMetric) => t(`alerts.next.metric.${m}` as MessageKey);

function kindText(t: Translate, a: Alert, language: string): KindText {
  const f = a.figures ?? {};
  const fallback = { title: a.title, message: a.message };
  switch (a.kind) {
    case 'anomaly': {
      const metric = f.metric ?? a.key;
      const value = num(f.value);
      const limit = num(f.limit);
      // above a fixed limit (the error rate health calls degraded): no baseline to name
      if (f.reason === 'limit' && isAlertMetric(metric) && value !== null && limit !== null) {
        const vars = { metric: metricName(t, metric), value: formatMetricValue(metric, value), limit: formatMetricValue(metric, limit) };
        return { title: t('alerts.text.anomaly.title.limit', vars), message: t('alerts.text.anomaly.limit', vars), next: metricNext(t, metric) };
      }
      const baseline = num(f.baseline);
      if (!isAlertMetric(metric) || value === null || baseline === null) return fallback;
      const direction = ANOMALY_BAD_DIRECTION[metric] ?? (value >= baseline ? 'high' : 'low');
      return {
        title: t(`alerts.text.anomaly.title.${direction}`, { metric: metricName(t, metric) }),
        message: t(f.reason === 'spike' ? 'alerts.text.anomaly.spike' : 'alerts.text.anomaly.drift', {
          metric: metricName(t, metric), value: formatMetricValue(metric, value), baseline: formatMetricValue(metric, baseline),
        }),
        next: metricNext(t, metric),
      };
    }
    case 'rule': {
      const value = num(f.value);
      const threshold = num(f.threshold);
      const since = num(f.since);
      // a resolved rule may have no value (the metric went quiet): still worded, with a dash
      if (!isAlertMetric(f.metric) || threshold === null || since === null || typeof f.comparator !== 'string') return fallback;
      return {
        title: ruleName(t, { name: a.title, metric: f.metric, comparator: f.comparator, threshold, forSeconds: f.forSeconds }), // as its author named it
        message: t('alerts.text.rule', {
          metric: metricName(t, f.metric), value: value === null ? '—' : formatMetricValue(f.metric, value), comparator: f.comparator,
          threshold: formatMetricValue(f.metric, threshold), since: formatDateTime(since, language),
        }),
        next: metricNext(t, f.metric),
      };
    }
    case 'runaway': {
      const client = str(f.client);
      const count = num(f.count);
      const seconds = num(f.windowSeconds);
      const usual = num(f.usual);
      // one alert per client; `prompts` is absent from alerts stored before it was
      const prompts = num(f.prompts) ?? 1;
      if (client === null || count === null || seconds === null || usual === null) return fallback;
      const vars = { client, count, seconds, usual: Math.round(usual * 2) };
      // "usually at most 0" said nothing: a client seen for the first time has no usual rate yet
      const fresh = vars.usual === 0;
      return {
        title: t('alerts.text.runaway.title', { client }),
        message: prompts > 1
          ? t(fresh ? 'alerts.text.runaway.many.new' : 'alerts.text.runaway.many', { ...vars, prompts })
          : t(fresh ? 'alerts.text.runaway.new' : 'alerts.text.runaway', vars),
        next: t('alerts.next.runaway', { client }),
      };
    }
    case 'upstream-outage': {
      const target = str(f.target) ?? a.key;
      const status = num(f.lastStatus);
      const said = typeof f.lastUpstreamMessage === 'string' ? f.lastUpstreamMessage : null;
      // an HTTP error carries its status and the upstream's words apart: Sluice's sentence around them in the reader's language
      const lastError = status !== null && said !== null
        ? t('alerts.text.upstreamAnswered', { provider: target.split('/')[0], status, message: said })
        : str(f.lastError);
      return {
        title: t('alerts.text.outage.title', { target }),
        message: lastError ? t('alerts.text.outage.after', { target, error: lastError }) : t('alerts.text.outage', { target }),
        next: t('alerts.next.outage', { provider: target.split('/')[0] }),
      };
    }
    case 'cache-rebuilt':
      return { title: t('alerts.text.cacheRebuilt.title'), message: t('alerts.text.cacheRebuilt', { reason: str(f.reason) ?? '—' }), next: t('alerts.next.cacheRebuilt') };
    case 'budget': {
      const exhausted = f.level === 'exhausted' || (f.level === undefined && a.severity === 'critical');
      return exhausted
        ? { title: t('alerts.text.budget.exhausted.title', { budget: a.key }), message: t('alerts.text.budget.exhausted', { budget: a.key }), next: t('alerts.next.budget.exhausted') }
        : { title: t('alerts.text.budget.near.title', { budget: a.key }), message: t('alerts.text.budget.near', { budget: a.key }), next: t('alerts.next.budget.near') };
    }
    case 'storage':
      return {
        title: t(f.error === 'SQLITE_FULL' ? 'alerts.text.storage.full.title' : 'alerts.text.storage.title'),
        message: t('alerts.text.storage'),
        next: t(f.error === 'SQLITE_FULL' ? 'alerts.next.storage.full' : 'alerts.next.storage'),
      };
    default:
      return fallback;
  }
}
