import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { fromDense, type SparseVector } from './embedder.ts';
import { VectorIndex } from './vector-index.ts';

const v = (...xs: number[]) => fromDense(xs);

describe('VectorIndex', () => {
  it('finds the nearest vectors of the same context only, best first', () => {
    const idx = new VectorIndex();
    idx.add('ctx-a', 'x', v(1, 0, 0));
    idx.add('ctx-a', 'y', v(1, 1, 0));
    idx.add('ctx-b', 'z', v(1, 0, 0));
    const hits = idx.search('ctx-a', v(1, 0.1, 0), { minScore: 0.5 });
    expect(hits.map((h) => h.id)).toEqual(['x', 'y']);
    expect(hits[0].score).toBeGreaterThan(hits[1].score);
    expect(idx.search('ctx-c', v(1, 0, 0), { minScore: 0.5 })).toEqual([]);
  });

  it('applies minScore and limit', () => {
    const idx = new VectorIndex();
    idx.add('c', 'x', v(1, 0));
    idx.add('c', 'y', v(0, 1));
    expect(idx.search('c', v(1, 0), { minScore: 0.9 }).map((h) => h.id)).toEqual(['x']);
    idx.add('c', 'w', v(1, 0.01));
    expect(idx.search('c', v(1, 0), { minScore: 0.5, limit: 1 })).toHaveLength(1);
    expect(() => idx.search('c', v(1, 0), { minScore: 0 })).toThrow(/minScore/);
  });

  it('forgets removed vectors and replaces a re-added id', () => {
    const idx = new VectorIndex();
    idx.add('c', 'x', v(1, 0));
    idx.add('c', 'x', v(0, 1));
    expect(idx.size).toBe(1);
    expect(idx.search('c', v(1, 0), { minScore: 0.5 })).toEqual([]);
    expect(idx.remove('x')).toBe(true);
    expect(idx.remove('x')).toBe(false);
    expect(idx.search('c', v(0, 1), { minScore: 0.5 })).toEqual([]);
    expect(idx.partitionCount).toBe(0);
  });

  it('drops a whole context at once', () => {
    const idx = new VectorIndex();
    idx.add('c', 'x', v(1, 0));
    idx.add('c', 'y', v(1, 1));
    idx.add('d', 'z', v(1, 1));
    expect(idx.removePartition('c')).toBe(2);
    expect(idx.has('x')).toBe(false);
    expect(idx.size).toBe(1);
  });

  it('refuses a vector whose dimensions differ from its partition', () => {
    const idx = new VectorIndex();
    idx.add('c', 'x', v(1, 0));
    expect(() => idx.add('c', 'y', v(1, 0, 0))).toThrow(/dimensions/);
  });

  it('returns exactly what a brute-force scan returns (sparse, dense, with removals)', () => {
    const sparse = fc.array(fc.tuple(fc.integer({ min: 0, max: 63 }), fc.float({ min: Math.fround(0.01), max: 1, noNaN: true })), { minLength: 1, maxLength: 8 });
    const toVec = (pairs: Array<[number, number]>): SparseVector => {
      const dense = new Array(64).fill(0);
      for (const [i, w] of pairs) dense[i] += w;
      return fromDense(dense);
    };
    fc.assert(fc.property(
      fc.array(sparse, { minLength: 1, maxLength: 60 }), sparse, fc.double({ min: 0.3, max: 1, noNaN: true }), fc.boolean(), fc.integer({ min: 0, max: 59 }),
      (entries, query, minScore, dense, removeAt) => {
        const idx = new VectorIndex({ maxSparseNonZeros: dense ? 1 : 512 });
        entries.forEach((e, i) => idx.add('c', `e${i}`, toVec(e)));
        idx.remove(`e${removeAt}`);
        const q = toVec(query);
        const got = idx.search('c', q, { minScore, limit: 100 });
        const want = idx.scan('c', q, { minScore, limit: 100 });
        expect(got.map((h) => h.id)).toEqual(want.map((h) => h.id));
      },
    ), { numRuns: 300 });
  });

  it('keeps answering correctly after many removals compact a partition', () => {
    const idx = new VectorIndex();
    const oneHot = (i: number): SparseVector => ({ dims: 4096, indices: Uint32Array.of(0, i + 1), values: Float32Array.of(0.6, 0.8) });
    for (let i = 0; i < 3000; i++) idx.add('c', `e${i}`, oneHot(i));
    for (let i = 0; i < 2500; i++) idx.remove(`e${i}`);
    expect(idx.size).toBe(500);
    expect(idx.search('c', oneHot(2999), { minScore: 0.99 }).map((h) => h.id)).toEqual(['e2999']);
    expect(idx.search('c', oneHot(10), { minScore: 0.99 })).toEqual([]);
    idx.add('c', 'e10', oneHot(10));
    expect(idx.search('c', oneHot(10), { minScore: 0.99 }).map((h) => h.id)).toEqual(['e10']);
  });
});
