// Pure helpers of the routing page: rule JSON editing, the rule form (form ↔ rule, local checks, where a
// 400 points), targets as text, budgets.
import type { ModelView } from '../../../shared/admin/core-routes.ts';
import type { ErrorIssue } from '../../../shared/openai.ts';
import { MAX_RULE_TIMEOUT_MS, MIN_RULE_TIMEOUT_MS, ROUTING_ID, type ComplexityClass, type RoutingConfig, type RoutingRule, type RoutingStrategy } from '../../../shared/routing.ts';
import type { Endpoint, Target } from '../../../shared/targets.ts';
import { parseJson, type JsonSyntaxError } from './json-syntax.ts';
import { targetOf } from './model-options.ts';

/** Parses one rule's JSON; a problem is a code for the field's message (with where the text stops being JSON). */
export function parseRuleJson(text: string): { ok: true; rule: RoutingRule } | { ok: false; problem: 'syntax'; where: JsonSyntaxError } | { ok: false; problem: 'notObject' } {
  const parsed = parseJson(text);
  if (!parsed.ok) return { ok: false, problem: 'syntax', where: parsed.error };
  const v = parsed.value;
  if (!v || typeof v !== 'object' || Array.isArray(v)) return { ok: false, problem: 'notObject' };
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

/**
 * A new rule to fill in; `nameOf` words its default name in the reader's language (the id stays `rule-n`).
 * It starts on chat requests only: a rule on every endpoint would send embeddings and speech requests to
 * its chat targets, which refuse them (400 wrong_endpoint).
 */
export function newRuleTemplate(existing: readonly RoutingRule[], nameOf: (n: number) => string = (n) => `Rule ${n}`): RoutingRule {
  let n = existing.length + 1;
  while (existing.some((r) => r.id === `rule-${n}`)) n += 1;
  return { id: `rule-${n}`, name: nameOf(n), enabled: true, when: { model: ['*'], endpoint: ['chat'] }, action: { targets: [], strategy: 'fallback' } };
}

/** `provider/model` a rule on `endpoints` may send to: the models serving every one of them (all models when none is ticked), sorted. */
export function ruleTargetOptions(models: readonly ModelView[], endpoints: readonly Endpoint[]): string[] {
  const fit = models.filter((m) => endpoints.every((e) => m.endpoints.includes(e)));
  return [...new Set(fit.map(targetOf))].sort();
}

/** Fraction 0..1 of a budget used, and its tone. */
export function budgetTone(fraction: number, threshold = 0.8): 'ok' | 'warn' | 'bad' {
  if (fraction >= 1) return 'bad';
  if (fraction >= threshold) return 'warn';
  return 'ok';
}

// ---- The rule form ----------------------------------------------------------------------------------

/** One rule as the form edits it: free text where the user types, lists where they tick or pick. */
export interface RuleForm {
  id: string;
  name: string;
  enabled: boolean;
  /** Model globs, separated by commas (`,` `，` `、`) or spaces. */
  models: string;
  endpoints: Endpoint[];
  tags: string;
  minTokens: string;
  maxTokens: string;
  complexity: ComplexityClass[];
  mode: 'targets' | 'alias';
  /** `provider/model`, in the order they are tried. */
  targets: string[];
  alias: string;
  strategy: RoutingStrategy;
  /** One per target; used only by the weighted strategy. */
  weights: string[];
  timeoutMs: string;
  /** The rule the form was made from: what the form does not edit (cache policy, unknown keys) is kept from it. */
  base: RoutingRule;
}

/** Where a problem is shown: a form field, one target of the list (`targets.1`), or nowhere (top of the rule). */
export type RuleFieldKey =
  | 'id' | 'name' | 'models' | 'endpoints' | 'tags' | 'minTokens' | 'maxTokens' | 'complexity'
  | 'mode' | 'targets' | `targets.${number}` | 'alias' | 'strategy' | 'weights' | 'timeoutMs' | 'cache';

/**
 * What the browser can tell is wrong before sending; the component words it in the user's language. The
 * fields' rules are the engine's (src/engine/routing/validate-routing.ts), so that one save shows every
 * problem the form can have: test/routing-form-checks.test.ts holds the two to the same answers.
 */
export type LocalProblem =
  | 'required' | 'idChars' | 'duplicate' | 'noTargets' | 'noAlias' | 'integer' | 'number' | 'minAboveMax' | 'weightCount' | 'weightPositive' | 'timeout';

export interface LocalIssue { field: RuleFieldKey; problem: LocalProblem }

/** An engine's problem with one rule: `path` is relative to the rule (`action.strategy`), the message has no path. */
export interface RuleIssue { rule: number | null; path: string; field: RuleFieldKey | null; message: string }

const asList = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const asText = (v: unknown): string => (typeof v === 'number' || typeof v === 'string' ? String(v) : '');
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? v as Record<string, unknown> : {});

