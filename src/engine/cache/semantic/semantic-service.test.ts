import { describe, expect, it } from 'vitest';
import { answerHash, readGlobalSemantic } from './semantic-service.ts';
import { semanticConfigFromPolicy, DEFAULT_SEMANTIC_CONFIG } from './semantic-config.ts';

const chat = (content: string, id: string) => ({
  endpoint: 'chat' as const,
  body: Buffer.from(JSON.stringify({ id, created: Math.random(), choices: [{ index: 0, message: { role: 'assistant', content } }] })),
});

describe('answerHash', () => {
  it('compares what chat answers say, not their ids and timestamps', () => {
    expect(answerHash(chat('Paris', 'a'))).toBe(answerHash(chat('Paris', 'b')));
    expect(answerHash(chat('Paris', 'a'))).not.toBe(answerHash(chat('Lyon', 'a')));
  });
});

describe('semantic settings', () => {
  it("maps a rule's cache.semantic onto the global default", () => {
    const base = { ...DEFAULT_SEMANTIC_CONFIG, guards: false };
    expect(semanticConfigFromPolicy({ enabled: true, threshold: 0.9 }, base)).toMatchObject({ enabled: true, threshold: 0.9, guards: false, embedder: { kind: 'local-ngram' } });
    expect(semanticConfigFromPolicy({ enabled: true, source: 'embeddings' }, base).embedder).toEqual({ kind: 'model', model: 'text-embedding-3-small' });
    expect(semanticConfigFromPolicy({ enabled: true, source: 'embeddings', embeddingsModel: 'nomic' }, base).embedder).toEqual({ kind: 'model', model: 'nomic' });
    expect(semanticConfigFromPolicy(undefined, base)).toBe(base);
    expect(() => semanticConfigFromPolicy({ enabled: true, threshold: 0.2 }, base)).toThrow(/threshold/);
  });

  it('reads the global config.semantic in either shape, off when absent', () => {
    expect(readGlobalSemantic(undefined).enabled).toBe(false);
    expect(readGlobalSemantic({ enabled: true, threshold: 0.97 })).toMatchObject({ enabled: true, threshold: 0.97 });
    expect(readGlobalSemantic({ enabled: true, source: 'embeddings', embeddingsModel: 'e5' })).toMatchObject({ enabled: true, embedder: { kind: 'model', model: 'e5' } });
    expect(() => readGlobalSemantic({ enabled: 'yes' })).toThrow(/semantic\.enabled/);
  });
});
