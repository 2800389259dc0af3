// Load test definitions and results: the panel's Load test page and `sluice bench` share them.

export const LOADTEST_ENDPOINTS = ['chat', 'chat-stream', 'embeddings', 'speech'] as const;

/** A load test as run and saved: what was given, with LOADTEST_DEFAULTS for what was not. */
export interface LoadTestSpec {
  /** Which endpoint to drive. */
  endpoint: (typeof LOADTEST_ENDPOINTS)[number];
  model: string;
  concurrency: number;
  /** Stop after this many requests … */
  totalRequests?: number;
  /** … or after this many seconds (whichever is given; total wins when both are). */
  durationSeconds?: number;
  /** Share of requests that repeat an earlier prompt, 0–1 (drives the cache hit rate). */
  repeatRatio: number;
  /** Prompts to draw from; a built-in set when empty. */
  prompts?: string[];
  /** Optional label to find the run again. */
  name?: string;
}

/** What a field left out of a load test is (`POST /admin/api/loadtests` and `sluice bench` alike); 500 requests when neither bound is given. */
export const LOADTEST_DEFAULTS = { endpoint: 'chat', model: 'sim-chat', concurrency: 10, totalRequests: 500, repeatRatio: 0.3 } as const satisfies Partial<LoadTestSpec>;

/** A load test as the admin API and `sluice bench` take it: any field may be left out (LOADTEST_DEFAULTS). */
export type LoadTestInput = Partial<LoadTestSpec>;

export interface LoadTestResult {
  id: string;
  name: string;
  spec: LoadTestSpec;
  startedAt: number;
  finishedAt: number;
  state: 'running' | 'done' | 'cancelled' | 'failed';
  requests: number;
  succeeded: number;
  failed: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number; mean: number };
  successRate: number;
  hitRate: number;
  /** By cache result header value (miss, hit-memory, coalesced, …). */
  cacheResults: Record<string, number>;
  /** By error kind: HTTP status or network error code. */
  errors: Record<string, number>;
}

/** A running test's figures so far, sent a few times a second: what the saved result will say, as it grows. */
export interface LoadTestProgress {
  id: string;
  done: number;
  total: number | null;
  elapsedMs: number;
  durationMs: number | null;
  requestsPerSecond: number;
  /** Answers below 400; `failed` is the rest (HTTP errors and network errors). */
  succeeded: number;
  failed: number;
  /** Over every finished request so far, from a log histogram (within ±2 %). */
  latencyMs: { p50: number; p95: number };
  /** Share of finished requests the cache answered, 0..1. */
  hitRate: number;
  /** By error kind, as in the result: "HTTP 500", a network error code. */
  errors: Record<string, number>;
}
