import { describe, expect, it } from 'vitest';
import type { ClientLimitsConfig } from '../../shared/scheduling.ts';
import { ManualClock } from '../clock.ts';
import { RateLimitedError } from '../errors.ts';
import { ClientRateLimiter } from './client-rate-limiter.ts';

function make(limits: Partial<ClientLimitsConfig>) {
  const clock = new ManualClock();
  const limiter = new ClientRateLimiter({ clock, limits: { enabled: true, default: {}, rules: [], ...limits } });
  return { clock, limiter };
}

function refusal(fn: () => unknown): RateLimitedError {
  try { fn(); } catch (e) { if (e instanceof RateLimitedError) return e; throw e; }
  throw new Error('expected a RateLimitedError');
}

describe('ClientRateLimiter', () => {
  it('allows the requests per minute, then refuses with 429 and Retry-After for when one comes back', () => {
    const { limiter, clock } = make({ default: { requestsPerMinute: 6 } });
    for (let i = 0; i < 6; i++) limiter.admit('key:a');
    const err = refusal(() => limiter.admit('key:a'));
    expect(err.status).toBe(429);
    expect(err.code).toBe('SLUICE_CLIENT_RATE_LIMITED');
    expect(err.headers['retry-after']).toBe('10');
    clock.advance(9_999);
    expect(() => limiter.admit('key:a')).toThrow(RateLimitedError);
    clock.advance(1);
    expect(() => limiter.admit('key:a')).not.toThrow();
  });

  it('keeps clients apart', () => {
    const { limiter } = make({ default: { requestsPerMinute: 1 } });
    limiter.admit('key:a');
    expect(() => limiter.admit('key:b')).not.toThrow();
    expect(() => limiter.admit('key:a')).toThrow(RateLimitedError);
  });

  it('limits tokens per minute and says when enough tokens are back', () => {
    const { limiter, clock } = make({ default: { tokensPerMinute: 1_200 } });
    limiter.admit('app:x', 1_000);
    const err = refusal(() => limiter.admit('app:x', 500));
    // 300 tokens missing at 20 tokens/s: 15 s.
    expect(err.headers['retry-after']).toBe('15');
    clock.advance(15_000);
    expect(() => limiter.admit('app:x', 500)).not.toThrow();
  });

  it('reads the prompt for its estimate only when a token limit applies', () => {
    let asked = 0;
    const estimate = () => { asked++; return 500; };
    const requestsOnly = make({ default: { requestsPerMinute: 10 } }).limiter;
    requestsOnly.admit('app:x', estimate);
    make({}).limiter.admit('app:x', estimate);
    expect(asked).toBe(0);
    const { limiter } = make({ default: { tokensPerMinute: 1_200 } });
    limiter.admit('app:x', () => 1_000);
    expect(() => limiter.admit('app:x', estimate)).toThrow(RateLimitedError);
    expect(asked).toBe(1);
  });

  it('settles the estimate with the real usage: a refund frees capacity, an overrun costs it', () => {
    const { limiter } = make({ default: { tokensPerMinute: 1_000 } });
    limiter.admit('c', 900).settle(100);
    expect(() => limiter.admit('c', 800)).not.toThrow();
    const { limiter: l2 } = make({ default: { tokensPerMinute: 1_000 } });
    l2.admit('c', 100).settle(900);
    expect(() => l2.admit('c', 200)).toThrow(RateLimitedError);
  });

  it('takes nothing from either bucket when refusing', () => {
    const { limiter } = make({ default: { requestsPerMinute: 2, tokensPerMinute: 100 } });
    limiter.admit('c', 90);
    expect(() => limiter.admit('c', 50)).toThrow(RateLimitedError);
    expect(() => limiter.admit('c', 10)).not.toThrow();
  });

  it('admits a request larger than the whole token budget once the bucket is full, never forever refusing it', () => {
    const { limiter, clock } = make({ default: { tokensPerMinute: 100 } });
    expect(() => limiter.admit('c', 500)).not.toThrow();
    expect(() => limiter.admit('c', 500)).toThrow(RateLimitedError);
    clock.advance(5 * 60_000);
    expect(() => limiter.admit('c', 500)).not.toThrow();
  });

  it('applies the first matching rule (globs allowed), else the default; unlimited when none', () => {
    const { limiter } = make({ default: {}, rules: [{ client: 'app:batch-*', requestsPerMinute: 1 }, { client: 'key:vip', requestsPerMinute: 100 }] });
    limiter.admit('app:batch-nightly');
    expect(() => limiter.admit('app:batch-nightly')).toThrow(RateLimitedError);
    for (let i = 0; i < 50; i++) limiter.admit('app:other');
    expect(limiter.limitFor('key:vip')).toMatchObject({ requestsPerMinute: 100 });
  });

  it('does nothing when disabled', () => {
    const { limiter } = make({ enabled: false, default: { requestsPerMinute: 1 } });
    limiter.admit('c');
    expect(() => limiter.admit('c')).not.toThrow();
  });

  it('refuses bad limits precisely', () => {
    expect(() => make({ default: { requestsPerMinute: 0 } })).toThrow(/default\.requestsPerMinute/);
    expect(() => make({ rules: [{ client: '', tokensPerMinute: 5 }] })).toThrow(/rules\[0\]\.client/);
  });
});
