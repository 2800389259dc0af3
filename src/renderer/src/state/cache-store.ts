// Cache slice: the last statistics loaded, and a revision bumped by `cache` events so open views reload.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { CacheEventDetail, CacheStatsView } from '../../../shared/cache.ts';

export interface CacheState {
  stats: CacheStatsView | null;
  revision: number;
  /** The latest change announced on the event stream. */
  lastChange: CacheEventDetail | null;
  setStats(stats: CacheStatsView): void;
  /** Apply a `cache` event (action + detail). */
  apply(action: string, detail: unknown): void;
}

export function createCacheStore(): StoreApi<CacheState> {
  return createStore<CacheState>()((set) => ({
    stats: null,
    revision: 0,
    lastChange: null,
    setStats: (stats) => set({ stats }),
    apply: (action, detail) => set((s) => {
      const d = (detail && typeof detail === 'object' ? detail : {}) as Record<string, unknown>;
      const change = { ...d, action } as CacheEventDetail;
      return { revision: s.revision + 1, lastChange: change };
    }),
  }));
}
