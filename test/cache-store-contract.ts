// The one contract every cache tier honours. Run by test/cache-stores.test.ts for memory and SQLite.
import { describe, it, expect, afterEach } from 'vitest';
import { ManualClock } from '../src/engine/clock.ts';
import type { CacheEntry, CacheStore } from '../src/engine/cache/cache-entry.ts';

export interface StoreHandle {
  store: CacheStore;
  clock: ManualClock;
  /** Close and reopen the same storage (a restart); undefined for tiers that do not persist. */
  reopen?: () => CacheStore;
  cleanup?: () => void;
}

export interface StoreFactoryOptions { maxBytes: number; staleMaxMs: number }
export type StoreFactory = (opts: StoreFactoryOptions) => StoreHandle;

const HOUR = 3600_000;

export function makeEntry(clock: ManualClock, key: string, over: Partial<CacheEntry> = {}): CacheEntry {
  const body = over.body ?? Buffer.from(JSON.stringify({ id: key, choices: [{ message: { content: `answer ${key}` } }] }));
  return {
    key, endpoint: 'chat', provider: 'sim', model: 'm1', namespace: 'default', tenant: 't1',
    createdAt: clock.now(), expiresAt: clock.now() + HOUR, contentType: 'application/json',
    body, size: body.byteLength, hits: 0, lastHitAt: null,
    meta: { requestText: `question about ${key}`, promptTokens: 10, completionTokens: 5, usageEstimated: false, costUsd: 0.001, latencyMs: 200 },
    ...over,
  };
}