/** Splits a list typed by hand: commas (also Chinese `，` and `、`), semicolons or white space. */
export function splitList(text: string): string[] {
  return text.split(/[\s,，、;；]+/).filter(Boolean);
}

/** The form for a rule; tolerant of hand-written JSON (a missing `when`, a non-list) so the JSON view can always go back. */
export function ruleToForm(rule: RoutingRule): RuleForm {
  const when = obj(rule.when);
  const action = obj(rule.action);
  const targets = Array.isArray(action.targets) ? action.targets.map((t) => { const o = obj(t); return `${asText(o.provider)}/${asText(o.model)}`; }) : [];
  const weights = Array.isArray(action.weights) ? action.weights.map(asText) : [];
  return {
    id: asText(rule.id),
    name: asText(rule.name),
    enabled: rule.enabled !== false,
    models: asList(when.model).join(', '),
    endpoints: asList(when.endpoint) as Endpoint[],
    tags: asList(when.tags).join(', '),
    minTokens: asText(when.minPromptTokens),
    maxTokens: asText(when.maxPromptTokens),
    complexity: asList(when.complexity) as ComplexityClass[],
    mode: action.alias !== undefined && action.targets === undefined ? 'alias' : 'targets',
    targets,
    alias: asText(action.alias),
    strategy: (typeof action.strategy === 'string' ? action.strategy : 'fallback') as RoutingStrategy,
    weights,
    timeoutMs: asText(action.timeoutMs),
    base: rule,
  };
}

/** A number typed in a field: blank → absent; what is not a number is kept as typed, for the engine (or the JSON view) to show. */
function typedNumber(text: string): number | undefined {
  const s = text.trim();
  if (!s) return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : (s as unknown as number);
}

/** Drops the keys whose value is undefined (so JSON and the engine see them absent). */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

const nonEmpty = <T,>(list: T[]): T[] | undefined => (list.length ? list : undefined);

/** The rule the form describes. No checks here (see checkRuleForm): the JSON view shows even a half-filled form. */
export function formToRule(f: RuleForm): RoutingRule {
  const base = f.base;
  const weighted = f.strategy === 'weighted';
  const baseAction = obj(base.action);
  const action = defined({
    ...baseAction,
    targets: f.mode === 'targets' ? f.targets.map((t) => parseTarget(t) ?? { provider: t, model: '' }) : undefined,
    alias: f.mode === 'alias' ? f.alias : undefined,
    strategy: f.strategy,
    // An alias's weights are not edited here; a weighted rule on an alias keeps the ones it had.
    weights: !weighted ? undefined : f.mode === 'targets' ? f.weights.map((w) => typedNumber(w) ?? 0) : baseAction.weights as number[] | undefined,
    timeoutMs: typedNumber(f.timeoutMs),
  }) as RoutingRule['action'];
  const when = defined({
    ...obj(base.when),
    model: nonEmpty(splitList(f.models)),
    endpoint: nonEmpty(f.endpoints),
    tags: nonEmpty(splitList(f.tags)),
    minPromptTokens: typedNumber(f.minTokens),
    maxPromptTokens: typedNumber(f.maxTokens),
    complexity: nonEmpty(f.complexity),
  });
  return { ...base, id: f.id.trim(), name: f.name.trim() || f.id.trim(), enabled: f.enabled, when, action };
}

