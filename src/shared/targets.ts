// The things every part of Sluice names: endpoints, resolved targets, cache results.

export const ENDPOINTS = ['chat', 'embeddings', 'speech'] as const;
export type Endpoint = (typeof ENDPOINTS)[number];

/** A value from outside (JSON, a query) that names an endpoint. */
export const isEndpoint = (v: unknown): v is Endpoint => (ENDPOINTS as readonly unknown[]).includes(v);

/** A resolved upstream: which provider, and the model name that provider knows. */
export interface Target {
  provider: string;
  model: string;
}

export const CACHE_RESULTS = [
  'miss',
  'hit-memory',
  'hit-disk',
  'hit-semantic',
  'coalesced',
  'stale',
  'bypass', // Cache-Control: no-store, or caching disabled for this request
  'refresh', // Cache-Control: no-cache: read skipped, entry rewritten
  'none', // the request log only: refused before the cache looked (a bad body, a missing token, paused, an unknown model)
] as const;
export type CacheResult = (typeof CACHE_RESULTS)[number];

export type Priority = 'high' | 'normal' | 'low';

export function targetKey(t: Target): string {
  return `${t.provider}/${t.model}`;
}

/** How a request may be cached: the config's defaults, overridden per model and per routing rule. */
export interface CachePolicy {
  enabled?: boolean;
  ttlSeconds?: number;
  /** 'deterministic': only temperature-0 requests; 'all': everything. */
  mode?: 'deterministic' | 'all';
  semantic?: {
    enabled: boolean;
    /** Cosine similarity needed for a hit, 0–1 (default 0.95). */
    threshold?: number;
    /** 'local': character n-gram matcher, no model; 'embeddings': vectors from an embeddings model through Sluice. */
    source?: 'local' | 'embeddings';
    embeddingsModel?: string;
  };
}
