import { describe, expect, it } from 'vitest';
import type { EngineInfo } from '../../../shared/admin/core-routes.ts';
import { createConnectionStore } from './connection-store.ts';
import { createLoadTestsStore } from './loadtests-store.ts';
import { createPrefsStore, LANGUAGE_KEY } from './prefs-store.ts';
import { createRequestsStore, keepNewest } from './requests-store.ts';
import { createToastsStore, MAX_TOASTS } from './toasts-store.ts';
import { req } from './request-fixture.ts';

describe('requests store', () => {
  it('stays bounded, newest first, and merges a loaded page without duplicates', () => {
    const s = createRequestsStore(4);
    s.getState().add(req('b', 20));
    s.getState().add(req('b', 20));
    s.getState().merge([req('a', 10), req('b', 20), req('c', 30), req('d', 5), req('e', 1)]);
    expect(s.getState().items.map((r) => r.id)).toEqual(['c', 'b', 'a', 'd']);
    s.getState().add(req('f', 40));
    expect(s.getState().items.map((r) => r.id)).toEqual(['f', 'c', 'b', 'a']);
    expect(() => createRequestsStore(0)).toThrow(/capacity/);
  });

  it('keeps or drops requests received in the same millisecond together', () => {
    // the log orders those by when each was logged: keeping only some could hide one from "load older"
    const s = createRequestsStore(3);
    s.getState().merge([req('a', 10), req('b', 10), req('c', 20), req('d', 30)]);
    expect(s.getState().items.map((r) => r.id)).toEqual(['d', 'c']);
    expect(keepNewest([req('a', 3), req('b', 2), req('c', 1)], 2).map((r) => r.id)).toEqual(['a', 'b']);
  });
});

describe('prefs store', () => {
  it('follows the system language first, then a saved choice, and persists changes', () => {
    const mem = new Map<string, string>();
    const storage = { getItem: (k: string) => mem.get(k) ?? null, setItem: (k: string, v: string) => { mem.set(k, v); } };
    expect(createPrefsStore(storage, ['zh-TW', 'en']).getState().language).toBe('zh-CN');
    expect(createPrefsStore(storage, ['fr-FR']).getState().language).toBe('en');
    const p = createPrefsStore(storage, ['en-GB']);
    p.getState().setLanguage('zh-CN');
    p.getState().setTheme('dark');
    expect(mem.get(LANGUAGE_KEY)).toBe('zh-CN');
    const again = createPrefsStore(storage, ['en-GB']);
    expect(again.getState().language).toBe('zh-CN');
    expect(again.getState().theme).toBe('dark');
  });

  it('keeps working when storage throws', () => {
    const storage = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('denied'); } };
    const p = createPrefsStore(storage, ['en']);
    p.getState().setTheme('light');
    expect(p.getState().theme).toBe('light');
  });
});

describe('load tests store', () => {
  it('compares at most two runs, dropping the oldest pick', () => {
    const s = createLoadTestsStore();
    s.getState().toggleCompare('a');
    s.getState().toggleCompare('b');
    s.getState().toggleCompare('c');
    expect(s.getState().compare).toEqual(['b', 'c']);
    s.getState().toggleCompare('b');
    expect(s.getState().compare).toEqual(['c']);
  });
});

describe('toasts store', () => {
  it('keeps only the latest few', () => {
    const s = createToastsStore();
    for (let i = 0; i < MAX_TOASTS + 3; i++) s.getState().push('info', `m${i}`);
    expect(s.getState().toasts).toHaveLength(MAX_TOASTS);
    expect(s.getState().toasts.at(-1)?.message).toBe(`m${MAX_TOASTS + 2}`);
  });
});

describe('connection store', () => {
  const info = { paused: false } as unknown as EngineInfo;

  it('does not keep showing the last known state while the engine cannot be reached', () => {
    const s = createConnectionStore();
    s.getState().setInfo(info);
    expect(s.getState().engine).toBe('running');
    s.getState().setEngine('stopping');
    s.getState().setStream({ state: 'retrying', attempt: 1, retryAt: 1, error: 'HTTP 502' });
    expect(s.getState().engine).toBe('unreachable');
    s.getState().setStream({ state: 'connecting', attempt: 2 });
    expect(s.getState().engine).toBe('unreachable');
    // back: the stream opens and the engine's info says what it is doing
    s.getState().setStream({ state: 'open', since: 2 });
    s.getState().setInfo({ ...info, paused: true });
    expect(s.getState().engine).toBe('paused');
  });

  it('says the engine is up but refused the token, not that it is stopping', () => {
    const s = createConnectionStore();
    s.getState().setInfo(info);
    s.getState().setEngine('stopping');
    s.getState().setStream({ state: 'unauthorized', error: 'The admin token was refused (HTTP 401).' });
    expect(s.getState().engine).toBe('refused');
  });
});
