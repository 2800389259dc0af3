// What a cache tier holds, and the one interface both tiers (memory, SQLite) implement.
// Stores are synchronous: lru-cache and better-sqlite3 both answer without awaiting.
import type { Endpoint } from '../../shared/targets.ts';

export interface CacheEntryMeta {
  /** A short, searchable rendering of the request (last user message, speech input…). */
  requestText: string;
  promptTokens: number;
  completionTokens: number;
  /** The tokens are Sluice's estimate: the answer reported no usage (see cache-usage.ts). */
  usageEstimated: boolean;
  /** What the upstream call cost; a hit saves it again. */
  costUsd: number;
  /** How long the upstream took; a hit saves it again. */
  latencyMs: number;
}

export interface CacheEntry {
  /** cacheKey(...) — sha256 hex. */
  key: string;
  endpoint: Endpoint;
  provider: string;
  model: string;
  namespace: string;
  tenant: string;
  /** Wall-clock ms when stored. */
  createdAt: number;
  /** Wall-clock ms after which the entry is stale (still kept until the stale limit or eviction). */
  expiresAt: number;
  contentType: string;
  /** The exact response bytes (JSON completion, embeddings JSON, or audio). */
  body: Buffer;
  /** body.byteLength. */
  size: number;
  hits: number;
  lastHitAt: number | null;
  meta: CacheEntryMeta;
}

/** A lookup result: the entry, and whether it is past `expiresAt` (served only as stale). */
export interface CacheLookup extends CacheEntry {
  expired: boolean;
}

/** The entry without its body, for the admin browser. */
export type CacheEntrySummary = Omit<CacheEntry, 'body'>;

/** Which entries a clear or a list applies to. All fields combine with AND; none means all. */
export interface CacheFilter {
  model?: string;
  namespace?: string;
  endpoint?: Endpoint;
  /** Only entries created strictly before this wall-clock ms (i.e. older than an age). */
  createdBefore?: number;
  /** Only entries created at or after this wall-clock ms. */
  createdAfter?: number;
}

export interface CacheListQuery extends CacheFilter {
  /** Case-insensitive substring of the request text. */
  text?: string;
  offset?: number;
  /** Page size, 1–500 (default 50). */
  limit?: number;
}

export interface CacheListPage {
  /** Entries matching the filter (all pages). */
  total: number;
  /** Newest first. */
  items: CacheEntrySummary[];
}

export interface CacheSavings {
  tokens: number;
  latencyMs: number;
  costUsd: number;
}

export interface CacheStoreStats {
  tier: 'memory' | 'disk';
  entries: number;
  /** Accounted bytes (see accountedBytes) against maxBytes. */
  bytes: number;
  maxBytes: number;
  hits: number;
  misses: number;
  /** hits / (hits + misses), 0 when nothing was asked. */
  hitRate: number;
  /** Entries pushed out by the byte cap. */
  evictions: number;
  /** Entries dropped because they were past the stale limit. */
  expired: number;
  /** Entries dropped because their body failed its checksum (disk tier). */
  corrupt: number;
  /** What fresh hits saved: the upstream tokens, time and cost they did not spend again. */
  saved: CacheSavings;
}

export interface CacheStore {
  readonly tier: 'memory' | 'disk';
  /**
   * The entry for `key`, counting a hit (fresh) or a miss (absent or expired).
   * An expired entry still within the stale limit comes back with `expired: true`;
   * past the stale limit it is dropped and `undefined` is returned.
   */
  get(key: string, now: number): CacheLookup | undefined;
  /** The entry without counting anything (admin detail). */
  peek(key: string): CacheEntry | undefined;
  /**
   * A hit a tier in front of this one served: counted on the entry (its hits, last hit and place in the
   * eviction order), not in this tier's hit rate. The disk tier keeps it, so an entry's hits outlive a
   * restart and an entry hot in memory is not the first the disk tier evicts; memory has no tier in front.
   */
  noteHit?(key: string, now: number): void;
  set(entry: CacheEntry): void;
  delete(key: string): boolean;
  /** Delete every entry matching the filter; returns how many went. */
  clear(filter?: CacheFilter): number;
  list(query?: CacheListQuery): CacheListPage;
  stats(): CacheStoreStats;
  /** Make every accepted write durable / visible (no-op for memory). */
  flush(): void;
  /** A new byte cap, applied now: the least recently used entries go until the tier fits. */
  resize(maxBytes: number): void;
  close(): void;
}

