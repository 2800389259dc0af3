import { describe, expect, it } from 'vitest';
import type { Target } from '../../shared/targets.ts';
import { orderTargets } from './balancer.ts';
import { LatencyEwma } from './latency-ewma.ts';

const a: Target = { provider: 'p', model: 'a' };
const b: Target = { provider: 'p', model: 'b' };
const c: Target = { provider: 'p', model: 'c' };
const models = (ts: Target[]) => ts.map((t) => t.model).join('');

describe('orderTargets', () => {
  it('keeps the given order for fallback', () => {
    expect(models(orderTargets([a, b, c], 'fallback', { random: () => 0.9 }))).toBe('abc');
  });

  it('weighted: picks the first in proportion to the weights, the rest follow', () => {
    const counts: Record<string, number> = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 1000; i++) {
      const r = (i + 0.5) / 1000;
      counts[orderTargets([a, b, c], 'weighted', { weights: [1, 0, 3], random: () => r })[0].model]++;
    }
    expect(counts).toEqual({ a: 250, b: 0, c: 750 });
    const order = orderTargets([a, b, c], 'weighted', { weights: [1, 0, 3], random: () => 0.9 });
    expect(models(order)).toBe('cab');
  });

  it('least-latency sorts by EWMA; unknown targets count as the average', () => {
    const ewma = new LatencyEwma({ alpha: 0.5 });
    ewma.observe('a', 100);
    ewma.observe('a', 300); // 200
    ewma.observe('c', 50);
    const order = orderTargets([a, b, c], 'least-latency', { random: () => 0, latencyMs: (t) => ewma.get(t.model) });
    expect(ewma.get('a')).toBe(200);
    expect(models(order)).toBe('cba'); // b counts as 125
  });

  it('lowest-cost sorts by price, stable on ties', () => {
    const cost: Record<string, number> = { a: 5, b: 1, c: 1 };
    expect(models(orderTargets([a, b, c], 'lowest-cost', { random: () => 0, cost: (t) => cost[t.model] }))).toBe('bca');
  });

  it('LatencyEwma refuses a bad alpha and ignores bad samples', () => {
    expect(() => new LatencyEwma({ alpha: 0 })).toThrow(/alpha/);
    const e = new LatencyEwma();
    e.observe('x', NaN);
    expect(e.get('x')).toBeUndefined();
  });
});
