import { describe, it, expect } from 'vitest';
import { ManualClock } from '../clock.ts';
import { MetricsRecorder, type SecondBucket } from './metrics-recorder.ts';
import { recordedRequest as req } from '../../../test/helpers/test-requests.ts';

function setup(opts: { liveSeconds?: number; maxGroups?: number } = {}) {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const rec = new MetricsRecorder({ clock, ...opts });
  return { clock, rec };
}

describe('MetricsRecorder', () => {
  it('reports rate, percentiles, errors, cache tiers, tokens and spend over the window', () => {
    const { clock, rec } = setup();
    for (let s = 0; s < 10; s++) {
      for (let i = 0; i < 10; i++) {
        rec.record(req({ latencyMs: i < 9 ? 100 : 1000, status: i === 0 && s < 2 ? 503 : 200, cache: i < 7 ? 'hit-memory' : i < 8 ? 'hit-disk' : 'miss', savedUsd: i < 8 ? 0.002 : 0, provider: i % 2 ? 'a' : 'b' }));
      }
      clock.advance(1000);
    }
    const snap = rec.snapshot(10, { queueDepth: 3, inFlight: 2 });
    expect(snap.overall.requests).toBe(100);
    expect(snap.overall.requestsPerSecond).toBe(10);
    expect(snap.overall.errors).toBe(2);
    expect(snap.overall.errorRate).toBeCloseTo(0.02);
    expect(snap.overall.latency.p50Ms).toBeCloseTo(100, -1);
    expect(snap.overall.latency.p95Ms).toBeCloseTo(1000, -2);
    expect(snap.overall.cache.memory).toBe(70);
    expect(snap.overall.cache.disk).toBe(10);
    expect(snap.overall.hitRate).toBeCloseTo(0.8);
    expect(snap.overall.savedUsd).toBeCloseTo(0.16);
    expect(snap.overall.promptTokens).toBe(1000);
    expect(snap.byProvider.a.requests + snap.byProvider.b.requests).toBe(100);
    expect(snap.byModel['gpt-4o-mini'].requests).toBe(100);
    expect(snap.queueDepth).toBe(3);
    expect(snap.inFlight).toBe(2);
  });

  it('only counts the seconds inside the window', () => {
    const { clock, rec } = setup();
    rec.record(req());
    clock.advance(30_000);
    rec.record(req()); rec.record(req());
    clock.advance(1000);
    expect(rec.snapshot(5).overall.requests).toBe(2);
    expect(rec.snapshot(60).overall.requests).toBe(3);
  });

  it('hands every closed second to listeners, empty seconds included', () => {
    const { clock, rec } = setup();
    const seen: Array<[number, number]> = [];
    rec.onSecond((b: SecondBucket) => seen.push([b.ts, b.overall.requests]));
    rec.record(req()); rec.record(req());
    clock.advance(3000);
    rec.tick();
    expect(seen.map((s) => s[1])).toEqual([2, 0, 0]);
    expect(seen[1][0] - seen[0][0]).toBe(1000);
  });

  it('after a long gap emits at most liveSeconds empty seconds and carries on', () => {
    const { clock, rec } = setup({ liveSeconds: 5 });
    let n = 0;
    rec.onSecond(() => n++);
    clock.advance(3_600_000);
    rec.record(req());
    expect(n).toBe(5);
    clock.advance(1000);
    expect(rec.snapshot(5).overall.requests).toBe(1);
  });

  it('caps provider and model names, counting the rest as other', () => {
    const { clock, rec } = setup({ maxGroups: 3 });
    for (let i = 0; i < 10; i++) rec.record(req({ model: `m${i}` }));
    clock.advance(1000);
    const snap = rec.snapshot(1);
    expect(Object.keys(snap.byModel).sort()).toEqual(['m0', 'm1', 'm2', 'other']);
    expect(snap.byModel.other.requests).toBe(7);
  });

  it('ticks by itself once started', () => {
    const { clock, rec } = setup();
    let n = 0;
    rec.onSecond(() => n++);
    rec.start();
    clock.advance(5500);
    rec.stop();
    clock.advance(5000);
    expect(n).toBe(5);
  });

  it('validates its options', () => {
    expect(() => new MetricsRecorder({ clock: new ManualClock(), liveSeconds: 0 })).toThrow(/liveSeconds/);
    expect(() => new MetricsRecorder({} as never)).toThrow(/clock/);
  });
});
