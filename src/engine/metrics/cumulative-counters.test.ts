import { describe, it, expect } from 'vitest';
import { CumulativeCounters } from './cumulative-counters.ts';
import { recordedRequest as req } from '../../../test/helpers/test-requests.ts';

describe('CumulativeCounters', () => {
  it('counts per label set with latency buckets, failures, cache results and usage', () => {
    const c = new CumulativeCounters();
    c.add(req({ latencyMs: 30 }));
    c.add(req({ latencyMs: 3000 }));
    c.add(req({ status: 503, cache: 'miss' }));
    c.add(req({ cache: 'hit-memory', savedUsd: 0.5, costUsd: 0 }));
    const series = [...c.requestSeries()];
    const ok = series.find((s) => s.status === '200' && s.cache === 'miss')!;
    expect(ok.count).toBe(2);
    expect(ok.latencySumSeconds).toBeCloseTo(3.03);
    expect(ok.buckets[3]).toBe(1); // ≤ 0.05 s
    expect(ok.buckets[9]).toBe(1); // ≤ 5 s
    expect(series.find((s) => s.status === '503')!.errors).toBe(1);
    expect(Object.fromEntries(c.cacheResults())).toEqual({ miss: 3, 'hit-memory': 1 });
    const u = [...c.usageSeries()][0];
    expect(u.promptTokens).toBe(40);
    expect(u.savedUsd).toBe(0.5);
    expect(c.total).toBe(4);
  });

  it('labels a request refused before the cache looked `none`, and counts it in no cache result', () => {
    const c = new CumulativeCounters();
    c.add(req({ status: 404, cache: 'none' }));
    c.add(req({ cache: 'miss' }));
    expect([...c.requestSeries()].find((s) => s.status === '404')!.cache).toBe('none');
    expect(Object.fromEntries(c.cacheResults())).toEqual({ miss: 1 });
  });

  it('caps label sets so memory stays bounded, counting the excess as other', () => {
    const c = new CumulativeCounters({ maxSeries: 10 });
    for (let i = 0; i < 1000; i++) c.add(req(i % 2 ? { model: `m${i}`, endpoint: 'other', path: `/x/${i}` } : { model: `m${i}` }));
    const series = [...c.requestSeries()];
    expect(series.length).toBeLessThanOrEqual(11);
    expect(series.reduce((n, s) => n + s.count, 0)).toBe(1000);
    expect(series.find((s) => s.model === 'other')!.count).toBeGreaterThan(900);
    expect(new Set(series.map((s) => s.route))).toEqual(new Set(['/v1/chat/completions', 'other']));
  });
});
