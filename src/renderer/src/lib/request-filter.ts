// Filters of the Requests page: the request log's query for them, the same test for rows that arrive
// live, and what their menus offer.
import type { RequestListQuery, RequestLogValues, RequestValueField } from '../../../shared/admin/core-routes.ts';
import type { RequestSummary } from '../../../shared/events.ts';
import { matchesStatus, parseStatusFilter } from '../../../shared/status-filter.ts';
import { CACHE_RESULTS, type CacheResult } from '../../../shared/targets.ts';

export interface RequestFilter {
  model: string;
  provider: string;
  /** '' any, or what the log takes (status-filter.ts): 'ok', 'error', a class such as '4xx', or one code. */
  status: string;
  cache: string;
  text: string;
}

export const EMPTY_FILTER: RequestFilter = { model: '', provider: '', status: '', cache: '', text: '' };

export function matchesFilter(r: RequestSummary, f: RequestFilter): boolean {
  if (f.model && r.model !== f.model && r.requestedModel !== f.model) return false;
  if (f.provider && r.provider !== f.provider) return false;
  if (f.cache && r.cache !== f.cache) return false;
  if (f.status) {
    const status = parseStatusFilter(f.status);
    if (status === null || !matchesStatus(status, r.status)) return false;
  }
  const text = f.text.trim().toLowerCase();
  if (text) {
    const hay = [r.id, r.path, r.model, r.requestedModel, r.provider, r.errorCode ?? '', r.client, String(r.status)].join(' ').toLowerCase();
    if (!hay.includes(text)) return false;
  }
  return true;
}

/**
 * The request log's query for a filter: one page of `limit` rows, after `beforeId` when given.
 * Search text is trimmed (a stray space would find nothing the user meant) and empty fields are left
 * out, since the log refuses parameters it cannot read.
 */
export function listQuery(f: RequestFilter, limit: number, beforeId?: string): RequestListQuery {
  const q: RequestListQuery = { limit };
  if (beforeId) q.beforeId = beforeId;
  if (f.model) q.model = f.model;
  if (f.provider) q.provider = f.provider;
  if (f.status) q.status = f.status;
  if (f.cache) q.cache = f.cache;
  if (f.text.trim()) q.text = f.text.trim();
  return q;
}

/** True when the filter narrows anything (blank search text does not). */
export function isFiltered(f: RequestFilter): boolean {
  return Object.keys(listQuery(f, 1)).length > 1;
}

/** What the filter menus offer, each list sorted. */
export interface FilterMenus {
  /** Models used and models asked for: the model filter matches either. */
  model: string[];
  provider: string[];
  /** In the order the cache tells them (miss, then hits, …). */
  cache: CacheResult[];
  /** Codes in the log, for the status menu's own entries. */
  status: number[];
}

/**
 * The menus: the values the whole log holds (GET /admin/api/requests/values, null until it answers or
 * when it fails), with those of the rows held, which include live arrivals. The value chosen now stays
 * listed even when nothing holds it any more, so the menu keeps showing what filters the list.
 */
export function filterMenus(values: RequestLogValues | null, rows: readonly RequestSummary[], chosen: RequestFilter): FilterMenus {
  const strings = (...lists: Array<readonly string[]>) => [...new Set(lists.flat().filter(Boolean))].sort();
  const status = parseStatusFilter(chosen.status);
  const cache = new Set<string>([...(values?.cache ?? []), ...rows.map((r) => r.cache), chosen.cache]);
  return {
    model: strings(values?.model ?? [], values?.requestedModel ?? [], rows.map((r) => r.model), rows.map((r) => r.requestedModel), [chosen.model]),
    provider: strings(values?.provider ?? [], rows.map((r) => r.provider), [chosen.provider]),
    cache: CACHE_RESULTS.filter((c) => cache.has(c)),
    status: [...new Set([...(values?.status ?? []), ...rows.map((r) => r.status), ...(typeof status === 'number' ? [status] : [])])]
      .filter((s) => s > 0).sort((a, b) => a - b),
  };
}

const VALUE_FIELDS = ['model', 'requestedModel', 'provider', 'endpoint', 'status', 'cache'] as const satisfies readonly RequestValueField[];

/** `values` with those of rows that arrived since it was read; `values` itself when they add none. */
export function withRowValues(values: RequestLogValues, rows: readonly RequestSummary[]): RequestLogValues {
  let next = values;
  for (const field of VALUE_FIELDS) {
    const have = new Set<string | number>(values[field]);
    const added = rows.map((r) => r[field]).filter((v) => v !== '' && !have.has(v) && have.add(v));
    if (!added.length) continue;
    const all = [...values[field], ...added];
    next = { ...next, [field]: field === 'status' ? (all as number[]).sort((a, b) => a - b) : (all as string[]).sort() };
  }
  return next;
}
