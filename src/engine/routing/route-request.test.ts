import { describe, expect, it } from 'vitest';
import { parseTags, summarizeRequest } from './route-request.ts';

describe('summarizeRequest', () => {
  it('estimates tokens and classifies chat requests', () => {
    const r = summarizeRequest('chat', { model: 'auto', messages: [{ role: 'user', content: 'Prove that the integral diverges, step by step and rigorously.' }] }, ['prod']);
    expect(r).toMatchObject({ model: 'auto', endpoint: 'chat', tags: ['prod'] });
    expect(r.promptTokens).toBeGreaterThan(10);
    expect(['complex', 'very-complex']).toContain(r.complexity);
    expect(summarizeRequest('chat', { model: 'auto', messages: [{ role: 'user', content: 'hi' }] }).complexity).toBe('simple');
    expect(summarizeRequest('chat', { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }, [], { classify: false }).complexity).toBeNull();
  });

  it('counts embeddings input and leaves complexity unknown', () => {
    expect(summarizeRequest('embeddings', { model: 'e', input: ['abcd', 'efgh'] })).toEqual({ model: 'e', endpoint: 'embeddings', tags: [], promptTokens: 2, complexity: null });
  });
});

describe('parseTags', () => {
  it('splits, trims, lower-cases and de-duplicates x-sluice-tags', () => {
    expect(parseTags(' Prod, team-a ,prod,,')).toEqual(['prod', 'team-a']);
    expect(parseTags(['a', 'b,c'])).toEqual(['a', 'b', 'c']);
    expect(parseTags(undefined)).toEqual([]);
  });
});
