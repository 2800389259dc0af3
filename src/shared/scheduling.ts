// Configuration for how requests are paced: embeddings micro-batching, the per-provider priority
// queue, the adaptive concurrency limit and per-client rate limits. Plain data plus its defaults.
import type { Priority } from './targets.ts';

export interface BatchingConfig {
  enabled: boolean;
  /** Most inputs in one upstream embeddings call. */
  maxBatchSize: number;
  /** Most estimated tokens in one upstream embeddings call. */
  maxBatchTokens: number;
  /** Longest a request waits for batch-mates while calls for its target are in flight, ms. */
  maxWaitMs: number;
  /** Calls per batch key sent at once without waiting (light traffic is never delayed). */
  maxInFlightPerKey: number;
  /** While calls of a batch key are in flight and a slot is free, how long a request waits for
   *  batch-mates before taking it, ms (capped by maxWaitMs; 0 sends at once). */
  gatherMs: number;
}

export interface SchedulerConfig {
  enabled: boolean;
  /** Longest a request waits in a provider's queue before a 503, ms. */
  queueTimeoutMs: number;
  /** Requests waiting per provider beyond which new ones are refused at once. */
  maxQueueDepth: number;
  /** Waiting this long raises a request by one priority level when picking (no starvation), ms. */
  agingMs: number;
}

export interface LimiterConfig {
  enabled: boolean;
  /** Concurrency limit a provider starts with. */
  initialLimit: number;
  minLimit: number;
  /** Upper bound (a provider's `maxConnections` lowers it further). */
  maxLimit: number;
  /** Factor the limit is multiplied by on 429, timeouts or latency inflation (0 < x < 1). */
  backoffRatio: number;
  /** Latency above `minLatency × latencyTolerance` counts as inflation (≥ 1); null ignores latency. */
  latencyTolerance: number | null;
  /** …and only when it is also at least this many ms above that minimum, so that a fast upstream
   *  going from 0.2 ms to 0.8 ms under load (noise, not a queue) does not cut the limit. */
  latencySlackMs: number;
  /** How long the observed minimum latency is remembered, ms. */
  minLatencyWindowMs: number;
}

export interface ClientLimit {
  /** Requests per minute; absent: unlimited. */
  requestsPerMinute?: number;
  /** Tokens (prompt + completion, estimated up front, settled on usage) per minute; absent: unlimited. */
  tokensPerMinute?: number;
}

export interface ClientLimitRule extends ClientLimit {
  /** Client id (e.g. `key:1a2b…` or `app:notes`) or a glob with `*`. First matching rule wins. */
  client: string;
}

export interface ClientLimitsConfig {
  enabled: boolean;
  /** Applies to clients no rule matches. */
  default: ClientLimit;
  rules: ClientLimitRule[];
}

export interface SchedulingConfig {
  batching: BatchingConfig;
  scheduler: SchedulerConfig;
  limiter: LimiterConfig;
  clientLimits: ClientLimitsConfig;
}

export const PRIORITIES: readonly Priority[] = ['high', 'normal', 'low'];

export const defaultBatching = (): BatchingConfig => ({
  enabled: true,
  maxBatchSize: 256,
  maxBatchTokens: 100_000,
  maxWaitMs: 10,
  maxInFlightPerKey: 4,
  gatherMs: 2,
});

export const defaultScheduler = (): SchedulerConfig => ({
  enabled: true,
  queueTimeoutMs: 30_000,
  maxQueueDepth: 1_000,
  agingMs: 2_000,
});

export const defaultLimiter = (): LimiterConfig => ({
  enabled: true,
  initialLimit: 8,
  minLimit: 1,
  maxLimit: 64,
  backoffRatio: 0.7,
  latencyTolerance: 3,
  latencySlackMs: 20,
  minLatencyWindowMs: 60_000,
});

export const defaultClientLimits = (): ClientLimitsConfig => ({ enabled: false, default: {}, rules: [] });

export const defaultScheduling = (): SchedulingConfig => ({
  batching: defaultBatching(),
  scheduler: defaultScheduler(),
  limiter: defaultLimiter(),
  clientLimits: defaultClientLimits(),
});

/** One provider's queue and concurrency limit, as the admin API and the metrics feature see them. */
export interface SchedulerProviderStats {
  provider: string;
  /** Calls allowed at once right now (the adaptive limit, capped by the provider's maxConnections). */
  limit: number;
  inFlight: number;
  /** Requests waiting, by priority. */
  queued: Record<Priority, number>;
  /** Times the adaptive limit was cut (429s, timeouts, inflated latency). */
  decreases: number;
  minLatencyMs: number | null;
  smoothedLatencyMs: number | null;
}

/** One group of embeddings requests that may share an upstream call. */
export interface BatchGroupStats {
  provider: string;
  model: string;
  /** Requests waiting for batch-mates. */
  pending: number;
  pendingInputs: number;
  /** Upstream calls in flight for this group. */
  inFlight: number;
}

export interface SchedulingStatsView {
  providers: SchedulerProviderStats[];
  batches: BatchGroupStats[];
  /** Embeddings requests answered from a batched call, and the upstream calls that carried them. */
  batching: { requests: number; calls: number };
  /** Requests refused by client limits since start. */
  clientLimited: number;
}
