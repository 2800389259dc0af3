// Alert rule and notification forms: string fields in, typed values out, and where a server error belongs.
import { ALERT_RULE_ID, isFractionMetric, type AlertComparator, type AlertMetric, type AlertRule, type AlertSeverity } from '../../../shared/alerts.ts';

export interface AlertRuleForm {
  id: string;
  name: string;
  metric: AlertMetric;
  comparator: AlertComparator;
  threshold: string;
  forSeconds: string;
  severity: AlertSeverity;
  enabled: boolean;
}

export type RuleField = keyof AlertRuleForm;

export const EMPTY_RULE_FORM: AlertRuleForm = {
  id: '', name: '', metric: 'errorRate', comparator: '>', threshold: '', forSeconds: '60', severity: 'warning', enabled: true,
};

export function ruleToForm(r: AlertRule): AlertRuleForm {
  return { ...r, threshold: String(r.threshold), forSeconds: String(r.forSeconds) };
}

/** A name with nothing ASCII to slugify ("高吞吐"): its metric and a short hash of it, the same for the same name. */
function idForName(metric: string, name: string): string {
  let h = 0x811c9dc5;
  for (const ch of name) h = Math.imul(h ^ ch.codePointAt(0)!, 0x01000193) >>> 0;
  return `${slugify(metric)}-${h.toString(16).padStart(8, '0').slice(0, 6)}`;
}

/** A URL-safe id from a name: "High error rate!" → "high-error-rate". */
export function slugify(name: string): string {
  return name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60);
}

export type RuleProblemKind = 'required' | 'number' | 'integer' | 'idChars' | 'fraction';
export type RuleParse = { ok: true; rule: AlertRule } | { ok: false; field: RuleField; problem: RuleProblemKind };

/**
 * What the engine would refuse, said here first in the reader's language (empty, not a number, an id
 * with other characters, a rate outside 0..1, seconds outside 0..604800); anything else the engine
 * refuses is shown next to the field it names.
 */
export function formToRule(f: AlertRuleForm): RuleParse {
  const name = f.name.trim();
  if (!f.id.trim() && !name) return { ok: false, field: 'name', problem: 'required' };
  const id = f.id.trim() || slugify(name) || idForName(f.metric, name);
  if (!ALERT_RULE_ID.test(id)) return { ok: false, field: 'id', problem: 'idChars' };
  if (!f.threshold.trim()) return { ok: false, field: 'threshold', problem: 'required' };
  const threshold = Number(f.threshold);
  if (!Number.isFinite(threshold)) return { ok: false, field: 'threshold', problem: 'number' };
  if (isFractionMetric(f.metric) && (threshold < 0 || threshold > 1)) return { ok: false, field: 'threshold', problem: 'fraction' };
  const forSeconds = f.forSeconds.trim() === '' ? 0 : Number(f.forSeconds);
  if (!Number.isInteger(forSeconds) || forSeconds < 0 || forSeconds > 604_800) return { ok: false, field: 'forSeconds', problem: 'integer' };
  const rule: AlertRule = { id, name: f.name.trim() || id, metric: f.metric, comparator: f.comparator, threshold, forSeconds, severity: f.severity, enabled: f.enabled };
  return { ok: true, rule };
}

const RULE_FIELDS: readonly RuleField[] = ['id', 'name', 'metric', 'comparator', 'threshold', 'forSeconds', 'severity', 'enabled'];

/** The form field a 400's `param` (e.g. `rule.threshold`, `alerts.rules[2].forSeconds`) points at. */
export function fieldFromParam<F extends string>(param: string | null | undefined, fields: readonly F[]): F | null {
  if (!param) return null;
  const last = param.split(/[.[\]]+/).filter(Boolean).pop() ?? '';
  return (fields as readonly string[]).includes(last) ? (last as F) : null;
}

export const ruleFieldFromParam = (param: string | null | undefined): RuleField | null => fieldFromParam(param, RULE_FIELDS);

/** The engine's message without the path it starts with ("rule.threshold: must be…" → "must be…"). */
export function problemText(message: string, param: string | null | undefined): string {
  if (param && message.startsWith(`${param}: `)) return message.slice(param.length + 2);
  return message;
}

/** "Name: value" lines → headers; returns the first bad line number (1-based) instead when one has no colon. */
export function parseHeaders(text: string): { ok: true; headers: Record<string, string> } | { ok: false; line: number } {
  const headers: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    const colon = line.indexOf(':');
    if (colon <= 0) return { ok: false, line: i + 1 };
    headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return { ok: true, headers };
}

export function formatHeaders(headers: Record<string, string>): string {
  return Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\n');
}
