import { describe, expect, it } from 'vitest';
import type { LiveSnapshot } from '../../shared/metrics.ts';
import { RecentSamples } from './recent-samples.ts';

const snap = (ts: number, requests = 1): LiveSnapshot => ({
  ts, windowMs: 10_000, queueDepth: 0, inFlight: 2, process: null,
  overall: { requests } as LiveSnapshot['overall'],
  byProvider: { p: { requests } as LiveSnapshot['overall'] },
  byModel: { m: { requests } as LiveSnapshot['overall'] },
});

describe('RecentSamples', () => {
  it('keeps the newest seconds up to its capacity, oldest first, without the per-name figures', () => {
    const r = new RecentSamples(3);
    for (let i = 1; i <= 5; i++) r.add(snap(i * 1000, i));
    expect(r.last().map((s) => [s.ts, s.overall.requests])).toEqual([[3000, 3], [4000, 4], [5000, 5]]);
    expect(r.last()[0]).toEqual({ ts: 3000, windowMs: 10_000, overall: { requests: 3 }, queueDepth: 0, inFlight: 2 });
  });

  it('answers the last n seconds, and replaces a second pushed again instead of adding it', () => {
    const r = new RecentSamples(10);
    for (let i = 1; i <= 5; i++) r.add(snap(i * 1000));
    r.add(snap(5000, 9));
    r.add(snap(4000, 7));
    expect(r.last(2).map((s) => [s.ts, s.overall.requests])).toEqual([[4000, 1], [5000, 9]]);
    expect(new RecentSamples().last()).toEqual([]);
    expect(() => new RecentSamples(0)).toThrow(/capacity/);
  });
});
