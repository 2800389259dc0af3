// Filters of the Requests page, applied to the live buffer.
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

/** Distinct non-empty values of a field, sorted, for the filter menus. */
export function distinct(items: readonly RequestSummary[], field: 'model' | 'provider' | 'cache'): string[] {
  return [...new Set(items.map((r) => r[field]).filter(Boolean))].sort();
}
