import { describe, expect, it } from 'vitest';
import { decimalsFor, niceAxis } from './axis-ticks.ts';

describe('niceAxis', () => {
  it('ends on a round number at or above the largest value, in round steps (the review\'s raw maxima)', () => {
    expect(niceAxis(3.85).ticks).toEqual([0, 1, 2, 3, 4]);
    expect(niceAxis(4.62).ticks).toEqual([0, 2, 4, 6]);
    expect(niceAxis(99.88).ticks).toEqual([0, 25, 50, 75, 100]);
    expect(niceAxis(1387).ticks).toEqual([0, 500, 1000, 1500]);
    expect(niceAxis(802).ticks).toEqual([0, 250, 500, 750, 1000]);
    expect(niceAxis(0.005).ticks).toEqual([0, 0.002, 0.004, 0.006]);
    expect(niceAxis(1.2)).toEqual({ domain: [0, 1.5], ticks: [0, 0.5, 1, 1.5], step: 0.5, decimals: 1 });
  });

  it('holds a value that is itself round, and draws 0 to 1 when there is nothing', () => {
    expect(niceAxis(100).ticks).toEqual([0, 25, 50, 75, 100]);
    expect(niceAxis(0).domain).toEqual([0, 1]);
    expect(niceAxis(Number.NaN).domain).toEqual([0, 1]);
  });

  it('gives every label of an axis the decimals its step needs', () => {
    expect([250, 2.5, 0.25, 0.002, 1].map(decimalsFor)).toEqual([0, 1, 2, 3, 0]);
    for (const max of [0.0123, 7.7, 42, 65_000]) {
      const a = niceAxis(max);
      for (const t of a.ticks) expect(Number(t.toFixed(a.decimals))).toBe(t);
      expect(a.ticks.at(-1)).toBeGreaterThanOrEqual(max);
      expect(a.ticks.length).toBeGreaterThanOrEqual(3);
      expect(a.ticks.length).toBeLessThanOrEqual(6);
    }
  });
});
