import { describe, expect, it } from 'vitest';
import { defaultRoutingConfig, type RoutingConfig } from '../../shared/routing.ts';
import { resolveRoute, type RouterState } from './router.ts';
import { withAliasTargets, withRuleEnabled } from './routing-edits.ts';

const cfg: RoutingConfig = {
  ...defaultRoutingConfig(),
  aliases: [{ name: 'smart', targets: [{ provider: 'a', model: 'x' }], weights: [1] }],
  rules: [{ id: 'r', name: 'r', enabled: true, when: { model: ['smart'] }, action: { strategy: 'fallback', targets: [{ provider: 'b', model: 'y' }] } }],
};
const state: RouterState = {
  breakerOpen: () => false, budgetExhausted: () => false, latencyMs: () => undefined,
  provider: () => ({ enabled: true, endpoints: new Set(['chat']) }), price: () => undefined, random: () => 0,
};
const route = (c: RoutingConfig) => resolveRoute(c, { model: 'smart', endpoint: 'chat', tags: [], promptTokens: 1, complexity: null }, state).targets;

describe('routing edits', () => {
  it('switches the targets behind an alias in one call, without touching the original', () => {
    const next = withAliasTargets(withRuleEnabled(cfg, 'r', false), 'smart', [{ provider: 'c', model: 'z' }]);
    expect(route(next)).toEqual([{ provider: 'c', model: 'z' }]);
    expect(cfg.aliases[0].targets).toEqual([{ provider: 'a', model: 'x' }]);
    expect(withAliasTargets(cfg, 'new', [{ provider: 'a', model: 'x' }]).aliases.map((a) => a.name)).toEqual(['smart', 'new']);
  });

  it('drops the engine’s default description of a switched alias, as saved before too, and keeps the user’s', () => {
    const described = (description: string) => withAliasTargets({ ...cfg, aliases: [{ ...cfg.aliases[0], description }] }, 'smart', [{ provider: 'c', model: 'z' }]).aliases[0];
    expect(described('default: the strongest model')).not.toHaveProperty('description');
    expect(described('the strongest model')).not.toHaveProperty('description');
    expect(described('our best model')).toMatchObject({ description: 'our best model', targets: [{ provider: 'c', model: 'z' }] });
  });

  it('toggles a rule, refusing unknown ids', () => {
    expect(route(cfg)).toEqual([{ provider: 'b', model: 'y' }]);
    expect(route(withRuleEnabled(cfg, 'r', false))).toEqual([{ provider: 'a', model: 'x' }]);
    expect(() => withRuleEnabled(cfg, 'nope', true)).toThrow(/nope/);
  });
});