const isCount = (n: number | undefined): boolean => n === undefined || (Number.isInteger(n) && n >= 0);
const isNonNegative = (n: number | undefined): n is number => typeof n === 'number' && Number.isFinite(n) && n >= 0;

/**
 * What is wrong with the form, each next to its field, all at once; the engine judges only what the
 * form cannot know (a provider or alias removed meanwhile). `otherIds`: the ids of the document's other rules.
 */
export function checkRuleForm(f: RuleForm, otherIds: readonly string[] = []): LocalIssue[] {
  const out: LocalIssue[] = [];
  const id = f.id.trim();
  if (!id) out.push({ field: 'id', problem: 'required' });
  else if (!ROUTING_ID.test(id)) out.push({ field: 'id', problem: 'idChars' });
  else if (otherIds.includes(id)) out.push({ field: 'id', problem: 'duplicate' });
  const min = typedNumber(f.minTokens);
  const max = typedNumber(f.maxTokens);
  if (!isCount(min)) out.push({ field: 'minTokens', problem: 'integer' });
  if (!isCount(max)) out.push({ field: 'maxTokens', problem: 'integer' });
  // as the engine does: compared whenever both are numbers from 0 up, whole or not
  if (isNonNegative(min) && isNonNegative(max) && min > max) out.push({ field: 'maxTokens', problem: 'minAboveMax' });
  if (f.mode === 'targets' && !f.targets.length) out.push({ field: 'targets', problem: 'noTargets' });
  if (f.mode === 'alias' && !f.alias.trim()) out.push({ field: 'alias', problem: 'noAlias' });
  if (f.mode === 'targets' && f.strategy === 'weighted') {
    const weights = f.weights.map((w) => Number(w.trim() || NaN));
    if (f.weights.length !== f.targets.length) out.push({ field: 'weights', problem: 'weightCount' });
    else if (weights.some((n) => !Number.isFinite(n) || n < 0)) out.push({ field: 'weights', problem: 'number' });
    else if (weights.length && weights.every((n) => n === 0)) out.push({ field: 'weights', problem: 'weightPositive' });
  }
  const timeout = typedNumber(f.timeoutMs);
  if (timeout !== undefined && !(typeof timeout === 'number' && timeout >= MIN_RULE_TIMEOUT_MS && timeout <= MAX_RULE_TIMEOUT_MS)) out.push({ field: 'timeoutMs', problem: 'timeout' });
  return out;
}

const FIELD_OF_PATH: Record<string, RuleFieldKey> = {
  'id': 'id', 'name': 'name',
  'when.model': 'models', 'when.endpoint': 'endpoints', 'when.tags': 'tags', 'when.minPromptTokens': 'minTokens',
  'when.maxPromptTokens': 'maxTokens', 'when.complexity': 'complexity',
  'action': 'mode', 'action.targets': 'targets', 'action.alias': 'alias', 'action.strategy': 'strategy',
  'action.weights': 'weights', 'action.timeoutMs': 'timeoutMs', 'action.cache': 'cache',
};

/** The form field a path inside a rule names (`action.targets[1].provider` → `targets.1`), or null (shown at the top). */
export function fieldFromRulePath(path: string): RuleFieldKey | null {
  const target = /^action\.targets\[(\d+)\]/.exec(path);
  if (target) return `targets.${Number(target[1])}`;
  if (path === 'action.cache' || path.startsWith('action.cache.')) return 'cache';
  return FIELD_OF_PATH[path] ?? null;
}

