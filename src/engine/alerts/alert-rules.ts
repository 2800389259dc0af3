// Rules a person writes ("cache.hitRate < 0.4 for 300 s"): validation with field-path errors, and
// an evaluator that opens when the condition has held for the rule's duration and clears when it stops.
import { ALERT_COMPARATORS, ALERT_METRICS, ALERT_RULE_ID, ALERT_SEVERITIES, isAlertMetric, isFractionMetric, type AlertComparator, type AlertRule } from '../../shared/alerts.ts';
import { BadRequestError } from '../errors.ts';
import type { SeriesValues } from './series-window.ts';

export class AlertRuleError extends BadRequestError {
  /** Where the problem is, e.g. `alerts.rules[2].threshold`. */
  readonly path: string;
  constructor(path: string, problem: string) {
    super(`${path}: ${problem}`, path, 'SLUICE_INVALID_ALERT_RULE');
    this.path = path;
  }
}

const FIELDS = new Set(['id', 'name', 'metric', 'comparator', 'threshold', 'forSeconds', 'severity', 'enabled']);

export function validateAlertRule(input: unknown, path = 'rule'): AlertRule {
  if (!input || typeof input !== 'object' || Array.isArray(input)) throw new AlertRuleError(path, 'must be an object');
  const r = input as Record<string, unknown>;
  for (const k of Object.keys(r)) if (!FIELDS.has(k)) throw new AlertRuleError(`${path}.${k}`, 'is not a rule field');
  const str = (k: string, required: boolean): string | undefined => {
    const v = r[k];
    if (v === undefined && !required) return undefined;
    if (typeof v !== 'string' || v.trim() === '') throw new AlertRuleError(`${path}.${k}`, 'must be a non-empty string');
    if (v.length > 200) throw new AlertRuleError(`${path}.${k}`, 'must be at most 200 characters');
    return v;
  };
  const id = str('id', true)!;
  if (!ALERT_RULE_ID.test(id)) throw new AlertRuleError(`${path}.id`, 'may only contain letters, digits, "_", "." and "-"');
  const metric = str('metric', true)!;
  if (!isAlertMetric(metric)) throw new AlertRuleError(`${path}.metric`, `must be one of ${ALERT_METRICS.join(', ')}`);
  const comparator = str('comparator', true)!;
  if (!(ALERT_COMPARATORS as readonly string[]).includes(comparator)) throw new AlertRuleError(`${path}.comparator`, `must be one of ${ALERT_COMPARATORS.join(' ')}`);
  const threshold = r.threshold;
  if (typeof threshold !== 'number' || !Number.isFinite(threshold)) throw new AlertRuleError(`${path}.threshold`, 'must be a finite number');
  if (isFractionMetric(metric) && (threshold < 0 || threshold > 1)) {
    throw new AlertRuleError(`${path}.threshold`, `is a fraction for ${metric}: use 0..1 (e.g. 0.4 for 40 %)`);
  }
  const forSeconds = r.forSeconds ?? 0;
  if (typeof forSeconds !== 'number' || !Number.isInteger(forSeconds) || forSeconds < 0 || forSeconds > 7 * 86_400) {
    throw new AlertRuleError(`${path}.forSeconds`, 'must be a whole number of seconds from 0 to 604800');
  }
  const severity = r.severity ?? 'warning';
  if (typeof severity !== 'string' || !(ALERT_SEVERITIES as readonly string[]).includes(severity)) throw new AlertRuleError(`${path}.severity`, `must be one of ${ALERT_SEVERITIES.join(', ')}`);
  const enabled = r.enabled ?? true;
  if (typeof enabled !== 'boolean') throw new AlertRuleError(`${path}.enabled`, 'must be true or false');
  return {
    id,
    name: str('name', false) ?? `${metric} ${comparator} ${threshold}${forSeconds ? ` for ${forSeconds} s` : ''}`,
    metric: metric as AlertRule['metric'],
    comparator: comparator as AlertComparator,
    threshold,
    forSeconds,
    severity: severity as AlertRule['severity'],
    enabled,
  };
}

