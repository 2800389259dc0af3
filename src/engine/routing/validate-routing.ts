// Validation of routing config when it is saved: every problem is reported with its field path,
// e.g. `rules[2].action.targets[0].provider: unknown provider 'foo'`.
import { ENDPOINTS, isEndpoint } from '../../shared/targets.ts';
import { isObj } from '../../shared/is-obj.ts';
import { describeValue } from '../../shared/describe-value.ts';
import type { ProviderConfig } from '../../shared/config.ts';
import { COMPLEXITY_CLASSES, ROUTING_ID, ROUTING_STRATEGIES, type RoutingConfig } from '../../shared/routing.ts';
import { ROUTING_KEYS } from '../config/config-keys.ts';
import { unknownKeyIssues } from '../config/unknown-keys.ts';
import { ConfigError } from '../config/validate-config.ts';

/** Aliases Sluice defines itself when the document leaves them out (see routing-defaults.ts). */
const BUILTIN_ALIASES = ['fast', 'smart'];

function isNonNegative(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0;
}

class Issues {
  list: string[] = [];
  add(path: string, msg: string): void { this.list.push(`${path}: ${msg}`); }
}

function checkTargets(v: unknown, path: string, providers: ReadonlyMap<string, ProviderConfig>, out: Issues, allowEmpty = false): void {
  if (!Array.isArray(v)) return out.add(path, 'must be a list of { provider, model }');
  if (!allowEmpty && v.length === 0) out.add(path, 'must name at least one target');
  v.forEach((t, i) => {
    const p = `${path}[${i}]`;
    if (!isObj(t)) return out.add(p, 'must be an object { provider, model }');
    if (typeof t.provider !== 'string' || !t.provider) out.add(`${p}.provider`, 'is required');
    else if (!providers.has(t.provider)) out.add(`${p}.provider`, `unknown provider '${t.provider}'`);
    if (typeof t.model !== 'string' || !t.model) out.add(`${p}.model`, 'is required');
  });
}

function checkWeights(v: unknown, path: string, count: number, out: Issues): void {
  if (v === undefined) return;
  if (!Array.isArray(v) || v.some((w) => !isNonNegative(w))) return out.add(path, 'must be a list of non-negative numbers');
  if (v.length !== count) out.add(path, `has ${v.length} weights for ${count} targets`);
  else if (count > 0 && v.every((w) => w === 0)) out.add(path, 'at least one weight must be positive');
}

function checkStrategy(v: unknown, path: string, out: Issues, required: boolean): void {
  if (v === undefined && !required) return;
  if (typeof v !== 'string' || !ROUTING_STRATEGIES.includes(v as never)) out.add(path, `must be one of ${ROUTING_STRATEGIES.join(', ')}`);
}

