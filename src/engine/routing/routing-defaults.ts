// The routing config in effect: what was saved (or the config file's `routing` section) completed by
// sensible defaults for what it leaves out. `fast` and `smart` point at the cheapest and the dearest
// priced chat model of the providers the user configured with a model list, else at the simulator's
// sim-fast and sim-reasoner; `auto` classes map the same way. A name the user defined is never touched,
// and a default is only added when its provider exists.
import { isObj } from '../../shared/is-obj.ts';
import type { ProviderConfig } from '../../shared/config.ts';
import {
  DEFAULT_BREAKER, DEFAULT_RETRY, defaultRoutingConfig, type AliasConfig, type ComplexityClass, type RoutingConfig,
} from '../../shared/routing.ts';
import type { Target } from '../../shared/targets.ts';
import { blendedPrice, type PriceTable } from './pricing.ts';

const CHAT_TYPES = new Set(['openai-compatible', 'anthropic']);

/**
 * A routing document with the sections it leaves out (absent or null) taken from the defaults: no
 * aliases, rules, budgets or classes, and the default retry and breaker settings, which also fill in
 * the fields a `retry` or `breaker` object leaves out. A section that is present in the wrong shape
 * is kept as it is, for validation to name; so is a document that is not an object at all.
 */
export function withDefaultSections(doc: unknown): unknown {
  if (!isObj(doc)) return doc;
  const base = defaultRoutingConfig();
  const merged = (section: unknown, defaults: object): unknown => (section == null ? defaults : isObj(section) ? { ...defaults, ...section } : section);
  return {
    ...doc,
    aliases: doc.aliases ?? base.aliases,
    rules: doc.rules ?? base.rules,
    budgets: doc.budgets ?? base.budgets,
    classTargets: doc.classTargets ?? base.classTargets,
    retry: merged(doc.retry, DEFAULT_RETRY),
    breaker: merged(doc.breaker, DEFAULT_BREAKER),
  };
}

/** The config file's `routing` section (any part of it) over the defaults, as for a saved document. */
export function fromConfigSection(section: unknown): RoutingConfig {
  if (section === undefined || section === null) return defaultRoutingConfig();
  return withDefaultSections(section) as RoutingConfig;
}

/**
 * What the default aliases are described as: the engine's words for the model it picked, which the
 * panel words in the reader's language by recognising them (src/renderer/src/lib/builtin-text.ts).
 */
export const DEFAULT_ALIAS_DESCRIPTIONS: Readonly<Record<string, string>> = Object.freeze({
  fast: 'default: a quick, cheap model',
  smart: 'default: the strongest model',
});

/**
 * Whether an alias's description is the engine's default one for that name (also without `default: `,
 * as switching a default alias stored it before): it says what the engine picked, not what the user wrote.
 */
export function isDefaultAliasDescription(name: string, description: string): boolean {
  const d = DEFAULT_ALIAS_DESCRIPTIONS[name];
  return d !== undefined && (description === d || description === d.replace(/^default: /, ''));
}

interface DefaultTargets { fast: Target; smart: Target; classes: Record<ComplexityClass, Target> }

function defaultTargets(providers: readonly ProviderConfig[], prices: PriceTable): DefaultTargets | null {
  const priced: Array<{ t: Target; cost: number }> = [];
  for (const p of providers) {
    if (p.enabled === false || !CHAT_TYPES.has(p.type) || p.source === 'detected') continue;
    if (p.endpoints && !p.endpoints.includes('chat')) continue;
    for (const model of p.models ?? []) {
      const t = { provider: p.id, model };
      const cost = blendedPrice(prices.priceOf(t));
      if (cost !== undefined) priced.push({ t, cost });
    }
  }
  if (priced.length) {
    priced.sort((a, b) => a.cost - b.cost);
    const fast = priced[0].t;
    const smart = priced[priced.length - 1].t;
    return { fast, smart, classes: { simple: fast, medium: fast, complex: smart, 'very-complex': smart } };
  }
  const sim = providers.find((p) => p.type === 'simulator' && p.enabled !== false);
  if (!sim) return null;
  const t = (model: string): Target => ({ provider: sim.id, model });
  return {
    fast: t('sim-fast'), smart: t('sim-reasoner'),
    classes: { simple: t('sim-fast'), medium: t('sim-chat'), complex: t('sim-reasoner'), 'very-complex': t('sim-reasoner') },
  };
}

/** `cfg` completed by the default aliases and `auto` classes it does not define itself. */
export function effectiveRouting(cfg: RoutingConfig, providers: readonly ProviderConfig[], prices: PriceTable): RoutingConfig {
  const d = defaultTargets(providers, prices);
  if (!d) return cfg;
  const names = new Set(cfg.aliases.map((a) => a.name));
  const extra: AliasConfig[] = [];
  if (!names.has('fast')) extra.push({ name: 'fast', targets: [d.fast], description: DEFAULT_ALIAS_DESCRIPTIONS.fast });
  if (!names.has('smart')) extra.push({ name: 'smart', targets: [d.smart], description: DEFAULT_ALIAS_DESCRIPTIONS.smart });
  const hasClasses = Object.values(cfg.classTargets).some((v) => v?.length);
  return {
    ...cfg,
    aliases: extra.length ? [...cfg.aliases, ...extra] : cfg.aliases,
    classTargets: hasClasses ? cfg.classTargets : Object.fromEntries(Object.entries(d.classes).map(([k, t]) => [k, [t]])),
  };
}
