// The things every part of Sluice names: endpoints, resolved targets, cache results.

export type Endpoint = 'chat' | 'embeddings' | 'speech';

/** A resolved upstream: which provider, and the model name that provider knows. */
export interface Target {
  provider: string;
  model: string;
}

export type CacheResult =
  | 'miss'
  | 'hit-memory'
  | 'hit-disk'
  | 'hit-semantic'
  | 'coalesced'
  | 'stale'
  | 'bypass'   // Cache-Control: no-store, or caching disabled for this request
  | 'refresh'; // Cache-Control: no-cache: read skipped, entry rewritten

export type Priority = 'high' | 'normal' | 'low';

export function targetKey(t: Target): string {
  return `${t.provider}/${t.model}`;
}
