import { describe, expect, it } from 'vitest';
import { en } from '../i18n/en.ts';
import { pickLanguage } from '../i18n/language.ts';
import { DICTIONARIES, interpolate, translator } from '../i18n/translate.ts';
import { zhCN } from '../i18n/zh-CN.ts';
import { resolveSession, TOKEN_KEY } from '../api/session-token.ts';
import { req } from '../state/request-fixture.ts';
import { toLoadTestSpec, DEFAULT_LOADTEST_FORM } from './loadtest-form.ts';
import { EMPTY_FILTER, matchesFilter } from './request-filter.ts';
import { percentile, summarize, timeSeries } from './request-stats.ts';

describe('request stats', () => {
  const items = [
    req('a', 1_000, { latencyMs: 100, cache: 'miss' }),
    req('b', 2_000, { latencyMs: 300, cache: 'hit-memory' }),
    req('c', 3_000, { latencyMs: 200, status: 502, cache: 'bypass' }),
    req('old', -100_000, { latencyMs: 9_999 }),
  ];
  it('summarises the window: rate, percentiles, error and hit rates', () => {
    const s = summarize(items, 3_000, 60_000);
    expect(s.count).toBe(3);
    expect(s.perMinute).toBe(3);
    expect(s.p50Ms).toBe(200);
    expect(s.p95Ms).toBe(300);
    expect(s.errorRate).toBeCloseTo(1 / 3);
    expect(s.hitRate).toBe(0.5);
    expect(summarize([], 0, 60_000).p50Ms).toBeNull();
  });
  it('buckets a time series with empty buckets included', () => {
    const series = timeSeries(items, 3_500, 10_000, 2_000);
    expect(series).toHaveLength(5);
    expect(series.map((p) => p.requests)).toEqual([0, 0, 0, 1, 2]);
    expect(series.at(-1)).toMatchObject({ errors: 1, p50Ms: 200, p95Ms: 300 });
    expect(series[3]).toMatchObject({ errors: 0, p50Ms: 100 });
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
  });
});

describe('request filter', () => {
  it('filters by model, status class and text', () => {
    const ok = req('abc', 1);
    const bad = req('def', 2, { status: 429, model: 'x', errorCode: 'SLUICE_RATE_LIMITED' });
    expect(matchesFilter(ok, { ...EMPTY_FILTER, status: 'error' })).toBe(false);
    expect(matchesFilter(bad, { ...EMPTY_FILTER, status: 'error' })).toBe(true);
    expect(matchesFilter(bad, { ...EMPTY_FILTER, text: 'rate_limited' })).toBe(true);
    expect(matchesFilter(ok, { ...EMPTY_FILTER, model: 'x' })).toBe(false);
    expect(matchesFilter(bad, { ...EMPTY_FILTER, status: '429' })).toBe(true);
  });
});

describe('load test form', () => {
  it('builds a spec from valid input and names the bad field otherwise', () => {
    expect(toLoadTestSpec({ ...DEFAULT_LOADTEST_FORM, prompts: 'a\n\n b ' })).toEqual({
      ok: true, spec: { endpoint: 'chat', model: 'sim-fast', concurrency: 4, repeatRatio: 0.5, totalRequests: 40, prompts: ['a', 'b'] },
    });
    expect(toLoadTestSpec({ ...DEFAULT_LOADTEST_FORM, stopBy: 'duration', duration: '2.5' })).toMatchObject({ ok: true, spec: { durationSeconds: 2.5 } });
    expect(toLoadTestSpec({ ...DEFAULT_LOADTEST_FORM, concurrency: '0' })).toMatchObject({ ok: false, field: 'concurrency' });
    expect(toLoadTestSpec({ ...DEFAULT_LOADTEST_FORM, repeatRatio: '1.5' })).toMatchObject({ ok: false, field: 'repeatRatio' });
    expect(toLoadTestSpec({ ...DEFAULT_LOADTEST_FORM, total: '2.5' })).toMatchObject({ ok: false, field: 'total' });
  });
});

describe('i18n', () => {
  it('has every English key translated, with the same placeholders', () => {
    for (const key of Object.keys(en) as Array<keyof typeof en>) {
      const ph = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(zhCN[key], key).toBeTruthy();
      expect(ph(zhCN[key]), key).toEqual(ph(en[key]));
    }
    expect(Object.keys(DICTIONARIES)).toEqual(['en', 'zh-CN']);
  });
  it('picks the language and fills placeholders', () => {
    expect(pickLanguage(['de', 'zh'])).toBe('zh-CN');
    expect(translator('zh-CN')('nav.settings')).toBe('设置');
    expect(interpolate('{a} of {b} {c}', { a: 1, b: 2 })).toBe('1 of 2 {c}');
  });
});

describe('session', () => {
  it('takes the token from the fragment, stores it and removes it from the address bar', () => {
    const mem = new Map<string, string>();
    let replaced = '';
    const s = resolveSession({
      bridge: undefined,
      location: { origin: 'http://127.0.0.1:8640', hash: '#token=abc', pathname: '/ui/', search: '' },
      session: { getItem: (k) => mem.get(k) ?? null, setItem: (k, v) => { mem.set(k, v); } },
      replaceUrl: (u) => { replaced = u; },
    });
    expect(s).toEqual({ baseUrl: 'http://127.0.0.1:8640', token: 'abc', appVersion: null });
    expect(replaced).toBe('/ui/');
    expect(mem.get(TOKEN_KEY)).toBe('abc');
    const again = resolveSession({ bridge: undefined, location: { origin: 'http://h', hash: '#/requests', pathname: '/ui/', search: '' }, session: { getItem: (k) => mem.get(k) ?? null, setItem: () => {} }, replaceUrl: () => { throw new Error('no'); } });
    expect(again.token).toBe('abc');
  });
  it('prefers the Electron preload bridge', () => {
    const s = resolveSession({ bridge: { adminUrl: 'http://127.0.0.1:9/', adminToken: 'pre', appVersion: '1.0' }, location: { origin: 'http://x', hash: '#token=frag', pathname: '/', search: '' }, session: null, replaceUrl: () => {} });
    expect(s).toEqual({ baseUrl: 'http://127.0.0.1:9', token: 'pre', appVersion: '1.0' });
  });
});
