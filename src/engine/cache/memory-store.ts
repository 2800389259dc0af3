// The memory tier: lru-cache bounded in accounted bytes. Freshness is judged against the `now`
// the caller passes (the injected clock), so TTLs are testable; expired entries stay until the
// stale limit or until the byte cap pushes them out.
import { LRUCache } from 'lru-cache';
import {
  accountedBytes, addSavings, emptySavings, entryLimit, hitRate, matchesFilter, pageBounds, summarise,
  type CacheEntry, type CacheFilter, type CacheListPage, type CacheListQuery, type CacheLookup, type CacheStore, type CacheStoreStats,
} from './cache-entry.ts';

export interface MemoryStoreOptions {
  /** Cap on accounted bytes (bodies plus per-entry overhead). */
  maxBytes: number;
  /** How long past expiresAt an entry is kept for stale serving, ms (default 7 days). */
  staleMaxMs?: number;
  /** Largest single entry accepted, bytes (default maxBytes / 4, at least 1). Bigger entries are not kept. */
  maxEntryBytes?: number;
}

export class MemoryStore implements CacheStore {
  readonly tier = 'memory' as const;
  #lru: LRUCache<string, CacheEntry>;
  #maxBytes: number;
  #staleMaxMs: number;
  #maxEntryBytes: number;
  /** The entry limit the store was given, if any: a new cap keeps it (within the cap), else a quarter of the cap. */
  #givenEntryLimit: number | undefined;
  #hits = 0;
  #misses = 0;
  #evictions = 0;
  #expired = 0;
  #saved = emptySavings();

  constructor(opts: MemoryStoreOptions) {
    if (!opts || !Number.isInteger(opts.maxBytes) || opts.maxBytes <= 0) {
      throw new RangeError(`MemoryStore: maxBytes must be a positive integer, got ${opts?.maxBytes}`);
    }
    const staleMaxMs = opts.staleMaxMs ?? 7 * 24 * 3600_000;
    if (!(staleMaxMs >= 0)) throw new RangeError(`MemoryStore: staleMaxMs must be >= 0, got ${staleMaxMs}`);
    const maxEntryBytes = opts.maxEntryBytes ?? entryLimit(opts.maxBytes);
    if (!(maxEntryBytes > 0) || maxEntryBytes > opts.maxBytes) {
      throw new RangeError(`MemoryStore: maxEntryBytes must be in 1..maxBytes, got ${maxEntryBytes}`);
    }
    this.#maxBytes = opts.maxBytes;
    this.#staleMaxMs = staleMaxMs;
    this.#maxEntryBytes = maxEntryBytes;
    this.#givenEntryLimit = opts.maxEntryBytes;
    this.#lru = this.#newLru();
  }

  #newLru(): LRUCache<string, CacheEntry> {
    return new LRUCache<string, CacheEntry>({
      maxSize: this.#maxBytes,
      maxEntrySize: this.#maxEntryBytes,
      sizeCalculation: (e) => accountedBytes(e),
      dispose: (_v, _k, reason) => { if (reason === 'evict') this.#evictions++; },
    });
  }

  /**
   * lru-cache fixes its cap at construction: a new one is filled from the old, least recently used
   * first, so the most recent entries are the ones kept and keep their order. Entries that no longer
   * fit (the cap, or the entry limit of a quarter of it) count as evictions.
   */
  resize(maxBytes: number): void {
    if (!Number.isInteger(maxBytes) || maxBytes <= 0) throw new RangeError(`MemoryStore: maxBytes must be a positive integer, got ${maxBytes}`);
    if (maxBytes === this.#maxBytes) return;
    const old = this.#lru;
    this.#maxBytes = maxBytes;
    this.#maxEntryBytes = entryLimit(maxBytes, this.#givenEntryLimit);
    this.#lru = this.#newLru();
    const kept = [...old.entries()].reverse(); // lru-cache iterates most recent first
    for (const [key, entry] of kept) {
      if (accountedBytes(entry) > this.#maxEntryBytes) { this.#evictions++; continue; }
      this.#lru.set(key, entry);
    }
  }

  get(key: string, now: number): CacheLookup | undefined {
    const entry = this.#lru.get(key);
    if (!entry) { this.#misses++; return undefined; }
    if (now > entry.expiresAt + this.#staleMaxMs) {
      this.#lru.delete(key);
      this.#expired++;
      this.#misses++;
      return undefined;
    }
    const expired = now > entry.expiresAt;
    if (expired) {
      this.#misses++;
    } else {
      this.#hits++;
      entry.hits++;
      entry.lastHitAt = now;
      addSavings(this.#saved, entry.meta);
    }
    return { ...entry, meta: { ...entry.meta }, expired };
  }

  peek(key: string): CacheEntry | undefined {
    const e = this.#lru.peek(key);
    return e ? { ...e, meta: { ...e.meta } } : undefined;
  }

  set(entry: CacheEntry): void {
    if (accountedBytes(entry) > this.#maxEntryBytes) { this.#lru.delete(entry.key); return; }
    this.#lru.set(entry.key, { ...entry, meta: { ...entry.meta } });
  }

  delete(key: string): boolean {
    return this.#lru.delete(key);
  }

  clear(filter: CacheFilter = {}): number {
    let n = 0;
    for (const [key, e] of [...this.#lru.entries()]) {
      if (matchesFilter(e, filter)) { this.#lru.delete(key); n++; }
    }
    return n;
  }

  list(query: CacheListQuery = {}): CacheListPage {
    const { offset, limit } = pageBounds(query);
    const text = query.text?.toLowerCase();
    const matching: CacheEntry[] = [];
    for (const e of this.#lru.values()) {
      if (!matchesFilter(e, query)) continue;
      if (text && !e.meta.requestText.toLowerCase().includes(text)) continue;
      matching.push(e);
    }
    matching.sort((a, b) => b.createdAt - a.createdAt || (a.key < b.key ? -1 : 1));
    return { total: matching.length, items: matching.slice(offset, offset + limit).map(summarise) };
  }

  stats(): CacheStoreStats {
    return {
      tier: 'memory',
      entries: this.#lru.size,
      bytes: this.#lru.calculatedSize,
      maxBytes: this.#maxBytes,
      hits: this.#hits,
      misses: this.#misses,
      hitRate: hitRate(this.#hits, this.#misses),
      evictions: this.#evictions,
      expired: this.#expired,
      corrupt: 0,
      saved: { ...this.#saved },
    };
  }

  flush(): void {}

  close(): void {
    this.#lru.clear();
  }
}
