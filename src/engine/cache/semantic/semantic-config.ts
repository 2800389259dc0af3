// Per-rule semantic settings: defaults (off, 0.95, guards on, local matcher) and validation with
// precise errors, so a rule saved from the panel either works as written or is refused.
import { describeValue } from '../../../shared/describe-value.ts';
import type { SemanticConfig } from '../../../shared/semantic.ts';
import type { CachePolicy } from '../../../shared/targets.ts';

export const DEFAULT_SEMANTIC_CONFIG: Readonly<SemanticConfig> = Object.freeze({
  enabled: false,
  threshold: 0.95,
  embedder: Object.freeze({ kind: 'local-ngram' as const }),
  guards: true,
  falseHitMargin: 0.02,
});

/** Fills defaults into a rule's (partial) semantic section and validates it; throws RangeError/TypeError naming the field. */
export function resolveSemanticConfig(input: unknown, where = 'semantic'): SemanticConfig {
  if (input === undefined || input === null) return { ...DEFAULT_SEMANTIC_CONFIG };
  if (typeof input !== 'object' || Array.isArray(input)) throw new TypeError(`${where} must be an object.`);
  const o = input as Partial<Record<keyof SemanticConfig, unknown>>;
  const out: SemanticConfig = { ...DEFAULT_SEMANTIC_CONFIG };
  if (o.enabled !== undefined) {
    if (typeof o.enabled !== 'boolean') throw new TypeError(`${where}.enabled must be true or false.`);
    out.enabled = o.enabled;
  }
  if (o.threshold !== undefined) {
    if (typeof o.threshold !== 'number' || !(o.threshold >= 0.5 && o.threshold <= 1)) throw new RangeError(`${where}.threshold must be a number in [0.5, 1], got ${describeValue(o.threshold)}.`);
    out.threshold = o.threshold;
  }
  if (o.guards !== undefined) {
    if (typeof o.guards !== 'boolean') throw new TypeError(`${where}.guards must be true or false.`);
    out.guards = o.guards;
  }
  if (o.falseHitMargin !== undefined) {
    if (typeof o.falseHitMargin !== 'number' || !(o.falseHitMargin > 0 && o.falseHitMargin <= 0.5)) {
      throw new RangeError(`${where}.falseHitMargin must be a number in (0, 0.5], got ${describeValue(o.falseHitMargin)}.`);
    }
    out.falseHitMargin = o.falseHitMargin;
  }
  if (o.embedder !== undefined) {
    const e = o.embedder as { kind?: unknown; target?: { provider?: unknown; model?: unknown } };
    if (e?.kind === 'local-ngram') out.embedder = { kind: 'local-ngram' };
    else if (e?.kind === 'target') {
      if (typeof e.target !== 'object' || e.target === null) throw new TypeError(`${where}.embedder.target needs a provider and a model (an embeddings target).`);
      const { provider, model } = e.target;
      if (typeof provider !== 'string' || !provider) throw new TypeError(`${where}.embedder.target.provider must name the provider of an embeddings target.`);
      if (typeof model !== 'string' || !model) throw new TypeError(`${where}.embedder.target.model must name the model of an embeddings target.`);
      out.embedder = { kind: 'target', target: { provider, model } };
    } else if (e?.kind === 'model') {
      const model = (e as { model?: unknown }).model;
      if (typeof model !== 'string' || model.trim() === '') throw new TypeError(`${where}.embedder.model must name an embeddings model.`);
      out.embedder = { kind: 'model', model };
    } else throw new TypeError(`${where}.embedder.kind must be 'local-ngram', 'target' or 'model'.`);
  }
  return out;
}

/** The embeddings model used when a rule picks source 'embeddings' without naming one. */
export const DEFAULT_EMBEDDINGS_MODEL = 'text-embedding-3-small';

/**
 * A routing rule's `cache.semantic` section (source 'local' | 'embeddings') on top of a base config
 * (the global `config.semantic`, already resolved): fields the rule leaves out keep the base's value.
 */
export function semanticConfigFromPolicy(policy: CachePolicy['semantic'], base: SemanticConfig, where = 'cache.semantic'): SemanticConfig {
  if (policy === undefined || policy === null) return base;
  if (typeof policy !== 'object' || Array.isArray(policy)) throw new TypeError(`${where} must be an object.`);
  const input: Record<string, unknown> = { ...base, enabled: policy.enabled };
  if (policy.threshold !== undefined) input.threshold = policy.threshold;
  if (policy.source === 'local') input.embedder = { kind: 'local-ngram' };
  else if (policy.source === 'embeddings') input.embedder = { kind: 'model', model: policy.embeddingsModel || DEFAULT_EMBEDDINGS_MODEL };
  else if (policy.source !== undefined) throw new TypeError(`${where}.source must be 'local' or 'embeddings'.`);
  return resolveSemanticConfig(input, where);
}
