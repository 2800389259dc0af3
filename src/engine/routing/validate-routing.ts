// Validation of routing config when it is saved: every problem is reported with its field path,
// e.g. `rules[2].action.targets[0].provider: unknown provider 'foo'`, and a code (src/shared/routing-issues.ts)
// with the values its words name, for the panel to say it in the reader's language.
import { ENDPOINTS, isEndpoint } from '../../shared/targets.ts';
import { isObj } from '../../shared/is-obj.ts';
import { describeValue } from '../../shared/describe-value.ts';
import type { ProviderConfig } from '../../shared/config.ts';
import type { ErrorIssue } from '../../shared/openai.ts';
import type { RoutingIssueCode } from '../../shared/routing-issues.ts';
import { COMPLEXITY_CLASSES, MIN_RULE_TIMEOUT_MS, ROUTING_ID, ROUTING_STRATEGIES, type RoutingConfig } from '../../shared/routing.ts';
import { ROUTING_KEYS, type KeyShape } from '../config/config-keys.ts';
import { unknownKeys, unknownKeyWords } from '../config/unknown-keys.ts';
import { ConfigError, isPrice, issueLine, MAX_TIMER_MS, PRICE_WORDS } from '../config/validate-config.ts';

/** Aliases Sluice defines itself when the document leaves them out (see routing-defaults.ts). */
const BUILTIN_ALIASES = ['fast', 'smart'];

function isNonNegative(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0;
}

/** A delay Sluice waits with a timer: a longer one than a timer keeps would fire at once. */
const isDelayMs = (v: unknown, min = 0): v is number => isNonNegative(v) && v >= min && v <= MAX_TIMER_MS;

class Issues {
  list: ErrorIssue[] = [];
  add(path: string, message: string, code: RoutingIssueCode, vars?: Record<string, string | number>): void {
    this.list.push(vars ? { param: path, message, code, vars } : { param: path, message, code });
  }
}

function checkTargets(v: unknown, path: string, providers: ReadonlyMap<string, ProviderConfig>, out: Issues, allowEmpty = false): void {
  if (!Array.isArray(v)) return out.add(path, 'must be a list of { provider, model }', 'list');
  if (!allowEmpty && v.length === 0) out.add(path, 'must name at least one target', 'noTargets');
  v.forEach((t, i) => {
    const p = `${path}[${i}]`;
    if (!isObj(t)) return out.add(p, 'must be an object { provider, model }', 'object');
    if (typeof t.provider !== 'string' || !t.provider) out.add(`${p}.provider`, 'is required', 'required');
    else if (!providers.has(t.provider)) out.add(`${p}.provider`, `unknown provider '${t.provider}'`, 'unknownProvider', { name: t.provider });
    if (typeof t.model !== 'string' || !t.model) out.add(`${p}.model`, 'is required', 'required');
  });
}

function checkWeights(v: unknown, path: string, count: number, out: Issues): void {
  if (v === undefined) return;
  if (!Array.isArray(v) || v.some((w) => !isNonNegative(w))) return out.add(path, 'must be a list of non-negative numbers', 'weightsList');
  if (v.length !== count) out.add(path, `has ${v.length} weights for ${count} targets`, 'weightCount', { given: v.length, targets: count });
  else if (count > 0 && v.every((w) => w === 0)) out.add(path, 'at least one weight must be positive', 'weightPositive');
}

function checkStrategy(v: unknown, path: string, out: Issues, required: boolean): void {
  if (v === undefined && !required) return;
  if (typeof v !== 'string' || !ROUTING_STRATEGIES.includes(v as never)) out.add(path, `must be one of ${ROUTING_STRATEGIES.join(', ')}`, 'oneOf', { choices: ROUTING_STRATEGIES.join(', ') });
}

