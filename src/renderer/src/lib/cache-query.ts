// The cache browser's filters and the clear dialog's choices, turned into the admin routes' queries.
import type { CacheClearRequest, CacheEntriesQuery } from '../../../shared/cache.ts';
import type { Endpoint } from '../../../shared/targets.ts';

export type AgePreset = '' | 'newer1h' | 'newer24h' | 'older1h' | 'older24h' | 'older7d';
export const AGE_PRESETS: readonly Exclude<AgePreset, ''>[] = ['newer1h', 'newer24h', 'older1h', 'older24h', 'older7d'];

export interface CacheFilter {
  text: string;
  model: string;
  namespace: string;
  endpoint: '' | Endpoint;
  age: AgePreset;
}

export const EMPTY_CACHE_FILTER: CacheFilter = { text: '', model: '', namespace: '', endpoint: '', age: '' };

const AGE_SECONDS: Record<Exclude<AgePreset, ''>, { older?: number; newer?: number }> = {
  newer1h: { newer: 3600 },
  newer24h: { newer: 86_400 },
  older1h: { older: 3600 },
  older24h: { older: 86_400 },
  older7d: { older: 7 * 86_400 },
};

export function entriesQuery(f: CacheFilter, offset: number, limit: number): CacheEntriesQuery {
  const q: CacheEntriesQuery = { offset, limit };
  if (f.text.trim()) q.text = f.text.trim();
  if (f.model.trim()) q.model = f.model.trim();
  if (f.namespace.trim()) q.namespace = f.namespace.trim();
  if (f.endpoint) q.endpoint = f.endpoint;
  if (f.age) {
    const a = AGE_SECONDS[f.age];
    if (a.older !== undefined) q.olderThanSeconds = a.older;
    if (a.newer !== undefined) q.newerThanSeconds = a.newer;
  }
  return q;
}

export type ClearScope = 'all' | 'model' | 'namespace' | 'age';

export interface ClearChoice { scope: ClearScope; model: string; namespace: string; hours: string }

/** The oldest age the clear dialog takes, in hours: ten years (the engine's own limit is higher). */
export const MAX_CLEAR_HOURS = 87_600;

/** Why a choice cannot be previewed yet: a field to fill in, or hours that are not a number in range. */
export function clearChoiceProblem(c: ClearChoice): 'needValue' | 'badHours' | null {
  if (clearRequest(c)) return null;
  return c.scope === 'age' && c.hours.trim() ? 'badHours' : 'needValue';
}

/** The clear request for a choice, or null while the choice is incomplete (empty model, bad hours). */
export function clearRequest(c: ClearChoice): CacheClearRequest | null {
  switch (c.scope) {
    case 'all': return {};
    case 'model': return c.model.trim() ? { model: c.model.trim() } : null;
    case 'namespace': return c.namespace.trim() ? { namespace: c.namespace.trim() } : null;
    case 'age': {
      const h = Number(c.hours);
      if (!c.hours.trim() || !Number.isFinite(h) || h < 0 || h > MAX_CLEAR_HOURS) return null;
      return { olderThanSeconds: Math.round(h * 3600) };
    }
  }
}

/** Rows x–y of a page, 1-based, for "21–40 of 95". */
export function pageSpan(offset: number, shown: number, total: number): { from: number; to: number; total: number } {
  return shown ? { from: offset + 1, to: offset + shown, total } : { from: 0, to: 0, total };
}

/**
 * A known name the exact Model or Namespace filter probably meant: `typed` is part of it (any case), it is
 * not `typed` itself. The shortest such name, then the first in order; null when none contains it.
 */
export function exactNameFor(typed: string, known: Iterable<string>): string | null {
  const needle = typed.trim().toLowerCase();
  if (!needle) return null;
  let best: string | null = null;
  for (const name of known) {
    if (name === typed.trim() || !name.toLowerCase().includes(needle)) continue;
    if (best === null || name.length < best.length || (name.length === best.length && name < best)) best = name;
  }
  return best;
}
