import { describe, expect, it } from 'vitest';
import type { ProviderConfig } from '../../shared/config.ts';
import { defaultRoutingConfig, type RoutingConfig } from '../../shared/routing.ts';
import { ROUTING_ISSUE_CODES } from '../../shared/routing-issues.ts';
import { ConfigError } from '../config/validate-config.ts';
import { routingIssues, routingProblems, validateRouting } from './validate-routing.ts';

const providers: ProviderConfig[] = [
  { id: 'openai', type: 'openai-compatible', baseUrl: 'https://api.openai.com/v1', apiKey: 'sk-secret-1234567890abcd' },
  { id: 'sim', type: 'simulator' },
];

function good(): RoutingConfig {
  return {
    ...defaultRoutingConfig(),
    aliases: [{ name: 'fast', targets: [{ provider: 'sim', model: 'fast-1' }] }],
    rules: [
      { id: 'r1', name: 'one', enabled: true, when: { model: ['gpt-*'] }, action: { strategy: 'fallback', alias: 'fast' } },
      { id: 'r2', name: 'two', enabled: true, when: {}, action: { strategy: 'weighted', weights: [1, 2], targets: [{ provider: 'openai', model: 'gpt-4o' }, { provider: 'sim', model: 'x' }] } },
    ],
    budgets: [{ id: 'b1', scope: 'provider', match: 'openai', period: 'day', unit: 'usd', limit: 5, onExhausted: 'refuse' }],
    classTargets: { simple: [{ provider: 'sim', model: 'fast-1' }] },
  };
}

