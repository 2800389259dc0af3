import { describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.ts';
import { AdaptiveLimiter, AdaptiveLimiterSet } from './adaptive-limiter.ts';

function make(over: Partial<ConstructorParameters<typeof AdaptiveLimiter>[0]> = {}) {
  const clock = new ManualClock();
  const limiter = new AdaptiveLimiter({ clock, initialLimit: 4, minLimit: 1, maxLimit: 20, backoffRatio: 0.5, latencyTolerance: 2, ...over });
  /** One call that took `ms` and ended with `outcome`, with the limit fully in use. */
  const call = (ms: number, outcome: 'success' | 'success-unmeasured' | 'overload' = 'success', kind?: string) => {
    const startedAt = clock.monotonic();
    clock.advance(ms);
    limiter.record({ startedAt, outcome, inFlight: limiter.limit, kind });
  };
  return { clock, limiter, call };
}

describe('AdaptiveLimiter', () => {
  it('raises the limit while latency stays near its minimum, up to the maximum', () => {
    const { limiter, call } = make();
    for (let i = 0; i < 20; i++) call(100);
    expect(limiter.limit).toBeGreaterThan(4);
    for (let i = 0; i < 1_000; i++) call(100);
    expect(limiter.limit).toBe(20);
  });

  it('does not grow when the limit is not in use', () => {
    const { limiter, clock } = make();
    for (let i = 0; i < 100; i++) {
      const startedAt = clock.monotonic();
      clock.advance(100);
      limiter.record({ startedAt, outcome: 'success', inFlight: 1 });
    }
    expect(limiter.limit).toBe(4);
  });

  it('cuts multiplicatively on a 429 or timeout, not below the minimum', () => {
    const { limiter, call } = make({ initialLimit: 16 });
    call(100, 'overload');
    expect(limiter.limit).toBe(8);
    for (let i = 0; i < 10; i++) call(100, 'overload');
    expect(limiter.limit).toBe(1);
  });

  it('cuts once for a burst of 429s from calls that were already in flight', () => {
    const { limiter, clock } = make({ initialLimit: 16 });
    const startedAt = clock.monotonic();
    clock.advance(50);
    for (let i = 0; i < 10; i++) limiter.record({ startedAt, outcome: 'overload' });
    expect(limiter.limit).toBe(8);
    expect(limiter.stats().decreases).toBe(1);
  });

  it('cuts when latency inflates and stays inflated, but not for one slow answer', () => {
    const { limiter, call } = make({ initialLimit: 16 });
    for (let i = 0; i < 5; i++) call(100);
    const before = limiter.limit;
    call(500);
    expect(limiter.limit).toBe(before);
    for (let i = 0; i < 5; i++) call(500);
    expect(limiter.limit).toBeLessThan(before);
  });

  it('does not cut a fast upstream for sub-millisecond jitter, only for inflation past the slack', () => {
    // A local upstream answering in 0.2 ms that takes 0.8 ms under load is not queueing: 4× the
    // minimum, but 0.6 ms above it, well inside the default 20 ms slack.
    const { limiter, call } = make({ initialLimit: 16, latencyTolerance: 3 });
    call(0.2);
    for (let i = 0; i < 200; i++) call(0.8);
    expect(limiter.stats().decreases).toBe(0);
    expect(limiter.limit).toBeGreaterThanOrEqual(16);
    // 30 ms is past both the ratio and the slack: a queue is building.
    for (let i = 0; i < 5; i++) call(30);
    expect(limiter.stats().decreases).toBe(1);
    expect(limiter.limit).toBeLessThan(16);
  });

  it('compares latency only within one kind of call: fast embeddings do not make chat streams look inflated', () => {
    const { limiter, call } = make({ initialLimit: 8 });
    for (let i = 0; i < 10; i++) call(25, 'success', 'embeddings');
    for (let i = 0; i < 20; i++) call(300, 'success', 'chat:stream');
    expect(limiter.stats().decreases).toBe(0);
    expect(limiter.limit).toBeGreaterThanOrEqual(8);
    // the same kind inflating does cut
    const before = limiter.limit;
    for (let i = 0; i < 10; i++) call(1_500, 'success', 'chat:stream');
    expect(limiter.stats().decreases).toBeGreaterThan(0);
    expect(limiter.limit).toBeLessThan(before);
  });

  it('lets complete chat answers grow the limit without judging their length', () => {
    const { limiter, call } = make({ initialLimit: 4 });
    call(250, 'success-unmeasured');
    for (let i = 0; i < 40; i++) call(i % 2 ? 900 : 250, 'success-unmeasured');
    expect(limiter.stats().decreases).toBe(0);
    expect(limiter.limit).toBeGreaterThan(4);
    call(900, 'overload');
    expect(limiter.stats().decreases).toBe(1);
  });

  it('with latencySlackMs 0, the ratio alone decides', () => {
    const { limiter, call } = make({ initialLimit: 16, latencyTolerance: 3, latencySlackMs: 0 });
    call(0.2);
    for (let i = 0; i < 5; i++) call(0.8);
    expect(limiter.limit).toBeLessThan(16);
  });

  it('ignores latency when latencyTolerance is null, and ignores "ignore" samples', () => {
    const { limiter, call, clock } = make({ latencyTolerance: null, initialLimit: 8 });
    call(10);
    for (let i = 0; i < 10; i++) call(1_000);
    expect(limiter.limit).toBeGreaterThanOrEqual(8);
    limiter.record({ startedAt: clock.monotonic(), outcome: 'ignore' });
    expect(limiter.stats().decreases).toBe(0);
  });

  it('refuses bad options precisely', () => {
    const clock = new ManualClock();
    expect(() => new AdaptiveLimiter({ clock, minLimit: 5, maxLimit: 2 })).toThrow(/maxLimit/);
    expect(() => new AdaptiveLimiter({ clock, initialLimit: 100, maxLimit: 10 })).toThrow(/initialLimit/);
    expect(() => new AdaptiveLimiter({ clock, backoffRatio: 1 })).toThrow(/backoffRatio/);
    expect(() => new AdaptiveLimiter({ clock, latencySlackMs: -1 })).toThrow(/latencySlackMs/);
  });

  it('a set gives one limiter per provider, capped by its maxConnections', () => {
    const set = new AdaptiveLimiterSet({
      clock: new ManualClock(),
      config: { initialLimit: 8, minLimit: 1, maxLimit: 64, backoffRatio: 0.5, latencyTolerance: 3, latencySlackMs: 20, minLatencyWindowMs: 60_000 },
    });
    expect(set.get('a', 4).limit).toBe(4);
    expect(set.get('a')).toBe(set.get('a'));
    expect(set.get('b').limit).toBe(8);
  });
});
