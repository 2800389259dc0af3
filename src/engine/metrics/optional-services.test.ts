import { describe, it, expect } from 'vitest';
import { breakersOf, cacheTiersOf, queueDepthOf } from './optional-services.ts';

describe('optional services', () => {
  it('sums queued requests over the scheduler providers and priorities', () => {
    expect(queueDepthOf({})).toBe(0);
    expect(queueDepthOf({ scheduler: { stats: () => [{ provider: 'a', queued: { high: 1, normal: 2, low: 3 } }, { provider: 'b', queued: 4 }] } })).toBe(10);
    expect(queueDepthOf({ scheduler: { stats: () => ({ queueDepth: 7 }) } })).toBe(7);
    expect(queueDepthOf({ scheduler: { stats: () => { throw new Error('x'); } } })).toBe(0);
  });

  it('maps cache tiers and leaves them out without a cache', () => {
    const tier = { hits: 3, misses: 1, evictions: 2, entries: 5, bytes: 100 };
    expect(cacheTiersOf({})).toBeUndefined();
    expect(cacheTiersOf({ cache: { stats: () => ({ memory: tier, disk: null }) } })).toEqual([{ tier: 'memory', ...tier }]);
    expect(cacheTiersOf({ cache: { stats: () => ({ memory: tier, disk: tier }) } })!.map((t) => t.tier)).toEqual(['memory', 'disk']);
  });

  it('prefers the routing service over breaker states seen on events', () => {
    const seen = new Map([['a', 'open' as const], ['b', 'open' as const]]);
    expect(breakersOf({}, seen)).toEqual([{ target: 'a', state: 'open' }, { target: 'b', state: 'open' }]);
    expect(breakersOf({ routing: { breakerStates: () => [{ target: 'b', state: 'closed' }] } }, seen)).toEqual([{ target: 'a', state: 'open' }, { target: 'b', state: 'closed' }]);
  });
});