/** All problems in a routing config, each `path: message`. Empty when it is valid. */
export function routingIssues(cfg: unknown, providerList: readonly ProviderConfig[]): string[] {
  const out = new Issues();
  const providers = new Map(providerList.map((p) => [p.id, p]));
  if (!isObj(cfg)) return ['routing: must be an object'];

  const aliasNames = new Set<string>();
  if (!Array.isArray(cfg.aliases)) out.add('aliases', 'must be a list');
  else cfg.aliases.forEach((a, i) => {
    const p = `aliases[${i}]`;
    if (!isObj(a)) return out.add(p, 'must be an object');
    if (typeof a.name !== 'string' || !ROUTING_ID.test(a.name)) out.add(`${p}.name`, 'must be 1-64 letters, digits, . _ - (starting with a letter or digit)');
    else if (aliasNames.has(a.name)) out.add(`${p}.name`, `duplicate alias '${a.name}'`);
    else if (providers.has(a.name)) out.add(`${p}.name`, `'${a.name}' is a provider id`);
    else aliasNames.add(a.name);
    checkTargets(a.targets, `${p}.targets`, providers, out);
    checkStrategy(a.strategy, `${p}.strategy`, out, false);
    checkWeights(a.weights, `${p}.weights`, Array.isArray(a.targets) ? a.targets.length : 0, out);
  });

  const ruleIds = new Set<string>();
  if (!Array.isArray(cfg.rules)) out.add('rules', 'must be a list');
  else cfg.rules.forEach((r, i) => {
    const p = `rules[${i}]`;
    if (!isObj(r)) return out.add(p, 'must be an object');
    if (typeof r.id !== 'string' || !ROUTING_ID.test(r.id)) out.add(`${p}.id`, 'must be 1-64 letters, digits, . _ -');
    else if (ruleIds.has(r.id)) out.add(`${p}.id`, `duplicate rule id '${r.id}'`);
    else ruleIds.add(r.id);
    if (typeof r.name !== 'string' || !r.name.trim()) out.add(`${p}.name`, 'is required');
    if (typeof r.enabled !== 'boolean') out.add(`${p}.enabled`, 'must be true or false');
    const w = r.when;
    if (!isObj(w)) out.add(`${p}.when`, 'must be an object (use {} to match everything)');
    else {
      if (w.model !== undefined && (!Array.isArray(w.model) || w.model.some((m) => typeof m !== 'string' || !m))) out.add(`${p}.when.model`, 'must be a list of model globs');
      if (w.endpoint !== undefined && (!Array.isArray(w.endpoint) || w.endpoint.some((e) => !isEndpoint(e)))) out.add(`${p}.when.endpoint`, `must be a list of ${ENDPOINTS.join(', ')}`);
      if (w.tags !== undefined && (!Array.isArray(w.tags) || w.tags.some((t) => typeof t !== 'string' || !t))) out.add(`${p}.when.tags`, 'must be a list of tags');
      if (w.complexity !== undefined && (!Array.isArray(w.complexity) || w.complexity.some((c) => !COMPLEXITY_CLASSES.includes(c as never)))) out.add(`${p}.when.complexity`, `must be a list of ${COMPLEXITY_CLASSES.join(', ')}`);
      for (const k of ['minPromptTokens', 'maxPromptTokens'] as const) {
        if (w[k] !== undefined && !(isNonNegative(w[k]) && Number.isInteger(w[k]))) out.add(`${p}.when.${k}`, 'must be a non-negative integer');
      }
      if (isNonNegative(w.minPromptTokens) && isNonNegative(w.maxPromptTokens) && w.minPromptTokens > w.maxPromptTokens) out.add(`${p}.when.maxPromptTokens`, 'must not be below minPromptTokens');
    }
    const a = r.action;
    if (!isObj(a)) return out.add(`${p}.action`, 'is required');
    if ((a.targets === undefined) === (a.alias === undefined)) out.add(`${p}.action`, 'needs exactly one of targets or alias');
    if (a.targets !== undefined) checkTargets(a.targets, `${p}.action.targets`, providers, out);
    if (a.alias !== undefined && (typeof a.alias !== 'string' || !(aliasNames.has(a.alias) || BUILTIN_ALIASES.includes(a.alias)))) out.add(`${p}.action.alias`, `unknown alias '${describeValue(a.alias)}'`);
    checkStrategy(a.strategy, `${p}.action.strategy`, out, true);
    checkWeights(a.weights, `${p}.action.weights`, Array.isArray(a.targets) ? a.targets.length : (cfg.aliases as Array<{ name?: string; targets?: unknown[] }> ?? []).find((x) => x?.name === a.alias)?.targets?.length ?? 0, out);
    if (a.weights === undefined && a.strategy === 'weighted' && a.targets !== undefined) out.add(`${p}.action.weights`, 'are required for the weighted strategy');
    if (a.timeoutMs !== undefined && !(isNonNegative(a.timeoutMs) && a.timeoutMs >= 100)) out.add(`${p}.action.timeoutMs`, 'must be a number of milliseconds ≥ 100');
    if (a.cache !== undefined) {
      if (!isObj(a.cache)) out.add(`${p}.action.cache`, 'must be an object');
      else {
        if (a.cache.enabled !== undefined && typeof a.cache.enabled !== 'boolean') out.add(`${p}.action.cache.enabled`, 'must be true or false');
        if (a.cache.ttlSeconds !== undefined && !isNonNegative(a.cache.ttlSeconds)) out.add(`${p}.action.cache.ttlSeconds`, 'must be a non-negative number');
        if (a.cache.mode !== undefined && a.cache.mode !== 'deterministic' && a.cache.mode !== 'all') out.add(`${p}.action.cache.mode`, "must be 'deterministic' or 'all'");
        const sem = a.cache.semantic;
        if (sem !== undefined) {
          if (!isObj(sem)) out.add(`${p}.action.cache.semantic`, 'must be an object');
          else {
            if (typeof sem.enabled !== 'boolean') out.add(`${p}.action.cache.semantic.enabled`, 'must be true or false');
            if (sem.threshold !== undefined && !(typeof sem.threshold === 'number' && sem.threshold >= 0.5 && sem.threshold <= 1)) out.add(`${p}.action.cache.semantic.threshold`, 'must be a similarity in [0.5, 1], e.g. 0.95');
            if (sem.source !== undefined && sem.source !== 'local' && sem.source !== 'embeddings') out.add(`${p}.action.cache.semantic.source`, "must be 'local' or 'embeddings'");
            if (sem.embeddingsModel !== undefined && (typeof sem.embeddingsModel !== 'string' || !sem.embeddingsModel)) out.add(`${p}.action.cache.semantic.embeddingsModel`, 'must be a model name');
          }
        }
      }
    }
  });

  const budgetIds = new Set<string>();
  if (!Array.isArray(cfg.budgets)) out.add('budgets', 'must be a list');
  else cfg.budgets.forEach((b, i) => {
    const p = `budgets[${i}]`;
    if (!isObj(b)) return out.add(p, 'must be an object');
    if (typeof b.id !== 'string' || !ROUTING_ID.test(b.id)) out.add(`${p}.id`, 'must be 1-64 letters, digits, . _ -');
    else if (budgetIds.has(b.id)) out.add(`${p}.id`, `duplicate budget id '${b.id}'`);
    else budgetIds.add(b.id);
    if (!['provider', 'model', 'alias', 'tag'].includes(b.scope as string)) out.add(`${p}.scope`, 'must be one of provider, model, alias, tag');
    if (typeof b.match !== 'string' || !b.match) out.add(`${p}.match`, 'is required');
    else if (b.scope === 'provider' && !providers.has(b.match)) out.add(`${p}.match`, `unknown provider '${b.match}'`);
    else if (b.scope === 'alias' && !aliasNames.has(b.match) && !BUILTIN_ALIASES.includes(b.match) && b.match !== 'auto') out.add(`${p}.match`, `unknown alias '${b.match}'`);
    if (b.period !== 'day' && b.period !== 'month') out.add(`${p}.period`, "must be 'day' or 'month'");
    if (b.unit !== 'usd' && b.unit !== 'tokens') out.add(`${p}.unit`, "must be 'usd' or 'tokens'");
    if (!isNonNegative(b.limit)) out.add(`${p}.limit`, 'must be a non-negative number');
    if (b.threshold !== undefined && !(typeof b.threshold === 'number' && b.threshold > 0 && b.threshold <= 1)) out.add(`${p}.threshold`, 'must be a fraction in (0, 1], e.g. 0.8');
    if (b.onExhausted !== 'refuse' && b.onExhausted !== 'downgrade') out.add(`${p}.onExhausted`, "must be 'refuse' or 'downgrade'");
    if (b.downgradeTo !== undefined) checkTargets(b.downgradeTo, `${p}.downgradeTo`, providers, out);
    if (b.enabled !== undefined && typeof b.enabled !== 'boolean') out.add(`${p}.enabled`, 'must be true or false');
  });

  if (!isObj(cfg.classTargets)) out.add('classTargets', 'must be an object of class → targets');
  else for (const [k, v] of Object.entries(cfg.classTargets)) {
    if (!COMPLEXITY_CLASSES.includes(k as never)) out.add(`classTargets.${k}`, `unknown class; use ${COMPLEXITY_CLASSES.join(', ')}`);
    else checkTargets(v, `classTargets.${k}`, providers, out, true);
  }

  if (!isObj(cfg.retry)) out.add('retry', 'must be an object');
  else {
    for (const k of ['attemptsPerTarget', 'maxAttempts'] as const) {
      const v = cfg.retry[k];
      if (!(typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 20)) out.add(`retry.${k}`, 'must be an integer from 1 to 20');
    }
    for (const k of ['baseDelayMs', 'maxDelayMs', 'maxRetryAfterMs'] as const) if (!isNonNegative(cfg.retry[k])) out.add(`retry.${k}`, 'must be a non-negative number');
    if (isNonNegative(cfg.retry.baseDelayMs) && isNonNegative(cfg.retry.maxDelayMs) && cfg.retry.maxDelayMs < cfg.retry.baseDelayMs) out.add('retry.maxDelayMs', 'must not be below baseDelayMs');
  }
  if (!isObj(cfg.breaker)) out.add('breaker', 'must be an object');
  else {
    const b = cfg.breaker;
    if (!(typeof b.failureThreshold === 'number' && Number.isInteger(b.failureThreshold) && b.failureThreshold >= 1)) out.add('breaker.failureThreshold', 'must be a positive integer');
    if (!(isNonNegative(b.windowMs) && b.windowMs > 0)) out.add('breaker.windowMs', 'must be a positive number');
    if (!isNonNegative(b.cooldownMs)) out.add('breaker.cooldownMs', 'must be a non-negative number');
  }

  if (cfg.prices !== undefined) {
    if (!isObj(cfg.prices)) out.add('prices', 'must be an object of model → { input, output }');
    else for (const [model, price] of Object.entries(cfg.prices)) {
      if (!isObj(price) || !isNonNegative(price.input) || !isNonNegative(price.output)) out.add(`prices['${model}']`, 'must be { input, output } in USD per million tokens, non-negative');
    }
  }
  for (const p of providerList) {
    for (const [model, price] of Object.entries(p.prices ?? {})) {
      const path = `providers['${p.id}'].prices['${model}']`;
      if (!isObj(price) || !isNonNegative(price.input) || !isNonNegative(price.output)) out.add(path, 'must be { input, output } in USD per million tokens, non-negative');
    }
  }
  return out.list;
}

/**
 * Throws ConfigError (400, every issue with its path) unless the config is valid. A key the document
 * does not know is refused too, as in the config file: a misspelt condition (`when.tagz`) would
 * otherwise leave a rule that matches everything.
 */
export function validateRouting(cfg: unknown, providers: readonly ProviderConfig[]): RoutingConfig {
  const issues = routingIssues(cfg, providers);
  unknownKeyIssues(cfg, ROUTING_KEYS, '', issues);
  if (issues.length) throw new ConfigError(issues);
  return cfg as RoutingConfig;
}