/** All problems in a routing config, each with its path and code. Empty when it is valid. */
export function routingProblems(cfg: unknown, providerList: readonly ProviderConfig[]): ErrorIssue[] {
  const out = new Issues();
  const providers = new Map(providerList.map((p) => [p.id, p]));
  if (!isObj(cfg)) return [{ param: 'routing', message: 'must be an object', code: 'object' }];

  const aliasNames = new Set<string>();
  if (!Array.isArray(cfg.aliases)) out.add('aliases', 'must be a list', 'list');
  else cfg.aliases.forEach((a, i) => {
    const p = `aliases[${i}]`;
    if (!isObj(a)) return out.add(p, 'must be an object', 'object');
    if (typeof a.name !== 'string' || !ROUTING_ID.test(a.name)) out.add(`${p}.name`, 'must be 1-64 letters, digits, . _ - (starting with a letter or digit)', 'idChars');
    else if (aliasNames.has(a.name)) out.add(`${p}.name`, `duplicate alias '${a.name}'`, 'duplicate', { name: a.name });
    else if (providers.has(a.name)) out.add(`${p}.name`, `'${a.name}' is a provider id`, 'providerId', { name: a.name });
    else aliasNames.add(a.name);
    checkTargets(a.targets, `${p}.targets`, providers, out);
    checkStrategy(a.strategy, `${p}.strategy`, out, false);
    checkWeights(a.weights, `${p}.weights`, Array.isArray(a.targets) ? a.targets.length : 0, out);
    if (a.description !== undefined && (typeof a.description !== 'string' || a.description.length > 500)) out.add(`${p}.description`, 'must be a text of at most 500 characters', 'text', { max: 500 });
  });

  const ruleIds = new Set<string>();
  if (!Array.isArray(cfg.rules)) out.add('rules', 'must be a list', 'list');
  else cfg.rules.forEach((r, i) => {
    const p = `rules[${i}]`;
    if (!isObj(r)) return out.add(p, 'must be an object', 'object');
    if (typeof r.id !== 'string' || !ROUTING_ID.test(r.id)) out.add(`${p}.id`, 'must be 1-64 letters, digits, . _ -', 'idChars');
    else if (ruleIds.has(r.id)) out.add(`${p}.id`, `duplicate rule id '${r.id}'`, 'duplicate', { name: r.id });
    else ruleIds.add(r.id);
    if (typeof r.name !== 'string' || !r.name.trim()) out.add(`${p}.name`, 'is required', 'required');
    if (typeof r.enabled !== 'boolean') out.add(`${p}.enabled`, 'must be true or false', 'boolean');
    const w = r.when;
    if (!isObj(w)) out.add(`${p}.when`, 'must be an object (use {} to match everything)', 'object');
    else {
      if (w.model !== undefined && (!Array.isArray(w.model) || w.model.some((m) => typeof m !== 'string' || !m))) out.add(`${p}.when.model`, 'must be a list of model globs', 'globs');
      if (w.endpoint !== undefined && (!Array.isArray(w.endpoint) || w.endpoint.some((e) => !isEndpoint(e)))) out.add(`${p}.when.endpoint`, `must be a list of ${ENDPOINTS.join(', ')}`, 'listOf', { choices: ENDPOINTS.join(', ') });
      if (w.tags !== undefined && (!Array.isArray(w.tags) || w.tags.some((t) => typeof t !== 'string' || !t))) out.add(`${p}.when.tags`, 'must be a list of tags', 'tags');
      if (w.complexity !== undefined && (!Array.isArray(w.complexity) || w.complexity.some((c) => !COMPLEXITY_CLASSES.includes(c as never)))) out.add(`${p}.when.complexity`, `must be a list of ${COMPLEXITY_CLASSES.join(', ')}`, 'listOf', { choices: COMPLEXITY_CLASSES.join(', ') });
      for (const k of ['minPromptTokens', 'maxPromptTokens'] as const) {
        if (w[k] !== undefined && !(isNonNegative(w[k]) && Number.isInteger(w[k]))) out.add(`${p}.when.${k}`, 'must be a non-negative integer', 'integer');
      }
      if (isNonNegative(w.minPromptTokens) && isNonNegative(w.maxPromptTokens) && w.minPromptTokens > w.maxPromptTokens) out.add(`${p}.when.maxPromptTokens`, 'must not be below minPromptTokens', 'minAboveMax');
    }
    const a = r.action;
    if (!isObj(a)) return out.add(`${p}.action`, 'is required', 'required');
    if ((a.targets === undefined) === (a.alias === undefined)) out.add(`${p}.action`, 'needs exactly one of targets or alias', 'targetsOrAlias');
    if (a.targets !== undefined) checkTargets(a.targets, `${p}.action.targets`, providers, out);
    if (a.alias !== undefined && (typeof a.alias !== 'string' || !(aliasNames.has(a.alias) || BUILTIN_ALIASES.includes(a.alias)))) out.add(`${p}.action.alias`, `unknown alias '${describeValue(a.alias)}'`, 'unknownAlias', { name: describeValue(a.alias) });
    checkStrategy(a.strategy, `${p}.action.strategy`, out, true);
    checkWeights(a.weights, `${p}.action.weights`, Array.isArray(a.targets) ? a.targets.length : (cfg.aliases as Array<{ name?: string; targets?: unknown[] }> ?? []).find((x) => x?.name === a.alias)?.targets?.length ?? 0, out);
    if (a.weights === undefined && a.strategy === 'weighted' && a.targets !== undefined) out.add(`${p}.action.weights`, 'are required for the weighted strategy', 'weightCount');
    if (a.timeoutMs !== undefined && !isDelayMs(a.timeoutMs, MIN_RULE_TIMEOUT_MS)) out.add(`${p}.action.timeoutMs`, `must be a number of milliseconds from ${MIN_RULE_TIMEOUT_MS} to ${MAX_TIMER_MS}`, 'timeout', { min: MIN_RULE_TIMEOUT_MS, max: MAX_TIMER_MS });
    if (a.cache !== undefined) {
      if (!isObj(a.cache)) out.add(`${p}.action.cache`, 'must be an object', 'object');
      else {
        if (a.cache.enabled !== undefined && typeof a.cache.enabled !== 'boolean') out.add(`${p}.action.cache.enabled`, 'must be true or false', 'boolean');
        if (a.cache.ttlSeconds !== undefined && !isNonNegative(a.cache.ttlSeconds)) out.add(`${p}.action.cache.ttlSeconds`, 'must be a non-negative number', 'number');
        if (a.cache.mode !== undefined && a.cache.mode !== 'deterministic' && a.cache.mode !== 'all') out.add(`${p}.action.cache.mode`, "must be 'deterministic' or 'all'", 'oneOf', { choices: 'deterministic, all' });
        const sem = a.cache.semantic;
        if (sem !== undefined) {
          if (!isObj(sem)) out.add(`${p}.action.cache.semantic`, 'must be an object', 'object');
          else {
            if (typeof sem.enabled !== 'boolean') out.add(`${p}.action.cache.semantic.enabled`, 'must be true or false', 'boolean');
            if (sem.threshold !== undefined && !(typeof sem.threshold === 'number' && sem.threshold >= 0.5 && sem.threshold <= 1)) out.add(`${p}.action.cache.semantic.threshold`, 'must be a similarity in [0.5, 1], e.g. 0.95', 'similarity');
            if (sem.source !== undefined && sem.source !== 'local' && sem.source !== 'embeddings') out.add(`${p}.action.cache.semantic.source`, "must be 'local' or 'embeddings'", 'oneOf', { choices: 'local, embeddings' });
            if (sem.embeddingsModel !== undefined && (typeof sem.embeddingsModel !== 'string' || !sem.embeddingsModel)) out.add(`${p}.action.cache.semantic.embeddingsModel`, 'must be a model name', 'modelName');
          }
        }
      }
    }
  });

  const budgetIds = new Set<string>();
  if (!Array.isArray(cfg.budgets)) out.add('budgets', 'must be a list', 'list');
  else cfg.budgets.forEach((b, i) => {
    const p = `budgets[${i}]`;
    if (!isObj(b)) return out.add(p, 'must be an object', 'object');
    if (typeof b.id !== 'string' || !ROUTING_ID.test(b.id)) out.add(`${p}.id`, 'must be 1-64 letters, digits, . _ -', 'idChars');
    else if (budgetIds.has(b.id)) out.add(`${p}.id`, `duplicate budget id '${b.id}'`, 'duplicate', { name: b.id });
    else budgetIds.add(b.id);
    if (!['provider', 'model', 'alias', 'tag'].includes(b.scope as string)) out.add(`${p}.scope`, 'must be one of provider, model, alias, tag', 'oneOf', { choices: 'provider, model, alias, tag' });
    if (typeof b.match !== 'string' || !b.match) out.add(`${p}.match`, 'is required', 'required');
    else if (b.scope === 'provider' && !providers.has(b.match)) out.add(`${p}.match`, `unknown provider '${b.match}'`, 'unknownProvider', { name: b.match });
    else if (b.scope === 'alias' && !aliasNames.has(b.match) && !BUILTIN_ALIASES.includes(b.match) && b.match !== 'auto') out.add(`${p}.match`, `unknown alias '${b.match}'`, 'unknownAlias', { name: b.match });
    if (b.period !== 'day' && b.period !== 'month') out.add(`${p}.period`, "must be 'day' or 'month'", 'oneOf', { choices: 'day, month' });
    if (b.unit !== 'usd' && b.unit !== 'tokens') out.add(`${p}.unit`, "must be 'usd' or 'tokens'", 'oneOf', { choices: 'usd, tokens' });
    if (!isNonNegative(b.limit)) out.add(`${p}.limit`, 'must be a non-negative number', 'number');
    if (b.threshold !== undefined && !(typeof b.threshold === 'number' && b.threshold > 0 && b.threshold <= 1)) out.add(`${p}.threshold`, 'must be a fraction in (0, 1], e.g. 0.8', 'fraction');
    if (b.onExhausted !== 'refuse' && b.onExhausted !== 'downgrade') out.add(`${p}.onExhausted`, "must be 'refuse' or 'downgrade'", 'oneOf', { choices: 'refuse, downgrade' });
    if (b.downgradeTo !== undefined) checkTargets(b.downgradeTo, `${p}.downgradeTo`, providers, out);
    if (b.enabled !== undefined && typeof b.enabled !== 'boolean') out.add(`${p}.enabled`, 'must be true or false', 'boolean');
  });

  if (!isObj(cfg.classTargets)) out.add('classTargets', 'must be an object of class → targets', 'object');
  else for (const [k, v] of Object.entries(cfg.classTargets)) {
    if (!COMPLEXITY_CLASSES.includes(k as never)) out.add(`classTargets.${k}`, `unknown class; use ${COMPLEXITY_CLASSES.join(', ')}`, 'unknownClass', { name: k, choices: COMPLEXITY_CLASSES.join(', ') });
    else checkTargets(v, `classTargets.${k}`, providers, out, true);
  }

  if (!isObj(cfg.retry)) out.add('retry', 'must be an object', 'object');
  else {
    for (const k of ['attemptsPerTarget', 'maxAttempts'] as const) {
      const v = cfg.retry[k];
      if (!(typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 20)) out.add(`retry.${k}`, 'must be an integer from 1 to 20', 'integerRange', { min: 1, max: 20 });
    }
    for (const k of ['baseDelayMs', 'maxDelayMs', 'maxRetryAfterMs'] as const) {
      if (!isDelayMs(cfg.retry[k])) out.add(`retry.${k}`, `must be a number of milliseconds from 0 to ${MAX_TIMER_MS}`, 'numberRange', { min: 0, max: MAX_TIMER_MS });
    }
    if (isNonNegative(cfg.retry.baseDelayMs) && isNonNegative(cfg.retry.maxDelayMs) && cfg.retry.maxDelayMs < cfg.retry.baseDelayMs) out.add('retry.maxDelayMs', 'must not be below baseDelayMs', 'maxDelayBelowBase');
  }
  if (!isObj(cfg.breaker)) out.add('breaker', 'must be an object', 'object');
  else {
    const b = cfg.breaker;
    if (!(typeof b.failureThreshold === 'number' && Number.isInteger(b.failureThreshold) && b.failureThreshold >= 1)) out.add('breaker.failureThreshold', 'must be a positive integer', 'positiveInteger');
    if (!(isNonNegative(b.windowMs) && b.windowMs > 0)) out.add('breaker.windowMs', 'must be a positive number', 'positiveNumber');
    if (!isNonNegative(b.cooldownMs)) out.add('breaker.cooldownMs', 'must be a non-negative number', 'number');
  }

  if (cfg.prices !== undefined) {
    if (!isObj(cfg.prices)) out.add('prices', 'must be an object of model → { input, output }', 'object');
    else for (const [model, price] of Object.entries(cfg.prices)) {
      if (!isPrice(price)) out.add(`prices['${model}']`, PRICE_WORDS, 'price');
    }
  }
  for (const p of providerList) {
    for (const [model, price] of Object.entries(p.prices ?? {})) {
      const path = `providers['${p.id}'].prices['${model}']`;
      if (!isPrice(price)) out.add(path, PRICE_WORDS, 'price');
    }
  }
  return out.list;
}

