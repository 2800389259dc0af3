import { describe, it, expect } from 'vitest';
import { cosine, fromDense, functionEmbedder } from './embedder.ts';

describe('fromDense / cosine', () => {
  it('normalises to unit length and scores cosine similarity', () => {
    const a = fromDense([3, 0, 4]);
    expect([...a.indices]).toEqual([0, 2]);
    expect(cosine(a, a)).toBeCloseTo(1, 6);
    expect(cosine(a, fromDense([0, 1, 0]))).toBe(0);
    expect(cosine(fromDense([1, 1]), fromDense([1, 0]))).toBeCloseTo(Math.SQRT1_2, 6);
  });

  it('rejects non-finite components', () => {
    expect(() => fromDense([1, Number.NaN])).toThrow(/component 1/);
  });
});

describe('functionEmbedder', () => {
  it('wraps an embed(texts) function and returns unit vectors', async () => {
    const calls: string[][] = [];
    const e = functionEmbedder({ id: 'emb', label: 'target', embed: async (t) => { calls.push(t); return t.map((s) => [s.length, 1]); } });
    const [v] = await e.embed(['abc']);
    expect(calls).toEqual([['abc']]);
    expect(cosine(v, v)).toBeCloseTo(1, 6);
  });

  it('fails precisely when the target returns the wrong number of vectors', async () => {
    const e = functionEmbedder({ id: 'emb', label: 'x', embed: async () => [[1, 2]] });
    await expect(e.embed(['a', 'b'])).rejects.toThrow(/returned 1 vectors for 2 texts/);
    expect(() => functionEmbedder({ id: '', label: 'x', embed: async () => [] })).toThrow(/id/);
  });
});