describe('validateRouting', () => {
  it('accepts a good config', () => {
    expect(routingIssues(good(), providers)).toEqual([]);
    expect(validateRouting(good(), providers)).toEqual(good());
  });

  it('names the field path of each problem', () => {
    const cfg = good() as any;
    cfg.rules.push({ id: 'r3', name: 'three', enabled: true, when: { complexity: ['huge'], minPromptTokens: 10, maxPromptTokens: 5 }, action: { strategy: 'fallback', targets: [{ provider: 'foo', model: 'bar' }] } });
    cfg.rules[1].action.weights = [1];
    cfg.rules[0].action.cache = { ttlSeconds: 60, semantic: { enabled: true, threshold: 1.5 } };
    cfg.aliases.push({ name: 'fast', targets: [] });
    cfg.budgets[0].threshold = 80;
    cfg.budgets.push({ id: 'b2', scope: 'alias', match: 'slow', period: 'week', unit: 'usd', limit: -1, onExhausted: 'explode' });
    cfg.classTargets.genius = [];
    const issues = routingIssues(cfg, providers);
    expect(issues).toEqual(expect.arrayContaining([
      "rules[2].action.targets[0].provider: unknown provider 'foo'",
      'rules[2].when.complexity: must be a list of simple, medium, complex, very-complex',
      'rules[2].when.maxPromptTokens: must not be below minPromptTokens',
      'rules[1].action.weights: has 1 weights for 2 targets',
      'rules[0].action.cache.semantic.threshold: must be a similarity in [0.5, 1], e.g. 0.95',
      "aliases[1].name: duplicate alias 'fast'",
      'aliases[1].targets: must name at least one target',
      'budgets[0].threshold: must be a fraction in (0, 1], e.g. 0.8',
      "budgets[1].match: unknown alias 'slow'",
      "budgets[1].period: must be 'day' or 'month'",
      'budgets[1].limit: must be a non-negative number',
      "budgets[1].onExhausted: must be 'refuse' or 'downgrade'",
      'classTargets.genius: unknown class; use simple, medium, complex, very-complex',
    ]));
  });

  it('accepts the built-in aliases fast and smart in rules and budgets without defining them', () => {
    const cfg = { ...defaultRoutingConfig(), aliases: [],
      rules: [{ id: 'r1', name: 'to smart', enabled: true, when: { model: ['gpt-4*'] }, action: { strategy: 'fallback' as const, alias: 'smart' } }],
      budgets: [{ id: 'b1', scope: 'alias' as const, match: 'fast', period: 'day' as const, unit: 'tokens' as const, limit: 1000, onExhausted: 'refuse' as const }] };
    expect(routingIssues(cfg, providers)).toEqual([]);
  });

  it('refuses a semantic threshold below 0.5, where paraphrase matching would be guesswork', () => {
    const cfg = good() as any;
    cfg.rules[0].action.cache = { semantic: { enabled: true, threshold: 0.3 } };
    expect(routingIssues(cfg, providers)).toEqual(['rules[0].action.cache.semantic.threshold: must be a similarity in [0.5, 1], e.g. 0.95']);
  });

  it('requires exactly one of targets or alias, a known alias and a strategy', () => {
    const cfg = good() as any;
    cfg.rules[0].action = { alias: 'nope' };
    cfg.rules[1].action = { strategy: 'fallback', alias: 'fast', targets: [{ provider: 'sim', model: 'a' }] };
    const issues = routingIssues(cfg, providers);
    expect(issues).toContain("rules[0].action.alias: unknown alias 'nope'");
    expect(issues).toContain('rules[0].action.strategy: must be one of fallback, weighted, least-latency, lowest-cost');
    expect(issues).toContain('rules[1].action: needs exactly one of targets or alias');
  });

  it('throws a 400 ConfigError that never echoes a key', () => {
    const cfg = good() as any;
    cfg.retry.maxAttempts = 0;
    cfg.breaker = { failureThreshold: 1.5, windowMs: 0, cooldownMs: 1 };
    let err: any;
    try { validateRouting(cfg, [...providers, { id: 'x', type: 'simulator', prices: { m: { input: -1, output: 1 } } }]); } catch (e) { err = e; }
    expect(err?.status).toBe(400);
    expect(err?.code).toBe('SLUICE_INVALID_CONFIG');
    expect(err.issues).toEqual([
      'retry.maxAttempts: must be an integer from 1 to 20',
      'breaker.failureThreshold: must be a positive integer',
      'breaker.windowMs: must be a positive number',
      "providers['x'].prices['m']: must be { input, output } in USD per million tokens, each from 0 to 1000000 (a dollar a token)",
    ]);
    expect(err.message).not.toContain('sk-secret');
    expect(routingIssues(null, providers)).toEqual(['routing: must be an object']);
  });

  it('gives every problem a code and the values its words name, so the panel need not read the English', () => {
    const cfg = good() as any;
    cfg.rules[0].when = { tagz: ['x'] };
    cfg.rules[1].action.targets[0].provider = 'nope';
    cfg.budgets[0].period = 'week';
    cfg.aliases.push({ name: 'fast', targets: [] });
    let err: unknown;
    try { validateRouting(cfg, providers); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems!;
    expect(problems).toEqual(expect.arrayContaining([
      { param: 'rules[1].action.targets[0].provider', message: "unknown provider 'nope'", code: 'unknownProvider', vars: { name: 'nope' } },
      { param: 'budgets[0].period', message: "must be 'day' or 'month'", code: 'oneOf', vars: { choices: 'day, month' } },
      { param: 'aliases[1].name', message: "duplicate alias 'fast'", code: 'duplicate', vars: { name: 'fast' } },
      { param: 'aliases[1].targets', message: 'must name at least one target', code: 'noTargets' },
      expect.objectContaining({ param: 'rules[0].when.tagz', code: 'unknownKey', vars: expect.objectContaining({ near: 'tags' }) }),
    ]));
    // the words are those of the one-line form
    expect((err as ConfigError).issues).toContain("rules[1].action.targets[0].provider: unknown provider 'nope'");
  });

  it('every code is one the panel knows', () => {
    const cfg = good() as any;
    cfg.rules.push({ id: 'bad id!', name: '', enabled: 'yes', when: { model: [1], endpoint: ['x'], tags: [''], minPromptTokens: -1 }, action: { strategy: 'x', targets: [], alias: 'a', timeoutMs: 5, weights: [-1] } });
    cfg.retry = { attemptsPerTarget: 0, maxAttempts: 1, baseDelayMs: 10, maxDelayMs: 1, maxRetryAfterMs: 1 };
    for (const p of routingProblems(cfg, providers)) expect(ROUTING_ISSUE_CODES).toContain(p.code);
    expect(routingProblems(cfg, providers).length).toBeGreaterThan(8);
  });
});