/** Every key `value` holds that `shape` does not know, as problems with their paths (code unknownKey). */
export function unknownKeyProblems(value: unknown, shape: KeyShape): ErrorIssue[] {
  return unknownKeys(value, shape, '').map((k): ErrorIssue => ({
    param: k.path, message: unknownKeyWords(k), code: 'unknownKey', vars: k.near ? { near: k.near, known: k.known.join(', ') } : { known: k.known.join(', ') },
  }));
}

/**
 * Throws ConfigError (400, every issue with its path) unless the config is valid. A key the document
 * does not know is refused too, as in the config file: a misspelt condition (`when.tagz`) would
 * otherwise leave a rule that matches everything. `gone`: providers the document in use already names
 * that are no longer there; routing skips them, so a reference to one is no reason to refuse an edit
 * elsewhere (an alias switched in an emergency), while a new reference to an unknown provider still is.
 */
export function validateRouting(cfg: unknown, providers: readonly ProviderConfig[], gone: ReadonlySet<string> = new Set()): RoutingConfig {
  // a provider the document named before it went away (gone) blocks no edit elsewhere
  const problems = routingProblems(cfg, providers).filter((p) => !(p.code === 'unknownProvider' && gone.has(String(p.vars?.name))));
  // a key both checks refuse (classTargets.bogus: an unknown class) is reported once, in the more precise words
  const reported = new Set(problems.map((p) => p.param));
  problems.push(...unknownKeyProblems(cfg, ROUTING_KEYS).filter((p) => !reported.has(p.param)));
  if (problems.length) throw new ConfigError(problems);
  return cfg as RoutingConfig;
}

/** All problems in a routing config, each `path: words`. Empty when it is valid. */
export function routingIssues(cfg: unknown, providerList: readonly ProviderConfig[]): string[] {
  return routingProblems(cfg, providerList).map(issueLine);
}
