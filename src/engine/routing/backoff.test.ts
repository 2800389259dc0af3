import { describe, expect, it } from 'vitest';
import { UpstreamHttpError, UpstreamTimeoutError } from '../errors.ts';
import { backoffDelay, parseRetryAfter, retryDelay, validateBackoff } from './backoff.ts';

const o = { baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 5_000 };

describe('backoff', () => {
  it('doubles the ceiling per retry, capped, with full jitter', () => {
    expect(backoffDelay(1, o, () => 0.999)).toBe(100);
    expect(backoffDelay(2, o, () => 0.999)).toBe(200);
    expect(backoffDelay(3, o, () => 0.5)).toBe(200);
    expect(backoffDelay(10, o, () => 0.999)).toBe(999);
    expect(backoffDelay(3, o, () => 0)).toBe(0);
  });

  it('parses Retry-After as seconds or an HTTP-date', () => {
    const now = Date.UTC(2026, 0, 1, 12, 0, 0);
    expect(parseRetryAfter('3', now)).toBe(3_000);
    expect(parseRetryAfter('1.5', now)).toBe(1_500);
    expect(parseRetryAfter('Thu, 01 Jan 2026 12:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(undefined, now)).toBeNull();
  });

  it('honours the upstream Retry-After, or gives up waiting when it is too long', () => {
    expect(retryDelay(1, new UpstreamHttpError('p', 429, '{}', { retryAfterMs: 2_000 }), o, () => 0)).toBe(2_000);
    expect(retryDelay(1, new UpstreamHttpError('p', 429, '{}', { retryAfterMs: 60_000 }), o, () => 0)).toBeNull();
    expect(retryDelay(2, new UpstreamTimeoutError('p', 'headers', 10), o, () => 0.999)).toBe(200);
  });

  it('refuses nonsense options', () => {
    expect(() => validateBackoff({ ...o, maxDelayMs: 10 })).toThrow(/maxDelayMs/);
    expect(() => validateBackoff({ ...o, baseDelayMs: -1 })).toThrow(/baseDelayMs/);
  });
});
