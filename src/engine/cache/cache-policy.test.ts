import { describe, expect, it } from 'vitest';
import { defaultCache } from '../config/defaults.ts';
import { globMatches, resolveCachePolicy } from './cache-policy.ts';

describe('globMatches', () => {
  it('matches * and ? and treats the rest literally', () => {
    expect(globMatches('gpt-4*', 'gpt-4o-mini')).toBe(true);
    expect(globMatches('gpt-4*', 'gpt-3.5')).toBe(false);
    expect(globMatches('o?-mini', 'o3-mini')).toBe(true);
    expect(globMatches('a.b', 'axb')).toBe(false);
    expect(globMatches('*', 'anything/at all')).toBe(true);
  });
});

describe('resolveCachePolicy', () => {
  const cfg = { ...defaultCache(), ttlSeconds: 100, perModel: [{ model: 'live-*', enabled: false }, { model: 'gpt-*', ttlSeconds: 5, mode: 'deterministic' as const }] };

  it('takes the config defaults when nothing overrides them', () => {
    expect(resolveCachePolicy(cfg, 'claude', null)).toEqual({ enabled: true, ttlSeconds: 100, mode: 'all' });
  });

  it('applies the first matching per-model entry', () => {
    expect(resolveCachePolicy(cfg, 'live-news', null).enabled).toBe(false);
    expect(resolveCachePolicy(cfg, 'gpt-4o', null)).toEqual({ enabled: true, ttlSeconds: 5, mode: 'deterministic' });
  });

  it('lets the routing rule override the model, and the request TTL override both', () => {
    expect(resolveCachePolicy(cfg, 'gpt-4o', { ttlSeconds: 50, mode: 'all' })).toEqual({ enabled: true, ttlSeconds: 50, mode: 'all' });
    expect(resolveCachePolicy(cfg, 'gpt-4o', { ttlSeconds: 50 }, 7).ttlSeconds).toBe(7);
  });

  it('never turns caching on when the config turns it off', () => {
    expect(resolveCachePolicy({ ...cfg, enabled: false }, 'x', { enabled: true }).enabled).toBe(false);
    expect(resolveCachePolicy(cfg, 'x', { enabled: false }).enabled).toBe(false);
  });
});
