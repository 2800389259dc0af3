// How long to wait before attempt n: exponential backoff with full jitter, capped; a Retry-After
// from the upstream (seconds or HTTP-date) wins when it is present and not too long.
import { UpstreamHttpError } from '../errors.ts';

export interface BackoffOptions {
  baseDelayMs: number;
  maxDelayMs: number;
  /** Retry-After values longer than this are not waited for (the caller moves on). */
  maxRetryAfterMs: number;
}

export function validateBackoff(o: BackoffOptions): BackoffOptions {
  for (const k of ['baseDelayMs', 'maxDelayMs', 'maxRetryAfterMs'] as const) {
    if (!Number.isFinite(o[k]) || o[k] < 0) throw new RangeError(`backoff.${k} must be a non-negative number, got ${o[k]}`);
  }
  if (o.maxDelayMs < o.baseDelayMs) throw new RangeError(`backoff.maxDelayMs (${o.maxDelayMs}) must be at least baseDelayMs (${o.baseDelayMs})`);
  return o;
}

/** Delay before retry number `retry` (1 = first retry): uniform in [0, min(max, base·2^(retry-1))]. */
export function backoffDelay(retry: number, o: BackoffOptions, random: () => number): number {
  const ceiling = Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.round(ceiling * random());
}

/** Retry-After as milliseconds from `nowMs`: delta-seconds or an HTTP-date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | null {
  if (value == null) return null;
  const v = value.trim();
  if (!v) return null;
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

/**
 * The wait before retrying after `err`, or null when waiting is pointless (Retry-After longer than allowed:
 * better to fall back to another target at once).
 */
export function retryDelay(retry: number, err: unknown, o: BackoffOptions, random: () => number): number | null {
  const ra = err instanceof UpstreamHttpError ? err.retryAfterMs : null;
  if (ra != null) return ra > o.maxRetryAfterMs ? null : ra;
  return backoffDelay(retry, o, random);
}
