// The unit metrics and alerts consume: one finished request, as the record stage summarises it,
// plus what only the cache and batching stages know.
import type { RequestSummary } from '../../shared/events.ts';
import type { CacheResult } from '../../shared/targets.ts';

export interface RecordedRequest extends RequestSummary {
  /** Stable hash of the canonical prompt (the cache key will do); feeds the runaway-loop detector. */
  promptFingerprint?: string;
  /** What the upstream call would have cost had the cache not answered (USD). */
  savedUsd?: number;
  /** The request went upstream inside a micro-batch. */
  batched?: boolean;
}

/** Failures of the gateway or its upstreams: 5xx and 429. A client's own 4xx is not an error here. */
export function isFailure(status: number): boolean {
  return status >= 500 || status === 429;
}

export function isCacheHit(cache: CacheResult): boolean {
  return cache === 'hit-memory' || cache === 'hit-disk' || cache === 'hit-semantic' || cache === 'stale';
}
