import { describe, expect, it } from 'vitest';
import type { ProviderConfig } from '../../shared/config.ts';
import { BUILTIN_PRICES, PriceTable, blendedPrice, costOf } from './pricing.ts';

const providers: ProviderConfig[] = [
  { id: 'openai', type: 'openai-compatible', baseUrl: 'https://api.openai.com/v1', prices: { 'gpt-4o': { input: 1, output: 2 } } },
  { id: 'sim', type: 'simulator' },
  { id: 'ollama', type: 'openai-compatible', baseUrl: 'http://127.0.0.1:11434/v1', source: 'detected' },
  { id: 'ds', type: 'openai-compatible', baseUrl: 'https://api.deepseek.com' },
];

describe('PriceTable', () => {
  it('refuses a price past the ceiling, and never prices a request at a cost that is not a number', () => {
    expect(() => new PriceTable({ overrides: { m: { input: 1e308, output: 1 } } })).toThrow(/prices\['m'\]\.input must be a number from 0 to 1000000/);
    // a price an older build took, or usage of absurd size: counted as unknown (0), never Infinity or NaN
    expect(costOf({ prompt_tokens: 1000, completion_tokens: 500 }, { input: 1e308, output: 1 })).toBe(0);
    expect(costOf({ prompt_tokens: 1e308, completion_tokens: 1e308 }, { input: 1000, output: 1000 })).toBe(0);
    expect(costOf({ prompt_tokens: 1000, completion_tokens: 500 }, { input: 1_000_000, output: 1_000_000 })).toBe(1500);
  });

  it('has built-in prices for common models of each family', () => {
    for (const m of ['gpt-4o', 'gpt-4o-mini', 'gpt-4.1', 'o3', 'o4-mini', 'text-embedding-3-small', 'tts-1', 'gpt-4o-mini-tts', 'claude-sonnet-4', 'deepseek-chat']) {
      expect(BUILTIN_PRICES[m], m).toBeDefined();
    }
  });

  it('matches dated names to their longest known prefix', () => {
    const t = new PriceTable();
    expect(t.priceOfModel('gpt-4o-2024-08-06')).toEqual(BUILTIN_PRICES['gpt-4o']);
    expect(t.priceOfModel('gpt-4o-mini-2024-07-18')).toEqual(BUILTIN_PRICES['gpt-4o-mini']);
    expect(t.priceOfModel('claude-3-5-haiku-20241022')).toEqual(BUILTIN_PRICES['claude-3-5-haiku']);
    expect(t.priceOfModel('gpt-4oxyz')).toBeUndefined();
    expect(t.priceOfModel('mystery')).toBeUndefined();
  });

  it('applies provider prices, then global overrides; local and simulator models are free', () => {
    const t = new PriceTable({ providers, overrides: { 'deepseek-chat': { input: 0.1, output: 0.2 } } });
    expect(t.priceOf({ provider: 'openai', model: 'gpt-4o' })).toEqual({ input: 1, output: 2 });
    expect(t.priceOf({ provider: 'openai', model: 'gpt-4o-mini' })).toEqual(BUILTIN_PRICES['gpt-4o-mini']);
    expect(t.priceOf({ provider: 'ds', model: 'deepseek-chat' })).toEqual({ input: 0.1, output: 0.2 });
    expect(t.priceOf({ provider: 'sim', model: 'gpt-4o' })).toEqual({ input: 0, output: 0 });
    expect(t.priceOf({ provider: 'ollama', model: 'llama3' })).toEqual({ input: 0, output: 0 });
  });

  it('lets a global override for exactly that model price a local or simulator model', () => {
    const t = new PriceTable({ providers, overrides: { 'sim-fast': { input: 1, output: 2 }, llama3: { input: 0.5, output: 0.5 } } });
    expect(t.priceOf({ provider: 'sim', model: 'sim-fast' })).toEqual({ input: 1, output: 2 });
    expect(t.priceOf({ provider: 'ollama', model: 'llama3' })).toEqual({ input: 0.5, output: 0.5 });
    expect(t.priceOf({ provider: 'ollama', model: 'llama3:8b' })).toEqual({ input: 0, output: 0 });
    expect(t.priceOf({ provider: 'sim', model: 'sim-chat' })).toEqual({ input: 0, output: 0 });
    expect(t.priceOf({ provider: 'sim', model: 'gpt-4o' })).toEqual({ input: 0, output: 0 }); // the built-in table does not apply
  });

  it('refuses negative overrides', () => {
    expect(() => new PriceTable({ overrides: { x: { input: -1, output: 0 } } })).toThrow(/prices\['x'\]\.input/);
  });
});

describe('costOf', () => {
  it('multiplies usage by price per million tokens', () => {
    expect(costOf({ prompt_tokens: 1_000_000, completion_tokens: 500_000 }, { input: 2.5, output: 10 })).toBeCloseTo(7.5, 10);
    expect(costOf({ prompt_tokens: 1200, completion_tokens: 300 }, BUILTIN_PRICES['gpt-4o-mini'])).toBeCloseTo(0.00036, 10);
    expect(costOf(null, { input: 1, output: 1 })).toBe(0);
    expect(costOf({ prompt_tokens: 5, completion_tokens: 5 }, undefined)).toBe(0);
    expect(blendedPrice({ input: 2, output: 10 })).toBe(4);
  });
});
