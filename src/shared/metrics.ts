// Metrics as the control panel reads them: live snapshots and history series. Plain data only.

export interface LatencySummary {
  count: number;
  meanMs: number;
  p50Ms: number;
  p90Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** Requests answered per cache tier (what `RequestSummary.cache` said). */
export interface CacheTierCounts {
  memory: number;
  disk: number;
  semantic: number;
  stale: number;
  miss: number;
  coalesced: number;
  bypass: number;
  refresh: number;
}

export interface MetricsGroup {
  requests: number;
  requestsPerSecond: number;
  errors: number;
  /** errors / requests, 0..1 (0 when there were no requests). */
  errorRate: number;
  latency: LatencySummary;
  /** Time to first byte, streams only. */
  firstByte: LatencySummary;
  cache: CacheTierCounts;
  /** Hits (memory + disk + semantic + stale) over hits + misses, 0..1; null when nothing was cacheable. */
  hitRate: number | null;
  coalesced: number;
  batched: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  savedUsd: number;
}

export interface ProcessStats {
  /** Share of one core used since the previous sample, 0..n (n cores). */
  cpuPercent: number;
  rssBytes: number;
  heapUsedBytes: number;
  heapTotalBytes: number;
  eventLoopDelay: { meanMs: number; p50Ms: number; p99Ms: number; maxMs: number };
}

export interface LiveSnapshot {
  ts: number;
  /** Length of the window the figures cover. */
  windowMs: number;
  overall: MetricsGroup;
  byProvider: Record<string, MetricsGroup>;
  byModel: Record<string, MetricsGroup>;
  queueDepth: number;
  inFlight: number;
  process: ProcessStats | null;
}

/** A live snapshot without its per-provider and per-model figures: what the live charts draw. */
export type LiveSample = Pick<LiveSnapshot, 'ts' | 'windowMs' | 'overall' | 'queueDepth' | 'inFlight'>;

export type HistoryRange = '5m' | '1h' | '24h' | '7d' | '30d';
export const HISTORY_RANGES: readonly HistoryRange[] = ['5m', '1h', '24h', '7d', '30d'];

/** `all`, `provider:<id>` or `model:<name>`. */
export type MetricsScope = string;

export interface HistoryPoint {
  /** Start of the step, ms since the epoch. */
  ts: number;
  requests: number;
  errors: number;
  errorRate: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  hitRate: number | null;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  savedUsd: number;
}

export interface HistorySeries {
  range: HistoryRange;
  scope: MetricsScope;
  stepMs: number;
  from: number;
  to: number;
  points: HistoryPoint[];
}
