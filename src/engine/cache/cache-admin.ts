// Admin implementations of the cache routes (declared in src/shared/admin/cache-routes.ts).
import type { CacheClearRequest, CacheEntriesQuery } from '../../shared/cache.ts';
import { isEndpoint, type Endpoint } from '../../shared/targets.ts';
import type { AdminRouter } from '../admin/admin-router.ts';
import { refuseUnknown } from '../admin/refuse-unknown.ts';
import { BadRequestError, NotFoundError } from '../errors.ts';
import type { CacheService } from './cache-service.ts';

/** The filters of GET /cache/entries; any other is refused, as the request log refuses one. */
const CACHE_ENTRY_FILTERS = ['model', 'namespace', 'endpoint', 'olderThanSeconds', 'newerThanSeconds', 'text', 'offset', 'limit'];

function int(name: string, raw: unknown, min: number, max: number): number | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  const n = typeof raw === 'number' ? raw : Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new BadRequestError(`${name}: expected an integer from ${min} to ${max}`, name);
  return n;
}

function endpoint(raw: unknown): Endpoint | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (!isEndpoint(raw)) throw new BadRequestError(`endpoint: expected chat, embeddings or speech`, 'endpoint');
  return raw as Endpoint;
}

function str(name: string, raw: unknown): string | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'string' || raw.length > 512) throw new BadRequestError(`${name}: expected a string`, name);
  return raw;
}

const MAX_AGE = 100 * 365 * 86400;

function clearRequest(body: unknown): CacheClearRequest {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) throw new BadRequestError('Expected a clear filter object.');
  const b = body as Record<string, unknown>;
  for (const k of Object.keys(b)) {
    if (!['model', 'namespace', 'endpoint', 'olderThanSeconds'].includes(k)) throw new BadRequestError(`${k}: unknown filter`, k);
  }
  const out: CacheClearRequest = {};
  const model = str('model', b.model);
  const namespace = str('namespace', b.namespace);
  const ep = endpoint(b.endpoint);
  const older = int('olderThanSeconds', b.olderThanSeconds, 0, MAX_AGE);
  if (model !== undefined) out.model = model;
  if (namespace !== undefined) out.namespace = namespace;
  if (ep !== undefined) out.endpoint = ep;
  if (older !== undefined) out.olderThanSeconds = older;
  return out;
}

export function implementCacheAdmin(router: AdminRouter, cache: CacheService): void {
  router.implement('cacheStats', () => cache.stats());
  router.implement('cacheEntries', ({ query }) => {
    refuseUnknown(query, CACHE_ENTRY_FILTERS, 'filter', 'GET /cache/entries');
    const q: CacheEntriesQuery = {
      model: str('model', query.model) || undefined,
      namespace: str('namespace', query.namespace),
      endpoint: endpoint(query.endpoint),
      olderThanSeconds: int('olderThanSeconds', query.olderThanSeconds, 0, MAX_AGE),
      newerThanSeconds: int('newerThanSeconds', query.newerThanSeconds, 0, MAX_AGE),
      text: str('text', query.text) || undefined,
      offset: int('offset', query.offset, 0, 1e9),
      limit: int('limit', query.limit, 1, 500),
    };
    return cache.list(q);
  });
  router.implement('cacheEntry', ({ params }) => {
    const d = cache.detail(params.key);
    if (!d) throw new NotFoundError(`No cache entry '${params.key}'.`, 'SLUICE_CACHE_ENTRY_NOT_FOUND');
    return d;
  });
  router.implement('cacheEntryDelete', ({ params }) => {
    if (!cache.delete(params.key)) throw new NotFoundError(`No cache entry '${params.key}'.`, 'SLUICE_CACHE_ENTRY_NOT_FOUND');
    return { deleted: true };
  });
  router.implement('cacheClear', ({ body }) => cache.clear(clearRequest(body)));
  router.implement('cacheClearPreview', ({ body }) => cache.preview(clearRequest(body)));
}
