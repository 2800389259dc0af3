import { describe, expect, it } from 'vitest';
import { group, snapshot } from '../state/snapshot-fixture.ts';
import { pointFromHistory, pointFromSnapshot, startOfDay, tilesFromSnapshot, todayTotals } from './metric-points.ts';
import { RingBuffer } from './ring-buffer.ts';
import type { HistoryPoint } from '../../../shared/metrics.ts';

describe('RingBuffer', () => {
  it('keeps the newest items in order and never grows past capacity', () => {
    const r = new RingBuffer<number>(3);
    expect(r.toArray()).toEqual([]);
    expect(r.last()).toBeUndefined();
    for (let i = 1; i <= 7; i++) r.push(i);
    expect(r.toArray()).toEqual([5, 6, 7]);
    expect(r.size).toBe(3);
    expect(r.last()).toBe(7);
    r.clear();
    r.push(9);
    expect(r.toArray()).toEqual([9]);
    expect(() => new RingBuffer(0)).toThrow(/capacity/);
  });
});

describe('chart points', () => {
  it('turns a live snapshot into per-second rates and per-tier shares of cacheable lookups', () => {
    const p = pointFromSnapshot(snapshot(5000));
    expect(p.requestsPerSecond).toBe(2);
    expect(p.p95Ms).toBe(200);
    // cacheable = memory 6 + disk 2 + semantic 0 + stale 0 + miss 8 = 16 (bypass and coalesced are not lookups)
    expect(p.hitMemory).toBeCloseTo(6 / 16);
    expect(p.hitDisk).toBeCloseTo(2 / 16);
    expect(p.promptTokensPerSecond).toBe(100);
    expect(p.costUsdPerMinute).toBeCloseTo(0.06);
  });

  it('shows gaps, not zeros, for latency and error rate when there were no requests', () => {
    const empty = { count: 0, meanMs: 0, p50Ms: 0, p90Ms: 0, p95Ms: 0, p99Ms: 0, maxMs: 0 };
    const p = pointFromSnapshot(snapshot(1, { requests: 0, requestsPerSecond: 0, errorRate: 0, hitRate: null, latency: empty, cache: group().cache }));
    expect(p.p95Ms).toBeNull();
    expect(p.errorRate).toBeNull();
    expect(tilesFromSnapshot(snapshot(1, { requests: 0, latency: empty })).p95Ms).toBeNull();
    expect(tilesFromSnapshot(null).requestsPerSecond).toBeNull();
    const untimed = snapshot(2, { requests: 3, latency: empty });
    expect(pointFromSnapshot(untimed).p95Ms).toBeNull();
    expect(tilesFromSnapshot(untimed).p95Ms).toBeNull();
  });

  it('turns a history step into the same per-second rates', () => {
    const h: HistoryPoint = { ts: 0, requests: 120, errors: 6, errorRate: 0.05, p50Ms: 90, p95Ms: 300, p99Ms: 500, hitRate: 0.25, promptTokens: 6000, completionTokens: 600, costUsd: 0.6, savedUsd: 0.3 };
    const p = pointFromHistory(h, 60_000);
    expect(p.requestsPerSecond).toBe(2);
    expect(p.promptTokensPerSecond).toBe(100);
    expect(p.costUsdPerMinute).toBeCloseTo(0.6);
    expect(p.hitMemory).toBeNull();
  });

  it('adds up spend and savings since local midnight only', () => {
    const now = new Date(2026, 0, 2, 10, 0, 0).getTime();
    const mk = (ts: number, costUsd: number): HistoryPoint => ({ ts, requests: 1, errors: 0, errorRate: 0, p50Ms: 1, p95Ms: 1, p99Ms: 1, hitRate: null, promptTokens: 0, completionTokens: 0, costUsd, savedUsd: costUsd / 2 });
    const totals = todayTotals([mk(startOfDay(now) - 1, 5), mk(startOfDay(now), 1), mk(now - 60_000, 2)], now);
    expect(totals.costUsd).toBe(3);
    expect(totals.savedUsd).toBe(1.5);
  });
});