/** Per-entry bookkeeping beyond the body (row header, indexes, lru-cache node), so tiny entries cannot slip past a byte cap. */
export const ENTRY_OVERHEAD_BYTES = 256;

/** A tier's largest entry: the one it was given, within its cap; by default a quarter of the cap (at least 1 byte). */
export function entryLimit(maxBytes: number, given?: number): number {
  return given === undefined ? Math.max(1, Math.floor(maxBytes / 4)) : Math.min(given, maxBytes);
}

/** The bytes an entry counts against a tier's cap. */
export function accountedBytes(entry: Pick<CacheEntry, 'size' | 'key' | 'model' | 'provider' | 'namespace' | 'tenant' | 'contentType' | 'meta'>): number {
  return entry.size + entry.key.length + entry.model.length + entry.provider.length + entry.namespace.length
    + entry.tenant.length + entry.contentType.length + Buffer.byteLength(entry.meta.requestText) + ENTRY_OVERHEAD_BYTES;
}

export function summarise(entry: CacheEntry): CacheEntrySummary {
  const { body: _body, ...rest } = entry;
  return { ...rest, meta: { ...entry.meta } };
}

export function matchesFilter(entry: CacheEntrySummary, f: CacheFilter): boolean {
  if (f.model !== undefined && entry.model !== f.model) return false;
  if (f.namespace !== undefined && entry.namespace !== f.namespace) return false;
  if (f.endpoint !== undefined && entry.endpoint !== f.endpoint) return false;
  if (f.createdBefore !== undefined && !(entry.createdAt < f.createdBefore)) return false;
  if (f.createdAfter !== undefined && !(entry.createdAt >= f.createdAfter)) return false;
  return true;
}

export function pageBounds(q: CacheListQuery): { offset: number; limit: number } {
  const offset = q.offset ?? 0;
  const limit = q.limit ?? 50;
  if (!Number.isInteger(offset) || offset < 0) throw new RangeError(`cache list: offset must be a non-negative integer, got ${offset}`);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new RangeError(`cache list: limit must be an integer in 1..500, got ${limit}`);
  return { offset, limit };
}

export function emptySavings(): CacheSavings {
  return { tokens: 0, latencyMs: 0, costUsd: 0 };
}

export function addSavings(s: CacheSavings, meta: CacheEntryMeta): void {
  s.tokens += meta.promptTokens + meta.completionTokens;
  s.latencyMs += meta.latencyMs;
  s.costUsd += meta.costUsd;
}

export function hitRate(hits: number, misses: number): number {
  return hits + misses === 0 ? 0 : hits / (hits + misses);
}

const MAX_REQUEST_TEXT = 240;

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content.map((p) => (p && typeof p === 'object' && typeof (p as { text?: unknown }).text === 'string' ? (p as { text: string }).text : '')).join(' ');
  }
  return '';
}

/** A short searchable text for the admin browser: the last user message, or the input. */
export function requestTextOf(endpoint: Endpoint, body: unknown, max = MAX_REQUEST_TEXT): string {
  const b = (body ?? {}) as Record<string, unknown>;
  let text = '';
  if (endpoint === 'chat' && Array.isArray(b.messages)) {
    const msgs = b.messages as Array<{ role?: unknown; content?: unknown }>;
    const lastUser = [...msgs].reverse().find((m) => m && m.role === 'user') ?? msgs[msgs.length - 1];
    text = lastUser ? textOf(lastUser.content) : '';
  } else if (typeof b.input === 'string') {
    text = b.input;
  } else if (Array.isArray(b.input)) {
    text = b.input.filter((x) => typeof x === 'string').join(' | ');
  }
  text = text.replace(/\s+/g, ' ').trim();
  return text.length > max ? text.slice(0, max - 1) + '…' : text;
}
