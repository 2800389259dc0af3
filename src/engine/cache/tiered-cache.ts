// Two tiers behind one lookup: memory first, then disk; a fresh disk hit is promoted to memory.
// Writes go to memory at once and to disk through the disk store's write-behind queue.
import type { Clock } from '../clock.ts';
import {
  type CacheEntry, type CacheEntrySummary, type CacheFilter, type CacheListPage, type CacheListQuery, type CacheLookup, type CacheStore, type CacheStoreStats,
} from './cache-entry.ts';

export interface TieredCacheOptions {
  memory: CacheStore;
  /** Optional: without it the cache is memory only. */
  disk?: CacheStore;
  clock: Clock;
}

export interface TieredLookup {
  entry: CacheLookup;
  tier: 'memory' | 'disk';
  /** Seconds since the entry was stored (for the `age` header). */
  ageSeconds: number;
}

export interface TieredStats {
  memory: CacheStoreStats;
  disk: CacheStoreStats | null;
  /** Hits on either tier over all lookups. */
  hits: number;
  misses: number;
  hitRate: number;
  saved: { tokens: number; latencyMs: number; costUsd: number };
}

export interface ClearCounts { memory: number; disk: number }

/** Admin filters phrased as ages; converted with the clock. */
export interface AgeFilter extends Omit<CacheFilter, 'createdBefore' | 'createdAfter'> {
  /** Entries at least this old, ms. */
  olderThanMs?: number;
  /** Entries at most this old, ms. */
  newerThanMs?: number;
}

export class TieredCache {
  #memory: CacheStore;
  #disk: CacheStore | null;
  #clock: Clock;
  #hits = 0;
  #misses = 0;

  constructor(opts: TieredCacheOptions) {
    if (!opts?.memory || opts.memory.tier !== 'memory') throw new TypeError('TieredCache: memory must be a memory-tier CacheStore');
    if (opts.disk && opts.disk.tier !== 'disk') throw new TypeError('TieredCache: disk must be a disk-tier CacheStore');
    if (!opts.clock) throw new TypeError('TieredCache: clock is required');
    this.#memory = opts.memory;
    this.#disk = opts.disk ?? null;
    this.#clock = opts.clock;
  }

  /** Fresh entry from memory, else from disk (promoted); a lookup counted as a hit or a miss. */
  get(key: string): TieredLookup | undefined {
    const now = this.#clock.now();
    const mem = this.#memory.get(key, now);
    if (mem && !mem.expired) {
      this.#disk?.noteHit?.(key, now);
      return this.#found(mem, 'memory', now);
    }
    const disk = this.#disk?.get(key, now);
    if (disk && !disk.expired) {
      this.#memory.set(disk);
      return this.#found(disk, 'disk', now);
    }
    this.#misses++;
    return undefined;
  }

  /**
   * The entry to serve when the upstream failed, expired or not (the caller applies its stale limit),
   * from either tier. Not a lookup of its own: the request's miss was counted already.
   */
  stale(key: string): TieredLookup | undefined {
    const now = this.#clock.now();
    const mem = this.#memory.peek(key);
    const entry = mem ?? this.#disk?.peek(key);
    if (!entry) return undefined;
    return { entry: { ...entry, expired: now > entry.expiresAt }, tier: mem ? 'memory' : 'disk', ageSeconds: ageOf(entry, now) };
  }

  #found(entry: CacheLookup, tier: 'memory' | 'disk', now: number): TieredLookup {
    this.#hits++;
    return { entry, tier, ageSeconds: ageOf(entry, now) };
  }

  set(entry: CacheEntry): void {
    this.#memory.set(entry);
    this.#disk?.set(entry);
  }

  /** One entry with its body, without counting a hit. */
  detail(key: string): CacheEntry | undefined {
    return this.#memory.peek(key) ?? this.#disk?.peek(key);
  }

  delete(key: string): boolean {
    const a = this.#memory.delete(key);
    const b = this.#disk?.delete(key) ?? false;
    return a || b;
  }

  clear(filter: AgeFilter = {}): ClearCounts {
    const f = this.#toFilter(filter);
    return { memory: this.#memory.clear(f), disk: this.#disk?.clear(f) ?? 0 };
  }

  /** The admin browser. The disk tier holds every entry when present; otherwise memory is listed. */
  list(query: AgeFilter & Pick<CacheListQuery, 'text' | 'offset' | 'limit'> = {}): CacheListPage {
    const { text, offset, limit, ...rest } = query;
    const q: CacheListQuery = { ...this.#toFilter(rest), text, offset, limit };
    const page = (this.#disk ?? this.#memory).list(q);
    return { total: page.total, items: page.items.map((i) => this.#withLiveCounts(i)) };
  }

  /** Hit counts in memory are ahead of the disk row until the next promotion/flush; show the larger. */
  #withLiveCounts(item: CacheEntrySummary): CacheEntrySummary {
    if (!this.#disk) return item;
    const m = this.#memory.peek(item.key);
    return m && m.hits > item.hits ? { ...item, hits: m.hits, lastHitAt: m.lastHitAt } : item;
  }

  #toFilter(f: AgeFilter): CacheFilter {
    const { olderThanMs, newerThanMs, ...rest } = f;
    const now = this.#clock.now();
    const out: CacheFilter = { ...rest };
    if (olderThanMs !== undefined) out.createdBefore = now - olderThanMs;
    if (newerThanMs !== undefined) out.createdAfter = now - newerThanMs;
    return out;
  }

  stats(): TieredStats {
    const memory = this.#memory.stats();
    const disk = this.#disk?.stats() ?? null;
    const add = (a: number, b: number | undefined) => a + (b ?? 0);
    return {
      memory, disk,
      hits: this.#hits, misses: this.#misses,
      hitRate: this.#hits + this.#misses === 0 ? 0 : this.#hits / (this.#hits + this.#misses),
      saved: {
        tokens: add(memory.saved.tokens, disk?.saved.tokens),
        latencyMs: add(memory.saved.latencyMs, disk?.saved.latencyMs),
        costUsd: add(memory.saved.costUsd, disk?.saved.costUsd),
      },
    };
  }

  flush(): void { this.#disk?.flush(); }

  /**
   * New byte caps, applied now. The memory tier always follows; the disk tier follows while it is
   * open and the new cap is not 0 (opening or closing the disk tier takes a restart). Says whether the disk followed.
   */
  resize(memoryMaxBytes: number, diskMaxBytes: number): { disk: boolean } {
    this.#memory.resize(memoryMaxBytes);
    if (!this.#disk || diskMaxBytes <= 0) return { disk: false };
    this.#disk.resize(diskMaxBytes);
    return { disk: true };
  }

  close(): void {
    this.#memory.close();
    this.#disk?.close();
  }
}

function ageOf(entry: CacheEntry, now: number): number {
  return Math.max(0, Math.floor((now - entry.createdAt) / 1000));
}

