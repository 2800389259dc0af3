// The one shape every dashboard chart reads, built from a live snapshot (1 s resolution) or a
// history point (one step of the chosen range). Rates are per second so live and history compare.
import type { HistoryPoint, LiveSample, LiveSnapshot, MetricsGroup } from '../../../shared/metrics.ts';

export interface ChartPoint {
  /** ms since the epoch. */
  ts: number;
  requestsPerSecond: number;
  /** 0..1, null when there were no requests. */
  errorRate: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  /** Overall hits over cacheable lookups, 0..1; null when nothing was cacheable. */
  hitRate: number | null;
  /** Share of cacheable lookups answered by each tier, 0..1; null in history (not recorded per tier). */
  hitMemory: number | null;
  hitDisk: number | null;
  hitSemantic: number | null;
  promptTokensPerSecond: number;
  completionTokensPerSecond: number;
  /** USD spent / saved per minute. */
  costUsdPerMinute: number;
  savedUsdPerMinute: number;
}

/** The headline figures of the dashboard tiles. */
export interface TileFigures {
  requestsPerSecond: number | null;
  p95Ms: number | null;
  errorRate: number | null;
  hitRate: number | null;
}

function tierShare(g: MetricsGroup, n: number): number | null {
  const c = g.cache;
  const cacheable = c.memory + c.disk + c.semantic + c.stale + c.miss;
  return cacheable ? n / cacheable : null;
}

export function pointFromSnapshot(s: LiveSample): ChartPoint {
  const g = s.overall;
  const seconds = Math.max(1, s.windowMs / 1000);
  const any = g.requests > 0;
  // Latency has its own count: a window can hold requests whose latency is not measured yet.
  const timed = g.latency.count > 0;
  return {
    ts: s.ts,
    requestsPerSecond: g.requestsPerSecond,
    errorRate: any ? g.errorRate : null,
    p50Ms: timed ? g.latency.p50Ms : null,
    p95Ms: timed ? g.latency.p95Ms : null,
    p99Ms: timed ? g.latency.p99Ms : null,
    hitRate: g.hitRate,
    hitMemory: tierShare(g, g.cache.memory),
    hitDisk: tierShare(g, g.cache.disk),
    hitSemantic: tierShare(g, g.cache.semantic),
    promptTokensPerSecond: g.promptTokens / seconds,
    completionTokensPerSecond: g.completionTokens / seconds,
    costUsdPerMinute: (g.costUsd / seconds) * 60,
    savedUsdPerMinute: (g.savedUsd / seconds) * 60,
  };
}

export function pointFromHistory(p: HistoryPoint, stepMs: number): ChartPoint {
  const seconds = Math.max(1, stepMs / 1000);
  const any = p.requests > 0;
  return {
    ts: p.ts,
    requestsPerSecond: p.requests / seconds,
    errorRate: any ? p.errorRate : null,
    p50Ms: any ? p.p50Ms : null,
    p95Ms: any ? p.p95Ms : null,
    p99Ms: any ? p.p99Ms : null,
    hitRate: p.hitRate,
    hitMemory: null,
    hitDisk: null,
    hitSemantic: null,
    promptTokensPerSecond: p.promptTokens / seconds,
    completionTokensPerSecond: p.completionTokens / seconds,
    costUsdPerMinute: (p.costUsd / seconds) * 60,
    savedUsdPerMinute: (p.savedUsd / seconds) * 60,
  };
}

export function tilesFromSnapshot(s: LiveSnapshot | null): TileFigures {
  if (!s) return { requestsPerSecond: null, p95Ms: null, errorRate: null, hitRate: null };
  const g = s.overall;
  return {
    requestsPerSecond: g.requestsPerSecond,
    p95Ms: g.latency.count > 0 ? g.latency.p95Ms : null,
    errorRate: g.requests ? g.errorRate : null,
    hitRate: g.hitRate,
  };
}

/** Local midnight of the day `now` falls in. */
export function startOfDay(now: number): number {
  const d = new Date(now);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

/** Spend and savings since local midnight, from a history series covering at least today. */
export function todayTotals(points: readonly HistoryPoint[], now: number): { costUsd: number; savedUsd: number } {
  const from = startOfDay(now);
  let costUsd = 0;
  let savedUsd = 0;
  for (const p of points) {
    if (p.ts < from || p.ts > now) continue;
    costUsd += p.costUsd;
    savedUsd += p.savedUsd;
  }
  return { costUsd, savedUsd };
}
