// Admin routes of the cache: statistics, the entry browser, one entry, delete, clear and its preview.
import type {
  CacheClearPreview, CacheClearRequest, CacheClearResult, CacheEntriesPage, CacheEntriesQuery, CacheEntryDetailView, CacheStatsView,
} from '../cache.ts';
import { route } from './route.ts';

export const cacheRoutes = {
  cacheStats: route<void, void, CacheStatsView>('GET', '/admin/api/cache/stats'),
  cacheEntries: route<CacheEntriesQuery, void, CacheEntriesPage>('GET', '/admin/api/cache/entries'),
  cacheEntry: route<void, void, CacheEntryDetailView>('GET', '/admin/api/cache/entries/:key'),
  cacheEntryDelete: route<void, void, { deleted: boolean }>('DELETE', '/admin/api/cache/entries/:key'),
  cacheClear: route<void, CacheClearRequest, CacheClearResult>('POST', '/admin/api/cache/clear'),
  cacheClearPreview: route<void, CacheClearRequest, CacheClearPreview>('POST', '/admin/api/cache/clear/preview'),
} as const;
