import { describe, it, expect } from 'vitest';
import { DEFAULT_SEMANTIC_CONFIG, resolveSemanticConfig } from './semantic-config.ts';

describe('resolveSemanticConfig', () => {
  it('is off by default, at 0.95, with guards and the local matcher', () => {
    expect(resolveSemanticConfig(undefined)).toEqual({ enabled: false, threshold: 0.95, embedder: { kind: 'local-ngram' }, guards: true, falseHitMargin: 0.02 });
    expect(resolveSemanticConfig({ enabled: true })).toEqual({ ...DEFAULT_SEMANTIC_CONFIG, enabled: true });
  });

  it('accepts an embeddings target', () => {
    expect(resolveSemanticConfig({ enabled: true, threshold: 0.9, embedder: { kind: 'target', target: { provider: 'openai', model: 'text-embedding-3-small' } } }))
      .toMatchObject({ threshold: 0.9, embedder: { kind: 'target', target: { provider: 'openai', model: 'text-embedding-3-small' } } });
  });

  it('refuses bad values naming the field', () => {
    expect(() => resolveSemanticConfig({ threshold: 1.2 }, 'rules[2].semantic')).toThrow(/rules\[2\]\.semantic\.threshold/);
    expect(() => resolveSemanticConfig({ guards: 'yes' })).toThrow(/semantic\.guards/);
    expect(() => resolveSemanticConfig({ embedder: { kind: 'target' } })).toThrow(/embedder\.target/);
    expect(() => resolveSemanticConfig({ embedder: { kind: 'bert' } })).toThrow(/embedder\.kind/);
    expect(() => resolveSemanticConfig([])).toThrow(/must be an object/);
  });
});
