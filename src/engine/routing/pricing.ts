// Prices in USD per million tokens: a built-in table for common models, overridden by the config
// (global overrides, then each provider's own `prices`). Local and simulator models cost nothing
// unless a price is set for them: their provider's own `prices`, or a global override for the model.
// A dated or suffixed name (`gpt-4o-2024-08-06`) takes the price of its longest known prefix.
import { MAX_PRICE_USD, type ModelPrice, type ProviderConfig } from '../../shared/config.ts';
import { spentUsd } from '../money.ts';
import type { Usage } from '../../shared/openai.ts';
import type { Target } from '../../shared/targets.ts';

/** Built-in prices (USD per 1M input / output tokens; tts-1* per 1M input characters). Editable through overrides. */
export const BUILTIN_PRICES: Readonly<Record<string, Readonly<ModelPrice>>> = Object.freeze({
  'gpt-4o': { input: 2.5, output: 10 },
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
  'gpt-4.1': { input: 2, output: 8 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4 },
  'gpt-4-turbo': { input: 10, output: 30 },
  'gpt-4': { input: 30, output: 60 },
  'gpt-3.5-turbo': { input: 0.5, output: 1.5 },
  'gpt-5': { input: 1.25, output: 10 },
  'gpt-5-mini': { input: 0.25, output: 2 },
  'gpt-5-nano': { input: 0.05, output: 0.4 },
  'o1': { input: 15, output: 60 },
  'o1-mini': { input: 1.1, output: 4.4 },
  'o3': { input: 2, output: 8 },
  'o3-mini': { input: 1.1, output: 4.4 },
  'o4-mini': { input: 1.1, output: 4.4 },
  'text-embedding-3-small': { input: 0.02, output: 0 },
  'text-embedding-3-large': { input: 0.13, output: 0 },
  'text-embedding-ada-002': { input: 0.1, output: 0 },
  'tts-1': { input: 15, output: 0 },
  'tts-1-hd': { input: 30, output: 0 },
  'gpt-4o-mini-tts': { input: 0.6, output: 12 },
  'claude-opus-4': { input: 15, output: 75 },
  'claude-opus-4-1': { input: 15, output: 75 },
  'claude-opus-4-5': { input: 5, output: 25 },
  'claude-sonnet-4': { input: 3, output: 15 },
  'claude-sonnet-4-5': { input: 3, output: 15 },
  'claude-haiku-4-5': { input: 1, output: 5 },
  'claude-3-7-sonnet': { input: 3, output: 15 },
  'claude-3-5-sonnet': { input: 3, output: 15 },
  'claude-3-5-haiku': { input: 0.8, output: 4 },
  'claude-3-opus': { input: 15, output: 75 },
  'claude-3-haiku': { input: 0.25, output: 1.25 },
  'deepseek-chat': { input: 0.27, output: 1.1 },
  'deepseek-reasoner': { input: 0.55, output: 2.19 },
});

const FREE: Readonly<ModelPrice> = Object.freeze({ input: 0, output: 0 });
const FREE_TYPES = new Set(['simulator', 'espeak', 'edge-tts']);

export interface PriceTableOptions {
  providers?: readonly ProviderConfig[];
  /** Global per-model overrides (model name → price), applied over the built-in table. */
  overrides?: Readonly<Record<string, ModelPrice>>;
  builtin?: Readonly<Record<string, ModelPrice>>;
}

export class PriceTable {
  #table: Map<string, ModelPrice>;
  #names: string[];
  #overrides: ReadonlyMap<string, ModelPrice>;
  #providers: Map<string, ProviderConfig>;

  constructor(opts: PriceTableOptions = {}) {
    this.#overrides = new Map(Object.entries(opts.overrides ?? {}));
    this.#table = new Map([...Object.entries(opts.builtin ?? BUILTIN_PRICES), ...this.#overrides]);
    for (const [name, p] of this.#table) assertPrice(p, `prices['${name}']`);
    this.#names = [...this.#table.keys()].sort((a, b) => b.length - a.length);
    this.#providers = new Map((opts.providers ?? []).map((p) => [p.id, p]));
  }

  /** The price of a model by name alone (exact, else longest known prefix followed by '-' or ':'). */
  priceOfModel(model: string): ModelPrice | undefined {
    const exact = this.#table.get(model);
    if (exact) return exact;
    const bare = model.includes('/') ? model.slice(model.lastIndexOf('/') + 1) : model;
    const exactBare = this.#table.get(bare);
    if (exactBare) return exactBare;
    for (const name of this.#names) {
      if (bare.startsWith(name) && (bare[name.length] === '-' || bare[name.length] === ':' || bare[name.length] === '@')) return this.#table.get(name);
    }
    return undefined;
  }

  /**
   * The price for a target: its provider's own price; else, for a local or built-in free provider, a
   * global override set for exactly that model, or nothing; else the table. Undefined when unknown.
   */
  priceOf(target: Target): ModelPrice | undefined {
    const cfg = this.#providers.get(target.provider);
    const own = cfg?.prices?.[target.model];
    if (own) return own;
    if (cfg && (FREE_TYPES.has(cfg.type) || cfg.source === 'detected')) return this.#overrides.get(target.model) ?? FREE;
    return this.priceOfModel(target.model);
  }

  /** All known model prices (for the panel's editable table). */
  entries(): Array<[string, ModelPrice]> {
    return [...this.#table].sort(([a], [b]) => a.localeCompare(b));
  }
}

function assertPrice(p: ModelPrice, path: string): void {
  for (const k of ['input', 'output'] as const) {
    if (!p || !Number.isFinite(p[k]) || p[k] < 0 || p[k] > MAX_PRICE_USD) throw new RangeError(`${path}.${k} must be a number from 0 to ${MAX_PRICE_USD}`);
  }
}

/**
 * Cost in USD of a usage at a price; unknown price costs 0. Always a finite number: a cost that is not
 * one (a usage of absurd size, or a price an older build took past the ceiling) counts as unknown, 0,
 * rather than turning the request log, spend, metrics and budgets into Infinity.
 */
export function costOf(usage: Pick<Usage, 'prompt_tokens' | 'completion_tokens'> | null | undefined, price: ModelPrice | undefined): number {
  if (!usage || !price) return 0;
  const input = Number.isFinite(usage.prompt_tokens) ? usage.prompt_tokens : 0;
  const output = Number.isFinite(usage.completion_tokens) ? usage.completion_tokens : 0;
  return spentUsd((input * price.input + output * price.output) / 1_000_000);
}

/** A single comparable figure for `lowest-cost` ordering: a typical 3:1 input:output mix. */
export function blendedPrice(price: ModelPrice | undefined): number | undefined {
  return price ? (3 * price.input + price.output) / 4 : undefined;
}