/**
 * One issue per problem of a refused save: from the engine's `error.issues` (each with its path, worded by
 * `words`: the reader's language, src/renderer/src/lib/routing-problem-words.ts), or, for an error without
 * them, its one message, placed by `param`.
 */
export function issuesFromError(message: string, param: string | null | undefined, issues?: readonly ErrorIssue[] | null,
  words: (i: ErrorIssue) => string = (i) => i.message): RuleIssue[] {
  if (issues?.length) {
    return issues.map((i) => {
      const rule = ruleIndexFromParam(i.param);
      const path = relativePath(i.param ?? '');
      return { rule, path: rule === null ? (i.param ?? '') : path, field: rule === null ? null : fieldFromRulePath(path), message: words(i) };
    });
  }
  const rule = ruleIndexFromParam(param);
  const path = relativePath(param ?? '');
  const text = param && message.startsWith(`${param}: `) ? message.slice(param.length + 2) : message;
  return [{ rule, path, field: rule === null ? null : fieldFromRulePath(path), message: text }];
}

/** `routing.rules[2].action.strategy` → `action.strategy` (the path inside the rule). */
function relativePath(param: string): string {
  const m = /(?:^|\.)rules\[\d+\]\.?(.*)$/.exec(param);
  return m ? m[1] : '';
}

/** The fields the form shows for its current state (a problem on any other field goes to the top of the rule). */
export function shownFields(f: RuleForm): Set<RuleFieldKey> {
  const shown = new Set<RuleFieldKey>(['id', 'name', 'models', 'endpoints', 'tags', 'minTokens', 'maxTokens', 'complexity', 'mode', 'strategy', 'timeoutMs']);
  if (f.mode === 'targets') {
    shown.add('targets');
    f.targets.forEach((_, i) => shown.add(`targets.${i}`));
    if (f.strategy === 'weighted') shown.add('weights');
  } else {
    shown.add('alias');
  }
  if (obj(f.base.action).cache !== undefined) shown.add('cache');
  return shown;
}

/** Splits a rule's problems between the fields on show and the top of the rule (fields that are not on show). */
export function placeIssues<T extends { field: RuleFieldKey | null }>(issues: readonly T[], shown: ReadonlySet<RuleFieldKey>): { byField: Map<RuleFieldKey, T[]>; top: T[] } {
  const byField = new Map<RuleFieldKey, T[]>();
  const top: T[] = [];
  for (const issue of issues) {
    if (issue.field && shown.has(issue.field)) byField.set(issue.field, [...(byField.get(issue.field) ?? []), issue]);
    else top.push(issue);
  }
  return { byField, top };
}

/** Moves item `i` of a list by `delta` places (a target up or down), returning a new list; out of range leaves it. */
export function move<T>(list: readonly T[], i: number, delta: number): T[] {
  const j = i + delta;
  if (i < 0 || i >= list.length || j < 0 || j >= list.length) return [...list];
  const next = [...list];
  [next[i], next[j]] = [next[j], next[i]];
  return next;
}

/** Weights lined up with `count` targets, weight `i` set to `value` (missing ones start at 1, extra ones go). */
export function withWeight(weights: readonly string[], count: number, i: number, value: string): string[] {
  const next = Array.from({ length: count }, (_, k) => weights[k] ?? '1');
  if (i >= 0 && i < count) next[i] = value;
  return next;
}

/** The options of a select with the current value kept even when it is not among them (a hand-written target, an unknown alias). */
export function optionsWith(options: readonly string[], current: string): string[] {
  return !current || options.includes(current) ? [...options] : [current, ...options];
}

/**
 * An alias's targets (`provider/model`, in order) after the one-click switch to `choice`: `first` replaces
 * only the first target and keeps the fallbacks after it (without a second copy of `choice`); `all` makes
 * `choice` the only target.
 */
export function switchedTargets(current: readonly string[], choice: string, mode: 'first' | 'all'): string[] {
  if (mode === 'all') return [choice];
  return [choice, ...current.slice(1).filter((t) => t !== choice)];
}
