import { describe, it, expect } from 'vitest';
import { ManualClock } from '../clock.ts';
import { MetricsRecorder } from './metrics-recorder.ts';
import { cacheStatsBody, detailedHealthBody, performanceHealthBody, performanceMetricsBody, v1PerformanceBody, type SummaryInput } from './legacy-summaries.ts';
import { recordedRequest as req } from '../../../test/helpers/test-requests.ts';

function input(over: Partial<SummaryInput> = {}, errorEvery = 0): SummaryInput {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const rec = new MetricsRecorder({ clock });
  for (let i = 0; i < 20; i++) rec.record(req({ latencyMs: 100 + i, cache: i < 15 ? 'hit-memory' : 'miss', status: errorEvery && i % errorEvery === 0 ? 502 : 200, provider: i % 2 ? 'a' : 'b', stream: true, firstByteMs: 20 }));
  clock.advance(1000);
  return { snapshot: rec.snapshot(10, { queueDepth: 1, inFlight: 3 }), uptimeSeconds: 42.7, version: '0.1.0', ...over };
}

describe('legacy summaries', () => {
  it('/performance/metrics carries throughput, latency, cache and queue figures', () => {
    const b = performanceMetricsBody(input());
    expect(b.requests).toBe(20);
    expect(b.requests_per_second).toBe(2);
    expect(b.cache_hit_rate).toBe(0.75);
    expect(b.latency_ms.p50).toBeGreaterThan(100);
    expect(b.time_to_first_byte_ms.p95).toBeCloseTo(20, 0);
    expect(b.uptime_seconds).toBe(42);
    expect(b.in_flight).toBe(3);
  });

  it('/v1/performance breaks figures down per provider and model', () => {
    const b = v1PerformanceBody(input());
    expect(Object.keys(b.providers).sort()).toEqual(['a', 'b']);
    expect(b.providers.a.requests).toBe(10);
    expect(b.models['gpt-4o-mini'].requests).toBe(20);
    expect(b.process).toBeNull();
  });

  it('/performance/cache/stats counts hits per tier', () => {
    const b = cacheStatsBody(input({ cacheTiers: [{ tier: 'memory', hits: 15, misses: 5, evictions: 2, entries: 10 }] }));
    expect(b.hits.memory).toBe(15);
    expect(b.misses).toBe(5);
    expect(b.tiers[0]).toMatchObject({ tier: 'memory', evictions: 2, entries: 10, bytes: null });
  });

  it('health is healthy, degraded or unhealthy with the reasons', () => {
    expect(performanceHealthBody(input()).status).toBe('healthy');
    const degraded = performanceHealthBody(input({ breakers: [{ target: 'a/x', state: 'open' }, { target: 'b/y', state: 'closed' }] }));
    expect(degraded.status).toBe('degraded');
    expect(degraded.reasons[0]).toMatch(/a\/x/);
    expect(performanceHealthBody(input({}, 2)).reasons.join()).toMatch(/error rate 50 %/);
    const down = detailedHealthBody(input({ breakers: [{ target: 'a/x', state: 'open' }], databaseOk: false, openAlerts: { total: 2, critical: 1 } }));
    expect(down.status).toBe('unhealthy');
    expect(down.components.database.status).toBe('down');
    expect(down.components.upstreams[0].status).toBe('down');
    expect(down.alerts).toEqual({ open: 2, critical: 1 });
  });

  it('every breaker open is an outage only while nothing is answered: other endpoints may still serve', () => {
    const oneOpen = { breakers: [{ target: 'simulator/sim-chat', state: 'open' as const }] };
    expect(performanceHealthBody(input(oneOpen)).status).toBe('degraded'); // 20 requests answered meanwhile
    const allFailing = performanceHealthBody(input(oneOpen, 1)); // every request failed
    expect(allFailing.status).toBe('unhealthy');
    expect(allFailing.reasons[0]).toMatch(/all breakers open/);
  });
});
