import { describe, expect, it } from 'vitest';
import { assertSameOrigin, isAllowedHost, tokenMatches } from './guards.ts';

describe('host and origin guards', () => {
  const none = new Set<string>();
  it.each(['localhost:8640', '127.0.0.1:8640', '127.0.0.9', '[::1]:8640', 'app.localhost:3000'])('accepts loopback host %s', (h) => {
    expect(isAllowedHost(h, none)).toBe(true);
  });
  it.each(['evil.com', 'evil.com:8640', '127.0.0.1.evil.com', '10.0.0.1:8640', '', undefined])('refuses %s', (h) => {
    expect(isAllowedHost(h as string, none)).toBe(false);
  });
  it('accepts configured extra names', () => {
    expect(isAllowedHost('sluice.lan:8640', new Set(['sluice.lan']))).toBe(true);
  });
  it('lets same-origin and origin-less requests through, refuses others', () => {
    expect(() => assertSameOrigin({ host: '127.0.0.1:8640' }, none)).not.toThrow();
    expect(() => assertSameOrigin({ host: '127.0.0.1:8640', origin: 'http://127.0.0.1:8640' }, none)).not.toThrow();
    expect(() => assertSameOrigin({ host: '127.0.0.1:8640', origin: 'http://localhost:8640' }, none)).toThrow(/Cross-origin/);
    expect(() => assertSameOrigin({ host: '127.0.0.1:8640', origin: 'null' }, none)).toThrow(/Cross-origin/);
  });
  it('compares tokens exactly', () => {
    expect(tokenMatches('abc', 'abc')).toBe(true);
    expect(tokenMatches('abd', 'abc')).toBe(false);
    expect(tokenMatches('abcd', 'abc')).toBe(false);
    expect(tokenMatches(undefined, 'abc')).toBe(false);
  });
});
