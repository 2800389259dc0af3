// JSON bodies for the summary routes older tools poll. The lead mounts the routes; these build the
// bodies from a live snapshot plus what other parts of the engine know (breakers, cache tiers, alerts).
import type { LatencySummary, LiveSnapshot, MetricsGroup } from '../../shared/metrics.ts';
import type { BreakerStat, CacheTierStats } from './prometheus-exposition.ts';

export type HealthStatus = 'healthy' | 'degraded' | 'unhealthy';

export interface SummaryInput {
  snapshot: LiveSnapshot;
  uptimeSeconds: number;
  version: string;
  breakers?: BreakerStat[];
  cacheTiers?: CacheTierStats[];
  openAlerts?: { total: number; critical: number };
  /** Whether sluice.db answers (a cheap `SELECT 1`). */
  databaseOk?: boolean;
}

/** Thresholds behind "degraded". */
export const HEALTH_LIMITS = { errorRate: 0.2, eventLoopP99Ms: 200 } as const;

const round = (v: number, digits = 3) => Math.round(v * 10 ** digits) / 10 ** digits;

function latencyBody(l: LatencySummary) {
  return { count: l.count, avg: round(l.meanMs), p50: round(l.p50Ms), p90: round(l.p90Ms), p95: round(l.p95Ms), p99: round(l.p99Ms), max: round(l.maxMs) };
}

function groupBody(g: MetricsGroup) {
  return {
    requests: g.requests,
    requests_per_second: round(g.requestsPerSecond),
    errors: g.errors,
    error_rate: round(g.errorRate, 4),
    latency_ms: latencyBody(g.latency),
    cache_hit_rate: g.hitRate === null ? null : round(g.hitRate, 4),
    tokens: { prompt: g.promptTokens, completion: g.completionTokens },
    cost_usd: round(g.costUsd, 6),
    saved_usd: round(g.savedUsd, 6),
  };
}

/** `GET /performance/metrics` */
export function performanceMetricsBody(input: SummaryInput) {
  const s = input.snapshot;
  return {
    timestamp: new Date(s.ts).toISOString(),
    window_seconds: s.windowMs / 1000,
    uptime_seconds: Math.floor(input.uptimeSeconds),
    ...groupBody(s.overall),
    time_to_first_byte_ms: latencyBody(s.overall.firstByte),
    coalesced: s.overall.coalesced,
    batched: s.overall.batched,
    queue_depth: s.queueDepth,
    in_flight: s.inFlight,
  };
}

/** `GET /v1/performance` */
export function v1PerformanceBody(input: SummaryInput) {
  const s = input.snapshot;
  const map = (r: Record<string, MetricsGroup>) => Object.fromEntries(Object.entries(r).map(([k, g]) => [k, groupBody(g)]));
  return {
    object: 'performance',
    created: Math.floor(s.ts / 1000),
    window_seconds: s.windowMs / 1000,
    overall: { ...groupBody(s.overall), ttfb_ms: latencyBody(s.overall.firstByte) },
    providers: map(s.byProvider),
    models: map(s.byModel),
    queue: { depth: s.queueDepth, in_flight: s.inFlight },
    process: s.process && {
      cpu_percent: round(s.process.cpuPercent, 1),
      rss_bytes: s.process.rssBytes,
      heap_used_bytes: s.process.heapUsedBytes,
      event_loop_delay_p99_ms: round(s.process.eventLoopDelay.p99Ms),
    },
  };
}

/** `GET /performance/cache/stats` */
export function cacheStatsBody(input: SummaryInput) {
  const g = input.snapshot.overall;
  return {
    window_seconds: input.snapshot.windowMs / 1000,
    hit_rate: g.hitRate === null ? null : round(g.hitRate, 4),
    hits: { memory: g.cache.memory, disk: g.cache.disk, semantic: g.cache.semantic, stale: g.cache.stale },
    misses: g.cache.miss,
    coalesced: g.cache.coalesced,
    bypassed: g.cache.bypass + g.cache.refresh,
    saved_usd: round(g.savedUsd, 6),
    tiers: (input.cacheTiers ?? []).map((t) => ({ tier: t.tier, hits: t.hits, misses: t.misses, evictions: t.evictions, entries: t.entries ?? null, bytes: t.bytes ?? null })),
  };
}

/** The overall verdict and the reasons behind it. */
export function healthOf(input: SummaryInput): { status: HealthStatus; reasons: string[] } {
  const reasons: string[] = [];
  let status: HealthStatus = 'healthy';
  const breakers = input.breakers ?? [];
  const open = breakers.filter((b) => b.state === 'open');
  const g = input.snapshot.overall;
  if (input.databaseOk === false) { status = 'unhealthy'; reasons.push('database unavailable'); }
  // breakers exist only for targets tried: all of them open is an outage only if nothing is being answered
  const answering = g.requests > 0 && g.errorRate < 1;
  if (breakers.length > 0 && open.length === breakers.length && !answering) { status = 'unhealthy'; reasons.push('every upstream is failing (all breakers open)'); }
  else if (open.length > 0) { reasons.push(`${open.length} upstream target(s) failing: ${open.map((b) => b.target).join(', ')}`); }
  if (g.requests > 0 && g.errorRate > HEALTH_LIMITS.errorRate) reasons.push(`error rate ${round(g.errorRate * 100, 1)} %`);
  const eld = input.snapshot.process?.eventLoopDelay.p99Ms ?? 0;
  if (eld > HEALTH_LIMITS.eventLoopP99Ms) reasons.push(`event-loop delay p99 ${round(eld, 0)} ms`);
  if ((input.openAlerts?.critical ?? 0) > 0) reasons.push(`${input.openAlerts!.critical} critical alert(s) open`);
  if (status === 'healthy' && reasons.length > 0) status = 'degraded';
  return { status, reasons };
}

/** `GET /performance/health` */
export function performanceHealthBody(input: SummaryInput) {
  const { status, reasons } = healthOf(input);
  return { status, reasons, timestamp: new Date(input.snapshot.ts).toISOString(), uptime_seconds: Math.floor(input.uptimeSeconds) };
}

/** `GET /v1/health/detailed` */
export function detailedHealthBody(input: SummaryInput) {
  const { status, reasons } = healthOf(input);
  const s = input.snapshot;
  return {
    status,
    reasons,
    version: input.version,
    timestamp: new Date(s.ts).toISOString(),
    uptime_seconds: Math.floor(input.uptimeSeconds),
    components: {
      database: { status: input.databaseOk === false ? 'down' : 'up' },
      upstreams: (input.breakers ?? []).map((b) => ({ target: b.target, breaker: b.state, status: b.state === 'open' ? 'down' : b.state === 'half-open' ? 'recovering' : 'up' })),
      cache: { hit_rate: s.overall.hitRate, tiers: (input.cacheTiers ?? []).map((t) => ({ tier: t.tier, entries: t.entries ?? null, bytes: t.bytes ?? null })) },
      queue: { depth: s.queueDepth, in_flight: s.inFlight },
      process: s.process && {
        cpu_percent: round(s.process.cpuPercent, 1),
        rss_bytes: s.process.rssBytes,
        heap_used_bytes: s.process.heapUsedBytes,
        heap_total_bytes: s.process.heapTotalBytes,
        event_loop_delay_ms: { p50: round(s.process.eventLoopDelay.p50Ms), p99: round(s.process.eventLoopDelay.p99Ms), max: round(s.process.eventLoopDelay.maxMs) },
      },
    },
    traffic: groupBody(s.overall),
    alerts: { open: input.openAlerts?.total ?? 0, critical: input.openAlerts?.critical ?? 0 },
  };
}
