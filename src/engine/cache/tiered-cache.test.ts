import { describe, it, expect } from 'vitest';
import { ManualClock } from '../clock.ts';
import { MemoryStore } from './memory-store.ts';
import { SqliteStore } from './sqlite-store.ts';
import { TieredCache } from './tiered-cache.ts';
import { makeEntry } from '../../../test/cache-store-contract.ts';

function setup() {
  const clock = new ManualClock();
  const memory = new MemoryStore({ maxBytes: 1e6, staleMaxMs: 3600_000 });
  const disk = new SqliteStore({ location: ':memory:', maxBytes: 1e6, clock, staleMaxMs: 3600_000 });
  return { clock, memory, disk, cache: new TieredCache({ memory, disk, clock }) };
}

describe('TieredCache', () => {
  it('answers from memory first, then from disk after memory lost it, promoting the entry', () => {
    const { clock, memory, cache } = setup();
    cache.set(makeEntry(clock, 'k1'));
    clock.advance(5000);
    expect(cache.get('k1')).toMatchObject({ tier: 'memory', ageSeconds: 5 });
    memory.delete('k1'); // as after a restart
    const fromDisk = cache.get('k1');
    expect(fromDisk?.tier).toBe('disk');
    expect(fromDisk?.entry.body.toString()).toContain('answer k1');
    expect(cache.get('k1')?.tier).toBe('memory');
    const s = cache.stats();
    expect(s).toMatchObject({ hits: 3, misses: 0 });
    expect(s.memory.hits).toBe(2);
    expect(s.disk?.hits).toBe(1);
    expect(s.saved.tokens).toBe(45);
    expect(s.saved.costUsd).toBeCloseTo(0.003);
  });

  it('keeps the hits memory served on the disk entry: they outlive a restart, and the disk hit rate stays its own', () => {
    const { clock, memory, disk, cache } = setup();
    cache.set(makeEntry(clock, 'k1'));
    disk.flush();
    for (let i = 0; i < 3; i++) { clock.advance(1000); expect(cache.get('k1')?.tier).toBe('memory'); }
    disk.flush();
    expect(disk.peek('k1')).toMatchObject({ hits: 3, lastHitAt: clock.now() });
    expect(disk.stats().hits).toBe(0);
    memory.delete('k1'); // as after a restart
    expect(cache.get('k1')?.entry.hits).toBe(4);
    // a hit on an entry not yet written counts on the queued write
    cache.set(makeEntry(clock, 'k2'));
    cache.get('k2');
    disk.flush();
    expect(disk.peek('k2')?.hits).toBe(1);
  });

  it('returns an expired entry only when asked for a stale one, which is no lookup of its own', () => {
    const { clock, cache } = setup();
    cache.set(makeEntry(clock, 'k1'));
    clock.advance(3600_000 + 1);
    expect(cache.get('k1')).toBeUndefined();
    const stale = cache.stale('k1');
    expect(stale?.entry.expired).toBe(true);
    expect(cache.stats()).toMatchObject({ hits: 0, misses: 1 });
    expect(cache.stats().memory.misses).toBe(1);
  });

  it('clears both tiers by age and lists from disk', () => {
    const { clock, cache } = setup();
    cache.set(makeEntry(clock, 'old'));
    clock.advance(60_000);
    cache.set(makeEntry(clock, 'new'));
    expect(cache.list({ olderThanMs: 30_000 }).items.map((i) => i.key)).toEqual(['old']);
    expect(cache.clear({ olderThanMs: 30_000 })).toEqual({ memory: 1, disk: 1 });
    expect(cache.get('old')).toBeUndefined();
    expect(cache.detail('new')?.body.length).toBeGreaterThan(0);
    expect(cache.delete('new')).toBe(true);
    expect(cache.list().total).toBe(0);
    cache.close();
  });
});
