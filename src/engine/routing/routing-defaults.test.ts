import { describe, expect, it } from 'vitest';
import type { ProviderConfig } from '../../shared/config.ts';
import { DEFAULT_BREAKER, DEFAULT_RETRY, defaultRoutingConfig } from '../../shared/routing.ts';
import { PriceTable } from './pricing.ts';
import { effectiveRouting, fromConfigSection, withDefaultSections } from './routing-defaults.ts';

const sim: ProviderConfig = { id: 'simulator', type: 'simulator' };
const openai: ProviderConfig = { id: 'openai', type: 'openai-compatible', baseUrl: 'http://x/v1', models: ['gpt-4o', 'gpt-4o-mini', 'my-finetune'] };
const prices = (providers: ProviderConfig[]) => new PriceTable({ providers });
const aliasTargets = (cfg: ReturnType<typeof defaultRoutingConfig>, name: string) => cfg.aliases.find((a) => a.name === name)?.targets;

describe('effectiveRouting', () => {
  it('points fast, smart and the auto classes at the simulator on a fresh start', () => {
    const eff = effectiveRouting(defaultRoutingConfig(), [sim], prices([sim]));
    expect(aliasTargets(eff, 'fast')).toEqual([{ provider: 'simulator', model: 'sim-fast' }]);
    expect(aliasTargets(eff, 'smart')).toEqual([{ provider: 'simulator', model: 'sim-reasoner' }]);
    expect(eff.classTargets.simple).toEqual([{ provider: 'simulator', model: 'sim-fast' }]);
    expect(eff.classTargets['very-complex']).toEqual([{ provider: 'simulator', model: 'sim-reasoner' }]);
  });

  it('prefers the cheapest and the dearest priced model of configured providers', () => {
    const eff = effectiveRouting(defaultRoutingConfig(), [sim, openai], prices([sim, openai]));
    expect(aliasTargets(eff, 'fast')).toEqual([{ provider: 'openai', model: 'gpt-4o-mini' }]);
    expect(aliasTargets(eff, 'smart')).toEqual([{ provider: 'openai', model: 'gpt-4o' }]);
    expect(eff.classTargets.complex).toEqual([{ provider: 'openai', model: 'gpt-4o' }]);
  });

  it('never overrides what the user defined, and adds nothing when no provider fits', () => {
    const own = { ...defaultRoutingConfig(), aliases: [{ name: 'fast', targets: [{ provider: 'openai', model: 'my-finetune' }] }], classTargets: { simple: [{ provider: 'openai', model: 'gpt-4o-mini' }] } };
    const eff = effectiveRouting(own, [sim, openai], prices([sim, openai]));
    expect(aliasTargets(eff, 'fast')).toEqual([{ provider: 'openai', model: 'my-finetune' }]);
    expect(eff.classTargets).toEqual(own.classTargets);
    const bare = defaultRoutingConfig();
    expect(effectiveRouting(bare, [{ ...openai, models: ['my-finetune'] }], prices([]))).toBe(bare);
  });
});

describe('fromConfigSection', () => {
  it('completes a partial config file section with the defaults', () => {
    const cfg = fromConfigSection({ retry: { maxAttempts: 9 }, aliases: [{ name: 'x', targets: [] }] });
    expect(cfg.retry.maxAttempts).toBe(9);
    expect(cfg.retry.attemptsPerTarget).toBe(defaultRoutingConfig().retry.attemptsPerTarget);
    expect(cfg.rules).toEqual([]);
    expect(cfg.aliases).toHaveLength(1);
    expect(fromConfigSection(undefined)).toEqual(defaultRoutingConfig());
  });
});

describe('withDefaultSections', () => {
  it('gives every section a document leaves out (or sets to null) its default, as for the config file', () => {
    const aliases = [{ name: 'x', targets: [] }];
    expect(withDefaultSections({ aliases, breaker: null })).toEqual({ ...defaultRoutingConfig(), aliases });
    expect(withDefaultSections({ retry: { maxAttempts: 2 }, breaker: { cooldownMs: 5 } })).toEqual({
      ...defaultRoutingConfig(), retry: { ...DEFAULT_RETRY, maxAttempts: 2 }, breaker: { ...DEFAULT_BREAKER, cooldownMs: 5 },
    });
    expect(withDefaultSections({ prices: { m: { input: 1, output: 1 } } })).toMatchObject({ prices: { m: { input: 1, output: 1 } } });
  });

  it('keeps a section of the wrong shape, and a document that is not an object, for validation to name', () => {
    expect(withDefaultSections({ retry: 'fast', rules: {}, classTargets: [] })).toMatchObject({ retry: 'fast', rules: {}, classTargets: [] });
    expect(withDefaultSections([1])).toEqual([1]);
    expect(withDefaultSections('x')).toBe('x');
  });
});
