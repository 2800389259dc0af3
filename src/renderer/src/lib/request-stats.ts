// Live figures computed from the request events the panel has received: tiles and a time series.
import type { RequestSummary } from '../../../shared/events.ts';

export interface WindowSummary {
  count: number;
  perMinute: number;
  errorRate: number | null;
  hitRate: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
  tokens: number;
  costUsd: number;
}

export interface SeriesPoint {
  /** Bucket start, ms since epoch. */
  t: number;
  requests: number;
  errors: number;
  /** Median latency in the bucket, null when empty. */
  p50Ms: number | null;
  p95Ms: number | null;
}

export const isHit = (c: string): boolean => c.startsWith('hit-') || c === 'coalesced' || c === 'stale';
export const isError = (r: Pick<RequestSummary, 'status'>): boolean => r.status >= 400 || r.status === 0;

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (!sorted.length) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function summarize(items: readonly RequestSummary[], now: number, windowMs: number): WindowSummary {
  const from = now - windowMs;
  const inWindow = items.filter((r) => r.ts > from && r.ts <= now);
  const lat = inWindow.map((r) => r.latencyMs).sort((a, b) => a - b);
  const errors = inWindow.filter(isError).length;
  const cacheable = inWindow.filter((r) => r.cache !== 'bypass');
  const hits = cacheable.filter((r) => isHit(r.cache)).length;
  return {
    count: inWindow.length,
    perMinute: inWindow.length / (windowMs / 60_000),
    errorRate: inWindow.length ? errors / inWindow.length : null,
    hitRate: cacheable.length ? hits / cacheable.length : null,
    p50Ms: percentile(lat, 50),
    p95Ms: percentile(lat, 95),
    tokens: inWindow.reduce((s, r) => s + r.promptTokens + r.completionTokens, 0),
    costUsd: inWindow.reduce((s, r) => s + r.costUsd, 0),
  };
}

/** Buckets of `bucketMs` covering (now - windowMs, now], oldest first; empty buckets included. */
export function timeSeries(items: readonly RequestSummary[], now: number, windowMs: number, bucketMs: number): SeriesPoint[] {
  if (!(bucketMs > 0) || !(windowMs >= bucketMs)) throw new RangeError('timeSeries: need 0 < bucketMs <= windowMs');
  const end = Math.floor(now / bucketMs) * bucketMs + bucketMs;
  const n = Math.ceil(windowMs / bucketMs);
  const start = end - n * bucketMs;
  const lat: number[][] = Array.from({ length: n }, () => []);
  const errs = new Array<number>(n).fill(0);
  for (const r of items) {
    if (r.ts < start || r.ts >= end) continue;
    const i = Math.floor((r.ts - start) / bucketMs);
    lat[i].push(r.latencyMs);
    if (isError(r)) errs[i] += 1;
  }
  return lat.map((l, i) => {
    const sorted = l.sort((a, b) => a - b);
    return { t: start + i * bucketMs, requests: l.length, errors: errs[i], p50Ms: percentile(sorted, 50), p95Ms: percentile(sorted, 95) };
  });
}
