// Filters of the Requests page: the request log's query for them, and the same test for rows that arrive live.
import type { RequestListQuery } from '../../../shared/admin/core-routes.ts';
import type { RequestSummary } from '../../../shared/events.ts';
import { isError } from './request-stats.ts';

export interface RequestFilter {
  model: string;
  provider: string;
  /** '' any, 'ok' 2xx/3xx, 'error' 4xx/5xx/network, or an exact status code. */
  status: string;
  cache: string;
  text: string;
}

export const EMPTY_FILTER: RequestFilter = { model: '', provider: '', status: '', cache: '', text: '' };

export function matchesFilter(r: RequestSummary, f: RequestFilter): boolean {
  if (f.model && r.model !== f.model && r.requestedModel !== f.model) return false;
  if (f.provider && r.provider !== f.provider) return false;
  if (f.cache && r.cache !== f.cache) return false;
  if (f.status === 'ok' && isError(r)) return false;
  if (f.status === 'error' && !isError(r)) return false;
  if (f.status && f.status !== 'ok' && f.status !== 'error' && String(r.status) !== f.status) return false;
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

/**
 * Distinct non-empty values of a field, sorted, for the filter menus. `chosen`, the value picked now,
 * stays listed even when no row holds it any more, so the menu keeps showing what filters the list.
 */
export function distinct(items: readonly RequestSummary[], field: 'model' | 'provider' | 'cache', chosen = ''): string[] {
  const values = new Set(items.map((r) => r[field]).filter(Boolean));
  if (chosen) values.add(chosen);
  return [...values].sort();
}
