import { describe, expect, it } from 'vitest';
import type { ModelPrice } from '../../shared/config.ts';
import { defaultRoutingConfig, type BudgetConfig, type RoutingConfig } from '../../shared/routing.ts';
import type { Endpoint, Target } from '../../shared/targets.ts';
import { PriceTable } from './pricing.ts';
import { compileRouting, needsComplexity, resolveRoute, resolveRouteUnrefused, routeFailureSaid, type RouterState } from './router.ts';

const routeFailure = (d: Parameters<typeof routeFailureSaid>[0], model: string) => routeFailureSaid(d, model)?.error ?? null;
import type { RouteRequest } from './rules.ts';

const T = (provider: string, model: string): Target => ({ provider, model });
const keys = (ts: Target[]) => ts.map((t) => `${t.provider}/${t.model}`);

function state(over: Partial<RouterState> & { open?: string[]; exhausted?: string[]; disabled?: string[]; chatOnly?: string[] } = {}): RouterState {
  const prices = new PriceTable();
  const all: Endpoint[] = ['chat', 'embeddings', 'speech'];
  return {
    breakerOpen: (k) => over.open?.includes(k) ?? false,
    budgetExhausted: (id) => over.exhausted?.includes(id) ?? false,
    latencyMs: () => undefined,
    provider: (id) => ['openai', 'anthropic', 'local', 'deepseek', 'simulator'].includes(id)
      ? { enabled: !over.disabled?.includes(id), endpoints: new Set(over.chatOnly?.includes(id) ? ['chat'] : all) }
      : undefined,
    price: (t): ModelPrice | undefined => prices.priceOf(t),
    random: () => 0,
    ...over,
  };
}

const req = (over: Partial<RouteRequest> = {}): RouteRequest => ({ model: 'gpt-4o', endpoint: 'chat', tags: [], promptTokens: 50, complexity: 'simple', ...over });

function config(over: Partial<RoutingConfig> = {}): RoutingConfig {
  return {
    ...defaultRoutingConfig(),
    aliases: [
      { name: 'smart', targets: [T('openai', 'gpt-4o'), T('anthropic', 'claude-sonnet-4')] },
      { name: 'fast', targets: [T('openai', 'gpt-4o-mini')] },
    ],
    rules: [
      { id: 'long', name: 'Long prompts', enabled: true, when: { minPromptTokens: 10_000 }, action: { strategy: 'fallback', alias: 'smart', timeoutMs: 120_000 } },
      { id: 'cheap-tag', name: 'Batch jobs', enabled: true, when: { tags: ['batch'] }, action: { strategy: 'lowest-cost', targets: [T('openai', 'gpt-4o'), T('deepseek', 'deepseek-chat'), T('openai', 'gpt-4o-mini')], cache: { ttlSeconds: 60, mode: 'all' } } },
    ],
    classTargets: { simple: [T('local', 'llama3')], complex: [T('anthropic', 'claude-opus-4')] },
    ...over,
  };
}

