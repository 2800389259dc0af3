// Pure helpers of the routing page: rule JSON editing, where a 400 points, targets as text, downloads.
import type { RoutingConfig, RoutingRule } from '../../../shared/routing.ts';
import type { Target } from '../../../shared/targets.ts';

/** Parses one rule's JSON; the problem is a plain sentence for the field's message. */
export function parseRuleJson(text: string): { ok: true; rule: RoutingRule } | { ok: false; problem: string } {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    return { ok: false, problem: `Not valid JSON: ${(err as Error).message}` };
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) return { ok: false, problem: 'A rule must be a JSON object.' };
  return { ok: true, rule: v as RoutingRule };
}

/** The document with rule `index` replaced (or appended when index equals the length). */
export function withRule(config: RoutingConfig, index: number, rule: RoutingRule): RoutingConfig {
  const rules = [...config.rules];
  rules.splice(index, index < rules.length ? 1 : 0, rule);
  return { ...config, rules };
}

export function withoutRule(config: RoutingConfig, index: number): RoutingConfig {
  return { ...config, rules: config.rules.filter((_, i) => i !== index) };
}

/** Which rule a 400's `param` names (`rules[2].when.model` → 2), or null. */
export function ruleIndexFromParam(param: string | null | undefined): number | null {
  const m = /(?:^|\.)rules\[(\d+)\]/.exec(param ?? '');
  return m ? Number(m[1]) : null;
}

export const targetText = (t: Target): string => `${t.provider}/${t.model}`;

/** `provider/model` → Target (the model may itself contain slashes). */
export function parseTarget(text: string): Target | null {
  const i = text.indexOf('/');
  if (i <= 0 || i === text.length - 1) return null;
  return { provider: text.slice(0, i), model: text.slice(i + 1) };
}

export function newRuleTemplate(existing: readonly RoutingRule[]): RoutingRule {
  let n = existing.length + 1;
  while (existing.some((r) => r.id === `rule-${n}`)) n += 1;
  return { id: `rule-${n}`, name: `Rule ${n}`, enabled: true, when: { model: ['*'] }, action: { targets: [], strategy: 'fallback' } };
}

/** Fraction 0..1 of a budget used, and its tone. */
export function budgetTone(fraction: number, threshold = 0.8): 'ok' | 'warn' | 'bad' {
  if (fraction >= 1) return 'bad';
  if (fraction >= threshold) return 'warn';
  return 'ok';
}
