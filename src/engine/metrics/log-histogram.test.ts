import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { LogHistogram } from './log-histogram.ts';

function exactQuantile(sorted: number[], q: number): number {
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)];
}

describe('LogHistogram', () => {
  it('answers quantiles within its 2 % accuracy', () => {
    fc.assert(fc.property(fc.array(fc.double({ min: 0.05, max: 100_000, noNaN: true }), { minLength: 1, maxLength: 500 }), fc.constantFrom(0.5, 0.9, 0.95, 0.99), (values, q) => {
      const h = new LogHistogram();
      for (const v of values) h.record(v);
      const exact = exactQuantile([...values].sort((a, b) => a - b), q);
      expect(Math.abs(h.quantile(q) - exact) / exact).toBeLessThanOrEqual(0.021);
    }));
  });

  it('merging two histograms equals recording everything into one', () => {
    const a = new LogHistogram(); const b = new LogHistogram(); const all = new LogHistogram();
    for (let i = 1; i <= 1000; i++) { (i % 3 ? a : b).record(i * 1.7); all.record(i * 1.7); }
    a.merge(b);
    expect(a.count).toBe(1000);
    expect(a.sum).toBeCloseTo(all.sum);
    for (const q of [0.5, 0.9, 0.99]) expect(a.quantile(q)).toBe(all.quantile(q));
  });

  it('round-trips through its sparse form', () => {
    const h = new LogHistogram();
    [3, 3, 40, 250, 9000].forEach((v) => h.record(v));
    const back = new LogHistogram().addSparse(JSON.parse(JSON.stringify(h.toSparse())));
    expect(back.count).toBe(5);
    expect(back.max).toBe(9000);
    expect(back.quantile(0.5)).toBe(h.quantile(0.5));
  });

  it('ignores NaN and negatives, clamps the extremes, and is 0 when empty', () => {
    const h = new LogHistogram({ max: 1000 });
    expect(h.quantile(0.5)).toBe(0);
    h.record(Number.NaN); h.record(-1);
    expect(h.count).toBe(0);
    h.record(0); h.record(1e9);
    expect(h.quantile(0)).toBeLessThanOrEqual(0.01);
    expect(h.quantile(1)).toBeGreaterThan(900);
    expect(h.countAtOrBelow(10)).toBe(1);
  });

  it('rejects a layout it cannot honour, and merges only with its own layout', () => {
    expect(() => new LogHistogram({ growth: 1 })).toThrow(/growth/);
    expect(() => new LogHistogram({ min: 10, max: 5 })).toThrow(/max/);
    expect(() => new LogHistogram().merge(new LogHistogram({ growth: 1.1 }))).toThrow(/layout/);
  });
});