export function cacheStoreContract(name: string, factory: StoreFactory): void {
  describe(`${name} honours the cache store contract`, () => {
    let handle: StoreHandle | null = null;
    const open = (opts: Partial<StoreFactoryOptions> = {}) => {
      handle = factory({ maxBytes: 1_000_000, staleMaxMs: 24 * HOUR, ...opts });
      return handle;
    };
    afterEach(() => {
      try { handle?.store.close(); } catch { /* already closed */ }
      handle?.cleanup?.();
      handle = null;
    });

    it('returns the exact bytes that were stored and counts hits and misses', () => {
      const { store, clock } = open();
      const e = makeEntry(clock, 'k1');
      store.set(e);
      expect(store.get('absent', clock.now())).toBeUndefined();
      const got = store.get('k1', clock.now());
      expect(got?.expired).toBe(false);
      expect(got?.body.equals(e.body)).toBe(true);
      expect(got?.meta.requestText).toBe('question about k1');
      const s = store.stats();
      expect(s).toMatchObject({ entries: 1, hits: 1, misses: 1, hitRate: 0.5 });
      expect(s.saved).toEqual({ tokens: 15, latencyMs: 200, costUsd: 0.001 });
    });

    it('keeps binary bodies intact', () => {
      const { store, clock } = open();
      const audio = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37) % 256));
      store.set(makeEntry(clock, 'speech', { endpoint: 'speech', contentType: 'audio/mpeg', body: audio, size: audio.length }));
      store.flush();
      const got = store.get('speech', clock.now());
      expect(got?.contentType).toBe('audio/mpeg');
      expect(got?.body.equals(audio)).toBe(true);
    });

    it('marks entries expired after their TTL, keeps them until the stale limit, then drops them', () => {
      const { store, clock } = open({ staleMaxMs: 2 * HOUR });
      store.set(makeEntry(clock, 'k1'));
      clock.advance(HOUR - 1);
      expect(store.get('k1', clock.now())?.expired).toBe(false);
      clock.advance(2);
      const stale = store.get('k1', clock.now());
      expect(stale?.expired).toBe(true);
      expect(stale?.body.length).toBeGreaterThan(0);
      clock.advance(2 * HOUR);
      expect(store.get('k1', clock.now())).toBeUndefined();
      expect(store.stats()).toMatchObject({ entries: 0, expired: 1, hits: 1, misses: 2 });
    });

    it('evicts the least recently used entries to stay under the byte cap', () => {
      const body = Buffer.alloc(1000, 'x');
      const { store, clock } = open({ maxBytes: 12_000 });
      for (let i = 0; i < 8; i++) { store.set(makeEntry(clock, `k${i}`, { body, size: body.length })); clock.advance(10); }
      store.flush();
      expect(store.get('k0', clock.now())).toBeDefined();
      clock.advance(10);
      for (let i = 8; i < 14; i++) { store.set(makeEntry(clock, `k${i}`, { body, size: body.length })); clock.advance(10); }
      store.flush();
      const s = store.stats();
      expect(s.bytes).toBeLessThanOrEqual(12_000);
      expect(s.evictions).toBeGreaterThan(0);
      expect(store.get('k0', clock.now())).toBeDefined();
      expect(store.get('k1', clock.now())).toBeUndefined();
      expect(store.get('k13', clock.now())).toBeDefined();
    });

    it('takes a new byte cap at once: shrinking drops the least recently used, growing keeps what is there', () => {
      const body = Buffer.alloc(1000, 'x');
      const { store, clock } = open({ maxBytes: 12_000 });
      for (let i = 0; i < 8; i++) { store.set(makeEntry(clock, `k${i}`, { body, size: body.length })); clock.advance(10); }
      store.flush();
      expect(store.get('k0', clock.now())).toBeDefined(); // k0 is now the most recently used
      store.resize(6_000);
      const s = store.stats();
      expect(s.maxBytes).toBe(6_000);
      expect(s.bytes).toBeLessThanOrEqual(6_000);
      expect(s.entries).toBeGreaterThan(0);
      expect(s.evictions).toBeGreaterThan(0);
      expect(store.get('k0', clock.now())).toBeDefined();
      expect(store.get('k7', clock.now())).toBeDefined();
      expect(store.get('k1', clock.now())).toBeUndefined();

      store.resize(100_000);
      const kept = store.stats().entries;
      for (let i = 20; i < 40; i++) store.set(makeEntry(clock, `k${i}`, { body, size: body.length }));
      store.flush();
      expect(store.stats().entries).toBe(kept + 20);
      expect(store.get('k0', clock.now())).toBeDefined();
      expect(() => store.resize(0)).toThrow(RangeError);
    });

    it('replaces an entry stored again under the same key', () => {
      const { store, clock } = open();
      store.set(makeEntry(clock, 'k1', { body: Buffer.from('one'), size: 3 }));
      store.flush();
      store.set(makeEntry(clock, 'k1', { body: Buffer.from('two'), size: 3 }));
      store.flush();
      expect(store.get('k1', clock.now())?.body.toString()).toBe('two');
      expect(store.stats().entries).toBe(1);
    });

    it('deletes one entry, and clears by model, namespace and age with counts', () => {
      const { store, clock } = open();
      store.set(makeEntry(clock, 'a', { model: 'm1' }));
      store.set(makeEntry(clock, 'b', { model: 'm2' }));
      clock.advance(HOUR / 2);
      store.set(makeEntry(clock, 'c', { model: 'm2', namespace: 'team' }));
      store.set(makeEntry(clock, 'd', { model: 'm1', namespace: 'team' }));
      expect(store.delete('a')).toBe(true);
      expect(store.delete('a')).toBe(false);
      expect(store.clear({ namespace: 'team', model: 'm2' })).toBe(1);
      expect(store.clear({ createdBefore: clock.now() - 1000 })).toBe(1);
      expect(store.peek('b')).toBeUndefined();
      expect(store.peek('d')).toBeDefined();
      expect(store.clear()).toBe(1);
      expect(store.stats().entries).toBe(0);
    });

    it('lists entries newest first with filters, free text and pages, without bodies', () => {
      const { store, clock } = open();
      for (let i = 0; i < 7; i++) {
        store.set(makeEntry(clock, `k${i}`, { model: i % 2 ? 'odd' : 'even', meta: { requestText: i === 3 ? 'Tell me about Penguins' : `q${i}`, promptTokens: 1, completionTokens: 1, usageEstimated: false, costUsd: 0, latencyMs: 1 } }));
        clock.advance(1000);
      }
      const all = store.list({ limit: 3 });
      expect(all.total).toBe(7);
      expect(all.items.map((i) => i.key)).toEqual(['k6', 'k5', 'k4']);
      expect('body' in all.items[0]).toBe(false);
      expect(store.list({ offset: 6, limit: 3 }).items.map((i) => i.key)).toEqual(['k0']);
      expect(store.list({ model: 'odd' }).total).toBe(3);
      expect(store.list({ text: 'penguin' }).items.map((i) => i.key)).toEqual(['k3']);
      expect(store.list({ text: '%' }).total).toBe(0);
      expect(store.list({ createdAfter: clock.now() - 2500 }).items.map((i) => i.key)).toEqual(['k6', 'k5']);
      expect(() => store.list({ limit: 0 })).toThrow(RangeError);
    });

    it('peek shows an entry without counting a hit', () => {
      const { store, clock } = open();
      store.set(makeEntry(clock, 'k1'));
      expect(store.peek('k1')?.key).toBe('k1');
      expect(store.stats()).toMatchObject({ hits: 0, misses: 0 });
    });

    it('keeps whether an entry’s tokens are estimated, in lookups, the list and across a restart', () => {
      const h = open();
      const estimated = makeEntry(h.clock, 'est');
      h.store.set({ ...estimated, meta: { ...estimated.meta, usageEstimated: true } });
      h.store.set(makeEntry(h.clock, 'real'));
      const flags = (store: CacheStore) => [
        store.get('est', h.clock.now())?.meta.usageEstimated, store.peek('real')?.meta.usageEstimated,
        Object.fromEntries(store.list().items.map((i) => [i.key, i.meta.usageEstimated])),
      ];
      expect(flags(h.store)).toEqual([true, false, { est: true, real: false }]);
      if (!h.reopen) return;
      const again = h.reopen();
      handle = { ...h, store: again };
      expect(flags(again)).toEqual([true, false, { est: true, real: false }]);
    });

    it('keeps entries across a restart when the tier persists', () => {
      const h = open();
      if (!h.reopen) return;
      h.store.set(makeEntry(h.clock, 'k1'));
      h.store.get('k1', h.clock.now());
      const again = h.reopen();
      handle = { ...h, store: again };
      const got = again.get('k1', h.clock.now());
      expect(got?.body.toString()).toContain('answer k1');
      expect(got?.hits).toBe(2);
    });
  });
}