export function validateAlertRules(input: unknown, path = 'rules'): AlertRule[] {
  if (!Array.isArray(input)) throw new AlertRuleError(path, 'must be an array');
  const seen = new Set<string>();
  return input.map((r, i) => {
    const rule = validateAlertRule(r, `${path}[${i}]`);
    if (seen.has(rule.id)) throw new AlertRuleError(`${path}[${i}].id`, `duplicates the id '${rule.id}'`);
    seen.add(rule.id);
    return rule;
  });
}

export function compare(value: number, comparator: AlertComparator, threshold: number): boolean {
  switch (comparator) {
    case '>': return value > threshold;
    case '>=': return value >= threshold;
    case '<': return value < threshold;
    case '<=': return value <= threshold;
  }
}

export interface RuleTransition {
  rule: AlertRule;
  type: 'fire' | 'clear';
  value: number | null;
  /** When the condition started holding. */
  since: number;
}

/** `graceUntil`: until then a missing value does not clear a firing rule (see `adopt`). */
interface RuleState { since: number | null; firing: boolean; graceUntil: number }

const signature = (r: AlertRule) => `${r.id}\u0000${r.metric}${r.comparator}${r.threshold}/${r.forSeconds}`;

export class RuleEvaluator {
  #rules: AlertRule[] = [];
  readonly #state = new Map<string, RuleState>();

  constructor(rules: AlertRule[] = []) { this.setRules(rules); }

  get rules(): readonly AlertRule[] { return this.#rules; }

  /** Replace the rules (already validated). Firing rules that were removed or changed are cleared at the next evaluation. */
  setRules(rules: AlertRule[]): void {
    this.#rules = rules.filter((r) => r.enabled);
  }

  /**
   * Take over a rule whose alert the previous run left open: it counts as firing, so the evaluations
   * from now on clear it when its condition no longer holds, or at once if the rule is gone or
   * disabled. Until `graceUntil` a missing value does not clear it: after a restart the window has
   * no data yet, and the alert should not close only to open again a minute later.
   */
  adopt(id: string, since: number, graceUntil: number): void {
    const rule = this.#rules.find((r) => r.id === id);
    this.#state.set(rule ? signature(rule) : `${id}\u0000`, { since, firing: true, graceUntil });
  }

  /** Call about once a second. A missing value (no traffic) counts as the condition not holding. */
  evaluate(values: SeriesValues, now: number): RuleTransition[] {
    const out: RuleTransition[] = [];
    const live = new Set<string>();
    for (const rule of this.#rules) {
      const sig = signature(rule);
      live.add(sig);
      let st = this.#state.get(sig);
      if (!st) { st = { since: null, firing: false, graceUntil: 0 }; this.#state.set(sig, st); }
      const v = values[rule.metric];
      const holds = typeof v === 'number' && compare(v, rule.comparator, rule.threshold);
      if (holds) {
        st.since ??= now;
        if (!st.firing && now - st.since >= rule.forSeconds * 1000) {
          st.firing = true;
          out.push({ rule, type: 'fire', value: v, since: st.since });
        }
      } else if (st.firing && typeof v !== 'number' && now < st.graceUntil) {
        // adopted after a restart and no data yet: wait for the window to fill
      } else {
        if (st.firing) out.push({ rule, type: 'clear', value: typeof v === 'number' ? v : null, since: st.since ?? now });
        st.since = null;
        st.firing = false;
        st.graceUntil = 0;
      }
    }
    for (const [sig, st] of this.#state) {
      if (live.has(sig)) continue;
      if (st.firing) {
        const id = sig.slice(0, sig.indexOf('\u0000'));
        out.push({ rule: { id } as AlertRule, type: 'clear', value: null, since: st.since ?? now });
      }
      this.#state.delete(sig);
    }
    return out;
  }
}
