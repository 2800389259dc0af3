// The `alerts` config section and the notification settings: validated with field paths
// (`alerts.rules[2].threshold`), defaults filled in, turned into AlertWatch options.
import { isObj } from '../../shared/is-obj.ts';
import {
  ALERT_SEVERITIES, DEFAULT_ALERT_NOTIFICATIONS, type AlertMetric, type AlertNotificationSettings, type AlertRule, type AnomalyTuning,
} from '../../shared/alerts.ts';
import type { AnomalyDetectorOptions } from './anomaly-detector.ts';
import { AlertRuleError, validateAlertRules } from './alert-rules.ts';
import { DEFAULT_DETECTORS } from './alert-watch.ts';
import type { RunawayDetectorOptions } from './runaway-detector.ts';

export interface ResolvedAlertsConfig {
  enabled: boolean;
  rules: AlertRule[];
  notifications: AlertNotificationSettings;
  webhook: { maxAttempts?: number; baseDelayMs?: number; timeoutMs?: number };
  detectors: Partial<Record<AlertMetric, AnomalyDetectorOptions | false>>;
  minRequests: number | undefined;
  runaway: RunawayDetectorOptions | false;
  retentionMs: number;
}

const fail = (path: string, problem: string): never => { throw new AlertRuleError(path, problem); };

/** A setting above 0 and, with `max`, at most `max` (a timer's delay, a count a detector keeps). */
function positiveNumber(v: unknown, path: string, integer = false, max = Number.MAX_VALUE): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || v > max || (integer && !Number.isInteger(v))) {
    fail(path, `must be a positive ${integer ? 'whole number' : 'number'}${max < Number.MAX_VALUE ? ` up to ${max}` : ''}`);
  }
  return v as number;
}

/** Samples (seconds) an anomaly detector keeps as its baseline: warm-up cannot ask for more. */
const BASELINE_SAMPLES = 600;

function only(o: Record<string, unknown>, keys: string[], path: string): void {
  for (const k of Object.keys(o)) if (!keys.includes(k)) fail(`${path}.${k}`, `is not a known setting (known: ${keys.join(', ')})`);
}

export function validateNotificationSettings(input: unknown, path = 'notifications', base = DEFAULT_ALERT_NOTIFICATIONS): AlertNotificationSettings {
  if (!isObj(input)) return fail(path, 'must be an object');
  only(input, ['webhookUrl', 'webhookHeaders', 'minSeverity', 'notifyResolved', 'desktop'], path);
  const out: AlertNotificationSettings = { ...base, webhookHeaders: { ...base.webhookHeaders } };
  if (input.webhookUrl !== undefined) {
    const u = input.webhookUrl;
    if (u === null || u === '') out.webhookUrl = null;
    else {
      if (typeof u !== 'string') return fail(`${path}.webhookUrl`, 'must be an http(s) URL or null');
      let url: URL | null = null;
      try { url = new URL(u); } catch { /* reported below */ }
      if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) return fail(`${path}.webhookUrl`, 'must be an absolute http:// or https:// URL');
      out.webhookUrl = u;
    }
  }
  if (input.webhookHeaders !== undefined) {
    if (!isObj(input.webhookHeaders)) return fail(`${path}.webhookHeaders`, 'must be an object of header names to strings');
    for (const [k, v] of Object.entries(input.webhookHeaders)) {
      if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(k)) fail(`${path}.webhookHeaders.${k}`, 'is not a valid header name');
      if (typeof v !== 'string' || /[\r\n]/.test(v)) fail(`${path}.webhookHeaders.${k}`, 'must be a single-line string');
    }
    out.webhookHeaders = { ...(input.webhookHeaders as Record<string, string>) };
  }
  if (input.minSeverity !== undefined) {
    if (!(ALERT_SEVERITIES as readonly unknown[]).includes(input.minSeverity)) fail(`${path}.minSeverity`, `must be one of ${ALERT_SEVERITIES.join(', ')}`);
    out.minSeverity = input.minSeverity as AlertNotificationSettings['minSeverity'];
  }
  if (input.notifyResolved !== undefined) {
    if (typeof input.notifyResolved !== 'boolean') fail(`${path}.notifyResolved`, 'must be true or false');
    out.notifyResolved = input.notifyResolved as boolean;
  }
  if (input.desktop !== undefined) {
    if (typeof input.desktop !== 'boolean') fail(`${path}.desktop`, 'must be true or false');
    out.desktop = input.desktop as boolean;
  }
  return out;
}

