// The cache as the control panel sees it: statistics per tier, the entry browser, clears.
// Plain data types only.
import type { Endpoint } from './targets.ts';

export interface CacheSavingsView {
  tokens: number;
  latencyMs: number;
  costUsd: number;
}

export interface CacheTierStatsView {
  tier: 'memory' | 'disk';
  entries: number;
  bytes: number;
  maxBytes: number;
  hits: number;
  misses: number;
  hitRate: number;
  evictions: number;
  expired: number;
  corrupt: number;
  saved: CacheSavingsView;
}

export interface CacheStatsView {
  enabled: boolean;
  memory: CacheTierStatsView;
  /** Null when the disk tier is off (diskMaxBytes 0) or could not be opened. */
  disk: CacheTierStatsView | null;
  /**
   * Lookups answered by either tier or by the semantic cache, over all lookups (a speech answer told
   * sentence by sentence looks each sentence up). A semantic hit is an exact miss answered after all:
   * it counts as a hit, not a miss.
   */
  hits: number;
  misses: number;
  hitRate: number;
  /** Of `hits`, those the semantic cache answered (a similar question's answer). */
  semanticHits: number;
  /** Requests that shared another request's upstream call. */
  coalesced: number;
  /** Expired entries served because the upstream failed. */
  staleServed: number;
  /** What hits saved, semantic ones included. */
  saved: CacheSavingsView;
  /** Times the disk database was found unreadable, moved aside and recreated. */
  rebuilds: number;
}

export interface CacheEntryView {
  key: string;
  endpoint: Endpoint;
  provider: string;
  model: string;
  namespace: string;
  createdAt: number;
  expiresAt: number;
  /** Past expiresAt: served only when the upstream fails. */
  expired: boolean;
  contentType: string;
  size: number;
  hits: number;
  lastHitAt: number | null;
  requestText: string;
  promptTokens: number;
  completionTokens: number;
  /** The tokens (and so the cost) are Sluice's estimate: the answer reported no usage. */
  usageEstimated: boolean;
  costUsd: number;
  latencyMs: number;
}

export interface CacheEntryDetailView extends CacheEntryView {
  /** Pretty JSON (cut to a readable length), or e.g. "48213 bytes of audio/wav". */
  preview: string;
  /** True when the preview was shortened. */
  previewTruncated: boolean;
}

/** Query of the entry browser (query-string values). */
export interface CacheEntriesQuery {
  model?: string;
  namespace?: string;
  endpoint?: Endpoint;
  /** Only entries at least this old, seconds. */
  olderThanSeconds?: number;
  /** Only entries at most this old, seconds. */
  newerThanSeconds?: number;
  /** Substring of the request text, case-insensitive. */
  text?: string;
  offset?: number;
  /** 1–500, default 50. */
  limit?: number;
}

export interface CacheEntriesPage {
  total: number;
  offset: number;
  limit: number;
  items: CacheEntryView[];
}

/** What a clear applies to; every field combines with AND; an empty object clears everything. */
export interface CacheClearRequest {
  model?: string;
  namespace?: string;
  endpoint?: Endpoint;
  /** Only entries at least this old, seconds. */
  olderThanSeconds?: number;
}

export interface CacheClearResult {
  /** Distinct entries removed (an entry held by both tiers counts once). */
  deleted: number;
  memory: number;
  disk: number;
}

export interface CacheClearPreview {
  /** Entries the same clear would delete now. */
  count: number;
  /** Their body bytes (null when too many entries match to add them up quickly). */
  bytes: number | null;
}

/** Payloads of `{ type: 'cache' }` events, by action. */
export type CacheEventDetail =
  | { action: 'deleted'; key: string }
  | { action: 'cleared'; filter: CacheClearRequest; result: CacheClearResult }
  | { action: 'rebuilt'; file: string; movedTo: string | null; reason: string; error: string };
