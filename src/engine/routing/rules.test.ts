import { describe, expect, it } from 'vitest';
import type { RoutingRule } from '../../shared/routing.ts';
import { parseTags } from '../api/tags.ts';
import { compileRule, compileRules, describeMiss, findRule, ruleMiss, type RouteRequest } from './rules.ts';

const req = (over: Partial<RouteRequest> = {}): RouteRequest => ({
  model: 'gpt-4o', endpoint: 'chat', tags: [], promptTokens: 100, complexity: 'simple', ...over,
});

const rule = (id: string, when: RoutingRule['when'], enabled = true): RoutingRule => ({
  id, name: id, enabled, when, action: { strategy: 'fallback', targets: [{ provider: 'p', model: id }] },
});

describe('rule matching', () => {
  it('matches on every condition kind and reports the first that fails', () => {
    const r = compileRule(rule('r', { model: ['gpt-4*'], endpoint: ['chat'], tags: ['prod'], minPromptTokens: 50, maxPromptTokens: 500, complexity: ['simple', 'medium'] }));
    expect(ruleMiss(r, req({ tags: ['prod', 'x'] }))).toBeNull();
    expect(ruleMiss(r, req({ tags: ['prod'], model: 'claude-3' }))).toBe('model');
    expect(ruleMiss(r, req({ tags: ['prod'], endpoint: 'embeddings' }))).toBe('endpoint');
    expect(ruleMiss(r, req({ tags: [] }))).toBe('tags');
    expect(ruleMiss(r, req({ tags: ['prod'], promptTokens: 10 }))).toBe('minPromptTokens');
    expect(ruleMiss(r, req({ tags: ['prod'], promptTokens: 501 }))).toBe('maxPromptTokens');
    expect(ruleMiss(r, req({ tags: ['prod'], complexity: 'complex' }))).toBe('complexity');
    expect(ruleMiss(r, req({ tags: ['prod'], complexity: null }))).toBe('complexity');
  });

  it('matches tags whatever their case, in the rule and in the x-sluice-tags header', () => {
    const r = compileRule(rule('r', { tags: ['Beta'] }));
    expect(ruleMiss(r, req({ tags: parseTags(' BETA , beta,other') }))).toBeNull();
    expect(parseTags('BETA, beta ,,other')).toEqual(['beta', 'other']);
  });

  it('takes the first matching rule in order, skipping disabled ones', () => {
    const rules = compileRules([
      rule('off', {}, false),
      rule('claude', { model: ['claude-*'] }),
      rule('catch-all', {}),
      rule('never', {}),
    ]);
    expect(findRule(rules, req({ model: 'claude-3-haiku' }))).toBe(1);
    expect(findRule(rules, req())).toBe(2);
    expect(findRule([], req())).toBe(-1);
  });

  it('says why in words', () => {
    const r = compileRule(rule('r', { model: ['gpt-4*'], tags: ['prod'] }));
    expect(describeMiss(r, req({ model: 'o3' }), 'model')).toBe("model 'o3' matches none of 'gpt-4*'");
    expect(describeMiss(r, req({ tags: ['dev'] }), 'tags')).toBe("tag 'prod' is missing (request tags: dev)");
    expect(describeMiss(r, req({ tags: ['prod'] }), null)).toContain("model 'gpt-4o' matches 'gpt-4*'");
    expect(describeMiss(compileRule(rule('d', {}, false)), req(), 'disabled')).toBe('rule is disabled');
  });
});
