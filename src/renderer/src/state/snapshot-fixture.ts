// Live snapshots and alerts with sensible defaults, for tests.
import type { Alert } from '../../../shared/alerts.ts';
import type { LatencySummary, LiveSnapshot, MetricsGroup } from '../../../shared/metrics.ts';

const latency = (p95: number): LatencySummary => ({ count: 1, meanMs: p95 / 2, p50Ms: p95 / 2, p90Ms: p95 * 0.9, p95Ms: p95, p99Ms: p95 * 1.2, maxMs: p95 * 1.5 });

export function group(over: Partial<MetricsGroup> = {}): MetricsGroup {
  return {
    requests: 20, requestsPerSecond: 2, errors: 1, errorRate: 0.05, latency: latency(200), firstByte: latency(80),
    cache: { memory: 6, disk: 2, semantic: 0, stale: 0, miss: 8, coalesced: 1, bypass: 3, refresh: 0 },
    hitRate: 0.5, coalesced: 1, batched: 0, promptTokens: 1000, completionTokens: 500, costUsd: 0.01, savedUsd: 0.005, ...over,
  };
}

export function snapshot(ts: number, over: Partial<MetricsGroup> = {}): LiveSnapshot {
  return { ts, windowMs: 10_000, overall: group(over), byProvider: {}, byModel: {}, queueDepth: 0, inFlight: 0, process: null };
}

export function alert(id: string, openedAt: number, over: Partial<Alert> = {}): Alert {
  return {
    id, kind: 'rule', key: id, severity: 'warning', title: `Alert ${id}`, message: 'errorRate is 60 %', figures: { value: 0.6, threshold: 0.5 },
    openedAt, updatedAt: openedAt, resolvedAt: null, acknowledgedAt: null, occurrences: 1, ...over,
  };
}
