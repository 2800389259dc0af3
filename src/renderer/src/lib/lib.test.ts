import { describe, expect, it } from 'vitest';
import { en } from '../i18n/en.ts';
import { pickLanguage } from '../i18n/language.ts';
import { DICTIONARIES, interpolate, translator } from '../i18n/translate.ts';
import { zhCN } from '../i18n/zh-CN.ts';
import { resolveSession, TOKEN_KEY } from '../api/session-token.ts';
import { req } from '../state/request-fixture.ts';
import { toLoadTestSpec, DEFAULT_LOADTEST_FORM, withEndpoint } from './loadtest-form.ts';
import { EMPTY_FILTER, matchesFilter } from './request-filter.ts';
import { isError, isHit } from './request-stats.ts';

describe('request stats', () => {
  it('counts every cache answer as a hit, and failures without a status as errors', () => {
    expect(['hit-memory', 'hit-disk', 'hit-semantic', 'coalesced', 'stale'].every(isHit)).toBe(true);
    expect(['miss', 'bypass', 'refresh'].some(isHit)).toBe(false);
    expect(isError({ status: 0 })).toBe(true);
    expect(isError({ status: 429 })).toBe(true);
    expect(isError({ status: 200 })).toBe(false);
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
      const ph = (s: string) => [...new Set([...s.matchAll(/\{(\w+)(?:\}|, plural,)/g)].map((m) => m[1]))].sort();
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
    expect(s).toEqual({ baseUrl: 'http://127.0.0.1:8640', token: 'abc', appVersion: null, fromPreload: false });
    expect(replaced).toBe('/ui/');
    expect(mem.get(TOKEN_KEY)).toBe('abc');
    const again = resolveSession({ bridge: undefined, location: { origin: 'http://h', hash: '#/requests', pathname: '/ui/', search: '' }, session: { getItem: (k) => mem.get(k) ?? null, setItem: () => {} }, replaceUrl: () => { throw new Error('no'); } });
    expect(again.token).toBe('abc');
  });
  it('prefers the Electron preload bridge', () => {
    const s = resolveSession({ bridge: { adminUrl: 'http://127.0.0.1:9/', adminToken: 'pre', appVersion: '1.0' }, location: { origin: 'http://x', hash: '#token=frag', pathname: '/', search: '' }, session: null, replaceUrl: () => {} });
    expect(s).toEqual({ baseUrl: 'http://127.0.0.1:9', token: 'pre', appVersion: '1.0', fromPreload: true });
  });
});

describe('load test form: endpoint', () => {
  it("moves a simulator model to the simulator's model for the new endpoint, and leaves other models alone", () => {
    const embeddings = withEndpoint(DEFAULT_LOADTEST_FORM, 'embeddings');
    expect(embeddings).toMatchObject({ endpoint: 'embeddings', model: 'sim-embed' });
    expect(withEndpoint(embeddings, 'speech').model).toBe('sim-tts');
    expect(withEndpoint(embeddings, 'chat-stream').model).toBe('sim-fast');
    expect(withEndpoint({ ...DEFAULT_LOADTEST_FORM, model: 'sim-reasoner' }, 'chat-stream').model).toBe('sim-reasoner');
    expect(withEndpoint({ ...DEFAULT_LOADTEST_FORM, model: 'openai/gpt-4o-mini' }, 'embeddings').model).toBe('openai/gpt-4o-mini');
  });
});