describe('resolveRoute', () => {
  it('uses the first matching rule, its cache policy and timeout, and explains the rest', () => {
    const d = resolveRoute(config(), req({ tags: ['batch'] }), state());
    expect(d.rule).toEqual({ id: 'cheap-tag', name: 'Batch jobs' });
    expect(keys(d.targets)).toEqual(['openai/gpt-4o-mini', 'deepseek/deepseek-chat', 'openai/gpt-4o']);
    expect(d.cache).toEqual({ ttlSeconds: 60, mode: 'all' });
    expect(d.timeoutMs).toBeNull();
    const e = d.explanation;
    expect(e.matchedRule).toBe('cheap-tag');
    expect(e.rules[0]).toMatchObject({ id: 'long', matched: false, reason: '~50 prompt tokens is below the minimum 10000' });
    expect(e.strategy).toBe('lowest-cost');
  });

  it('resolves a rule that points at an alias, with the rule timeout', () => {
    const d = resolveRoute(config(), req({ model: 'anything', promptTokens: 20_000 }), state());
    expect(keys(d.targets)).toEqual(['openai/gpt-4o', 'anthropic/claude-sonnet-4']);
    expect(d.timeoutMs).toBe(120_000);
    expect(d.explanation.source).toBe("rule → alias 'smart'");
  });

  it('resolves aliases, explicit provider/model names and the catalog when no rule matches', () => {
    expect(keys(resolveRoute(config(), req({ model: 'fast' }), state()).targets)).toEqual(['openai/gpt-4o-mini']);
    expect(keys(resolveRoute(config(), req({ model: 'anthropic/claude-3-5-haiku' }), state()).targets)).toEqual(['anthropic/claude-3-5-haiku']);
    const viaCatalog = resolveRoute(config(), req({ model: 'gpt-4.1' }), state({ resolveModel: (m) => [T('openai', m)] }));
    expect(keys(viaCatalog.targets)).toEqual(['openai/gpt-4.1']);
    const unknown = resolveRoute(config(), req({ model: 'nope' }), state());
    expect(unknown.targets).toEqual([]);
    expect(routeFailure(unknown, 'nope')?.code).toBe('SLUICE_MODEL_NOT_FOUND');
  });

  it('maps model auto through the complexity class, falling to the next stronger class', () => {
    expect(keys(resolveRoute(config(), req({ model: 'auto', complexity: 'simple' }), state()).targets)).toEqual(['local/llama3']);
    const medium = resolveRoute(config(), req({ model: 'auto', complexity: 'medium' }), state());
    expect(keys(medium.targets)).toEqual(['anthropic/claude-opus-4']);
    expect(medium.explanation.source).toBe('class complex');
    expect(keys(resolveRoute(config(), req({ model: 'auto', complexity: 'very-complex' }), state()).targets)).toEqual(['anthropic/claude-opus-4']);
  });

  it('skips targets whose breaker is open, provider is disabled or endpoint unsupported, and says so', () => {
    const d = resolveRoute(config(), req({ model: 'smart' }), state({ open: ['openai/gpt-4o'] }));
    expect(keys(d.targets)).toEqual(['anthropic/claude-sonnet-4']);
    expect(d.explanation.candidates).toMatchObject([
      { target: 'openai/gpt-4o', kept: false, reason: 'breaker open' },
      { target: 'anthropic/claude-sonnet-4', kept: true, reason: 'ok' },
    ]);
    const d2 = resolveRoute(config(), req({ model: 'smart', endpoint: 'embeddings' }), state({ disabled: ['openai'], chatOnly: ['anthropic'] }));
    expect(d2.targets).toEqual([]);
    expect(d2.explanation.candidates.map((c) => c.reason)).toEqual(['provider disabled', 'endpoint embeddings unsupported']);
    const err = routeFailure(d2, 'smart');
    expect(err?.status).toBe(503);
    expect(err?.message).toContain('openai/gpt-4o (provider disabled)');
  });

  it('keeps the targets whose breaker is open when nothing else is left, and says so', () => {
    const d = resolveRoute(config(), req({ model: 'smart' }), state({ open: ['openai/gpt-4o', 'anthropic/claude-sonnet-4'] }));
    expect(keys(d.targets)).toEqual(['openai/gpt-4o', 'anthropic/claude-sonnet-4']);
    expect(d.explanation.candidates.every((c) => c.kept && c.reason.startsWith('breaker open, tried anyway'))).toBe(true);
    expect(routeFailure(d, 'smart')).toBeNull();
    // a disabled provider is not brought back that way
    const d2 = resolveRoute(config(), req({ model: 'smart' }), state({ open: ['openai/gpt-4o'], disabled: ['anthropic'] }));
    expect(keys(d2.targets)).toEqual(['openai/gpt-4o']);
  });

  it('refuses when a request-wide budget with refuse is exhausted', () => {
    const cfg = config({ budgets: [{ id: 'smart-daily', scope: 'alias', match: 'smart', period: 'day', unit: 'usd', limit: 5, onExhausted: 'refuse' }] });
    const d = resolveRoute(cfg, req({ model: 'smart' }), state({ exhausted: ['smart-daily'] }));
    expect(d.targets).toEqual([]);
    expect(d.refusal?.budget).toBe('smart-daily');
    const err = routeFailure(d, 'smart');
    expect(err?.status).toBe(429);
    expect(err?.message).toContain("Budget 'smart-daily'");
    expect(resolveRoute(cfg, req({ model: 'smart' }), state()).targets).toHaveLength(2);
  });

  it('downgrades to cheaper targets when a budget says so', () => {
    const cfg = config({ budgets: [{ id: 'tag-cap', scope: 'tag', match: 'team-a', period: 'month', unit: 'tokens', limit: 1000, onExhausted: 'downgrade' }] });
    const d = resolveRoute(cfg, req({ model: 'smart', tags: ['team-a'] }), state({ exhausted: ['tag-cap'] }));
    // gpt-4o is cheaper than claude-sonnet-4, the dearer fallback left out
    expect(keys(d.targets)).toEqual(['openai/gpt-4o']);
    const cfg2 = config({ budgets: [{ id: 'openai-cap', scope: 'provider', match: 'openai', period: 'day', unit: 'usd', limit: 1, onExhausted: 'downgrade', downgradeTo: [T('local', 'llama3')] }] });
    const d2 = resolveRoute(cfg2, req({ model: 'smart' }), state({ exhausted: ['openai-cap'] }));
    expect(keys(d2.targets)).toEqual(['local/llama3', 'anthropic/claude-sonnet-4']);
    expect(d2.explanation.candidates[0]).toMatchObject({ target: 'openai/gpt-4o', kept: false, reason: "budget 'openai-cap' exhausted, downgrading" });
  });

  it('refuses when a downgrade has nothing cheaper to move to, and says why', () => {
    const sim = T('simulator', 'sim-reasoner');
    const alone = (over: Partial<BudgetConfig>) => config({
      aliases: [{ name: 'smart', targets: [sim] }],
      budgets: [{ id: 'smart-day', scope: 'alias', match: 'smart', period: 'day', unit: 'tokens', limit: 300, onExhausted: 'downgrade', ...over }],
    });
    for (const cfg of [alone({}), alone({ downgradeTo: [sim] })]) {
      const d = resolveRoute(cfg, req({ model: 'smart' }), state({ exhausted: ['smart-day'] }));
      expect(d.targets).toEqual([]);
      expect(d.refusal?.budget).toBe('smart-day');
      const err = routeFailure(d, 'smart');
      expect(err?.status).toBe(429);
      expect(err?.message).toBe("Budget 'smart-day' (alias 'smart', 300 tokens per day) is exhausted and has no cheaper target to downgrade to.");
      expect(d.explanation.steps).toContain("budget 'smart-day' is exhausted and nothing cheaper is left to downgrade to: request refused");
      expect(d.explanation.steps.join('\n')).not.toContain('downgraded to');
      // the cache may still answer it: as if the budget had not run out
      expect(keys(resolveRouteUnrefused(cfg, req({ model: 'smart' }), state({ exhausted: ['smart-day'] })).targets)).toEqual(['simulator/sim-reasoner']);
    }
    // two models at the same price: neither is cheaper
    const same = config({ budgets: [{ id: 'tag-cap', scope: 'tag', match: 'team-a', period: 'month', unit: 'tokens', limit: 1, onExhausted: 'downgrade' }] });
    const flat = state({ exhausted: ['tag-cap'], price: () => ({ input: 1, output: 1 }) });
    expect(resolveRoute(same, req({ model: 'smart', tags: ['team-a'] }), flat).refusal?.budget).toBe('tag-cap');
    // a downgrade target of its own still moves there
    const d = resolveRoute(alone({ downgradeTo: [T('simulator', 'sim-fast')] }), req({ model: 'smart' }), state({ exhausted: ['smart-day'] }));
    expect(keys(d.targets)).toEqual(['simulator/sim-fast']);
    // a model budget whose target has nowhere else to go refuses too, rather than a 503
    const lone = config({
      aliases: [{ name: 'one', targets: [T('openai', 'gpt-4o')] }],
      budgets: [{ id: 'g', scope: 'model', match: 'gpt-4o', period: 'day', unit: 'usd', limit: 1, onExhausted: 'downgrade', downgradeTo: [T('openai', 'gpt-4o')] }],
    });
    const d2 = resolveRoute(lone, req({ model: 'one' }), state({ exhausted: ['g'] }));
    expect(routeFailure(d2, 'one')?.code).toBe('SLUICE_BUDGET_EXCEEDED');
    expect(d2.explanation.candidates[0]).toMatchObject({ target: 'openai/gpt-4o', kept: false, reason: "budget 'g' exhausted" });
  });

  it('finds a tag budget written in capitals, as spend is counted against it (request tags are lower case)', () => {
    const cfg = config({ budgets: [{ id: 'tag-cap', scope: 'tag', match: ' Team-A ', period: 'month', unit: 'tokens', limit: 1000, onExhausted: 'refuse' }] });
    const d = resolveRoute(cfg, req({ model: 'smart', tags: ['team-a'] }), state({ exhausted: ['tag-cap'] }));
    expect(d.refusal?.budget).toBe('tag-cap');
    expect(d.targets).toEqual([]);
  });

  it('refuses when per-target refuse budgets leave nothing', () => {
    const cfg = config({ budgets: [{ id: 'gpt', scope: 'model', match: 'gpt-4o-mini', period: 'day', unit: 'usd', limit: 1, onExhausted: 'refuse' }] });
    const d = resolveRoute(cfg, req({ model: 'fast' }), state({ exhausted: ['gpt'] }));
    expect(d.refusal?.budget).toBe('gpt');
    expect(routeFailure(d, 'fast')?.code).toBe('SLUICE_BUDGET_EXCEEDED');
  });

  it('gives the targets a refused request would have used, with downgrading budgets still applied', () => {
    const cfg = config({
      budgets: [
        { id: 'smart-daily', scope: 'alias', match: 'smart', period: 'day', unit: 'usd', limit: 5, onExhausted: 'refuse' },
        { id: 'claude-cap', scope: 'model', match: 'claude-sonnet-4', period: 'day', unit: 'usd', limit: 5, onExhausted: 'downgrade', downgradeTo: [T('local', 'llama3')] },
      ],
    });
    const exhausted = state({ exhausted: ['smart-daily', 'claude-cap'] });
    expect(resolveRoute(cfg, req({ model: 'smart' }), exhausted).refusal?.budget).toBe('smart-daily');
    const d = resolveRouteUnrefused(cfg, req({ model: 'smart' }), exhausted);
    expect(d.refusal).toBeNull();
    expect(keys(d.targets)).toEqual(['openai/gpt-4o', 'local/llama3']);
    const perTarget = config({ budgets: [{ id: 'gpt', scope: 'model', match: 'gpt-4o-mini', period: 'day', unit: 'usd', limit: 1, onExhausted: 'refuse' }] });
    expect(keys(resolveRouteUnrefused(perTarget, req({ model: 'fast' }), state({ exhausted: ['gpt'] })).targets)).toEqual(['openai/gpt-4o-mini']);
  });

  it('orders weighted aliases by the injected random and least-latency by EWMA', () => {
    const cfg = config({ aliases: [{ name: 'mix', strategy: 'weighted', weights: [1, 3], targets: [T('openai', 'gpt-4o'), T('anthropic', 'claude-sonnet-4')] }] });
    expect(keys(resolveRoute(cfg, req({ model: 'mix' }), state({ random: () => 0.1 })).targets)[0]).toBe('openai/gpt-4o');
    expect(keys(resolveRoute(cfg, req({ model: 'mix' }), state({ random: () => 0.5 })).targets)[0]).toBe('anthropic/claude-sonnet-4');
    const fastest = config({ aliases: [{ name: 'q', strategy: 'least-latency', targets: [T('openai', 'gpt-4o'), T('anthropic', 'claude-sonnet-4')] }] });
    const lat: Record<string, number> = { 'openai/gpt-4o': 900, 'anthropic/claude-sonnet-4': 300 };
    expect(keys(resolveRoute(fastest, req({ model: 'q' }), state({ latencyMs: (k) => lat[k] })).targets)).toEqual(['anthropic/claude-sonnet-4', 'openai/gpt-4o']);
  });

  it('is a pure function: same inputs, same decision; compiled and raw configs agree', () => {
    const cfg = config();
    const a = resolveRoute(cfg, req({ tags: ['batch'] }), state());
    const b = resolveRoute(compileRouting(cfg), req({ tags: ['batch'] }), state());
    expect(b.targets).toEqual(a.targets);
    expect(b.explanation).toEqual(a.explanation);
    expect(a.explanation.steps.at(-1)).toBe('will try openai/gpt-4o-mini → deepseek/deepseek-chat → openai/gpt-4o');
  });

  it('marks rules after the match as not evaluated', () => {
    const cfg = config({ rules: [...config().rules, { id: 'z', name: 'z', enabled: true, when: {}, action: { strategy: 'fallback', alias: 'fast' } }] });
    const e = resolveRoute(cfg, req({ tags: ['batch'] }), state()).explanation;
    expect(e.rules[2]).toMatchObject({ id: 'z', matched: false, reason: 'not evaluated: an earlier rule matched' });
  });

  it('knows when the complexity class is needed', () => {
    const plain = compileRouting(config());
    expect(needsComplexity(plain, 'auto')).toBe(true);
    expect(needsComplexity(plain, 'gpt-4o')).toBe(false);
    const withClassRule = compileRouting(config({ rules: [{ id: 'c', name: 'c', enabled: true, when: { complexity: ['complex'] }, action: { strategy: 'fallback', alias: 'smart' } }] }));
    expect(needsComplexity(withClassRule, 'gpt-4o')).toBe(true);
  });

  it('downgrades a model budget without downgrade targets to the cheaper remaining candidates', () => {
    const cfg = config({
      aliases: [{ name: 'tiered', targets: [T('openai', 'gpt-4o'), T('anthropic', 'claude-opus-4'), T('openai', 'gpt-4o-mini')] }],
      budgets: [{ id: 'g', scope: 'model', match: 'gpt-4o', period: 'day', unit: 'usd', limit: 1, onExhausted: 'downgrade' }],
    });
    const d = resolveRoute(cfg, req({ model: 'tiered' }), state({ exhausted: ['g'] }));
    expect(keys(d.targets)).toEqual(['openai/gpt-4o-mini', 'anthropic/claude-opus-4']);
  });
});
