// Load test definitions and results: the panel's Load test page and `sluice bench` share them.

export interface LoadTestSpec {
  /** Which endpoint to drive. */
  endpoint: 'chat' | 'chat-stream' | 'embeddings' | 'speech';
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

export interface LoadTestProgress {
  id: string;
  done: number;
  total: number | null;
  elapsedMs: number;
  durationMs: number | null;
  requestsPerSecond: number;
}
