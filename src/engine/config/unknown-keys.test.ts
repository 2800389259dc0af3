import { describe, expect, it } from 'vitest';
import { closestKey } from './unknown-keys.ts';

describe('closestKey', () => {
  const cache = ['enabled', 'memoryMaxBytes', 'diskMaxBytes', 'ttlSeconds', 'mode', 'serveStale', 'staleMaxSeconds', 'perModel'];

  it.each([
    ['ttlSecond', 'ttlSeconds'],
    ['ttlseconds', 'ttlSeconds'],
    ['ttl_seconds', 'ttlSeconds'],
    ['ttlSecodns', 'ttlSeconds'],
    ['serve_stale', 'serveStale'],
    ['enable', 'enabled'],
    ['mdoe', 'mode'],
  ])('suggests the known key a typo of %s was meant to be', (typo, meant) => {
    expect(closestKey(typo, cache)).toBe(meant);
  });

  it.each(['ttl', 'colour', 'memory', 'x'])('suggests nothing for %s, which is no near miss', (key) => {
    expect(closestKey(key, cache)).toBeUndefined();
  });
});