function tuning(metric: string, t: unknown, path: string): AnomalyDetectorOptions | false {
  const base = DEFAULT_DETECTORS[metric as AlertMetric];
  if (!base) return fail(path, `has no anomaly detector (detected: ${Object.keys(DEFAULT_DETECTORS).join(', ')})`);
  if (t === false) return false;
  if (!isObj(t)) return fail(path, 'must be an object or false');
  only(t, ['warmupSamples', 'spikeThreshold', 'spikeSamples', 'clearSamples', 'minScale'], path);
  const o = t as AnomalyTuning;
  const out: AnomalyDetectorOptions = { ...base };
  for (const k of ['warmupSamples', 'spikeSamples', 'clearSamples'] as const) {
    const v = positiveNumber(o[k], `${path}.${k}`, true, k === 'warmupSamples' ? BASELINE_SAMPLES : 3600);
    if (v !== undefined) out[k] = v;
  }
  for (const k of ['spikeThreshold', 'minScale'] as const) { const v = positiveNumber(o[k], `${path}.${k}`); if (v !== undefined) out[k] = v; }
  // the detector keeps this many samples (120 for spend, whose samples are blocks of seconds)
  const kept = out.baselineSize ?? 600;
  if ((out.warmupSamples ?? 0) > kept) fail(`${path}.warmupSamples`, `must be at most ${kept}, the samples its baseline keeps`);
  return out;
}

/** Validate `config.alerts` (absent: defaults). Throws AlertRuleError naming the offending path. */
export function resolveAlertsConfig(raw: unknown, path = 'alerts'): ResolvedAlertsConfig {
  const a = raw === undefined || raw === null ? {} : raw;
  if (!isObj(a)) return fail(path, 'must be an object');
  only(a, ['enabled', 'rules', 'webhookUrl', 'notifications', 'webhook', 'detectors', 'minRequests', 'runaway', 'retentionDays'], path);
  if (a.enabled !== undefined && typeof a.enabled !== 'boolean') fail(`${path}.enabled`, 'must be true or false');
  const rules = a.rules === undefined ? [] : validateAlertRules(a.rules, `${path}.rules`);
  let notifications = a.notifications === undefined ? { ...DEFAULT_ALERT_NOTIFICATIONS } : validateNotificationSettings(a.notifications, `${path}.notifications`);
  if (a.webhookUrl !== undefined) {
    // a shorthand beside the long form: which one was meant cannot be told, so neither wins silently
    const long = isObj(a.notifications) ? a.notifications.webhookUrl : undefined;
    // (a long form left at its default, null, is not a URL of its own)
    if (long && a.webhookUrl && long !== a.webhookUrl) {
      fail(`${path}.webhookUrl`, `is shorthand for ${path}.notifications.webhookUrl, which the file sets too, to another URL: keep one of them`);
    }
    notifications = validateNotificationSettings({ webhookUrl: a.webhookUrl }, path, notifications);
  }
  const webhook: ResolvedAlertsConfig['webhook'] = {};
  if (a.webhook !== undefined) {
    if (!isObj(a.webhook)) fail(`${path}.webhook`, 'must be an object');
    const w = a.webhook as Record<string, unknown>;
    only(w, ['maxAttempts', 'baseDelayMs', 'timeoutMs'], `${path}.webhook`);
    webhook.maxAttempts = positiveNumber(w.maxAttempts, `${path}.webhook.maxAttempts`, true, 100);
    webhook.baseDelayMs = positiveNumber(w.baseDelayMs, `${path}.webhook.baseDelayMs`, false, 3_600_000);
    webhook.timeoutMs = positiveNumber(w.timeoutMs, `${path}.webhook.timeoutMs`, false, 3_600_000);
  }
  const detectors: ResolvedAlertsConfig['detectors'] = {};
  if (a.detectors !== undefined) {
    if (!isObj(a.detectors)) fail(`${path}.detectors`, 'must be an object');
    for (const [metric, t] of Object.entries(a.detectors as Record<string, unknown>)) detectors[metric as AlertMetric] = tuning(metric, t, `${path}.detectors.${metric}`);
  }
  let runaway: RunawayDetectorOptions | false = {};
  if (a.runaway === false) runaway = false;
  else if (a.runaway !== undefined) {
    if (!isObj(a.runaway)) fail(`${path}.runaway`, 'must be an object or false');
    const r = a.runaway as Record<string, unknown>;
    only(r, ['windowSeconds', 'minRepeats', 'factor'], `${path}.runaway`);
    const w = positiveNumber(r.windowSeconds, `${path}.runaway.windowSeconds`, false, 86_400);
    if (w !== undefined && w < 0.1) fail(`${path}.runaway.windowSeconds`, 'must be at least 0.1');
    const minRepeats = positiveNumber(r.minRepeats, `${path}.runaway.minRepeats`, true);
    if (minRepeats !== undefined && minRepeats < 2) fail(`${path}.runaway.minRepeats`, 'must be at least 2');
    const factor = positiveNumber(r.factor, `${path}.runaway.factor`);
    if (factor !== undefined && factor < 1) fail(`${path}.runaway.factor`, 'must be at least 1');
    runaway = { ...(w !== undefined ? { windowMs: w * 1000 } : {}), ...(minRepeats !== undefined ? { minRepeats } : {}), ...(factor !== undefined ? { factor } : {}) };
  }
  const days = positiveNumber(a.retentionDays, `${path}.retentionDays`, false, 36_500) ?? 90;
  return {
    enabled: a.enabled !== false,
    rules,
    notifications,
    webhook,
    detectors,
    minRequests: positiveNumber(a.minRequests, `${path}.minRequests`, true),
    runaway,
    retentionMs: days * 86_400_000,
  };
}
