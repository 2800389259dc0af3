// Requests slice: a bounded, newest-first buffer of request summaries (live events plus the initial page).
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { RequestSummary } from '../../../shared/events.ts';

export const DEFAULT_REQUEST_BUFFER = 500;

export interface RequestsState {
  items: RequestSummary[];
  capacity: number;
  /** Live requests seen since the panel opened (not bounded by the buffer). */
  seen: number;
  add(r: RequestSummary): void;
  /** Merge a page loaded from the request log (dedupes by id, keeps newest first). */
  merge(list: RequestSummary[]): void;
  clear(): void;
}

/** The order every request list of the panel shows: newest received first. */
export function newestFirst(a: RequestSummary, b: RequestSummary): number {
  return b.ts - a.ts || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

/**
 * The newest `n` rows of a newest-first list, or a few fewer: rows received in the same millisecond stay
 * or go together. The request log orders those by when each was logged, which the panel cannot see, so
 * a cut between them could drop one that the next older page (after the last row kept) leaves out too.
 */
export function keepNewest(items: RequestSummary[], n: number): RequestSummary[] {
  if (items.length <= n) return items;
  let cut = n;
  while (cut > 0 && items[cut - 1].ts === items[cut].ts) cut--;
  return items.slice(0, cut || n);
}

/** Both lists in one, newest first, each request once (the copy in `a` kept); `a` itself when `b` adds nothing. */
export function mergeRequests(a: RequestSummary[], b: readonly RequestSummary[]): RequestSummary[] {
  const seen = new Set(a.map((r) => r.id));
  const added = b.filter((r) => !seen.has(r.id) && seen.add(r.id));
  return added.length ? [...a, ...added].sort(newestFirst) : a;
}

export function createRequestsStore(capacity = DEFAULT_REQUEST_BUFFER): StoreApi<RequestsState> {
  if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`createRequestsStore: capacity must be a positive integer, got ${capacity}`);
  return createStore<RequestsState>()((set) => ({
    items: [],
    capacity,
    seen: 0,
    add: (r) => set((s) => {
      if (s.items.some((x) => x.id === r.id)) return s;
      const items = s.items.length && r.ts < s.items[0].ts ? [...s.items, r].sort(newestFirst) : [r, ...s.items];
      return { items: keepNewest(items, capacity), seen: s.seen + 1 };
    }),
    merge: (list) => set((s) => ({ items: keepNewest(mergeRequests(s.items, list), capacity) })),
    clear: () => set({ items: [] }),
  }));
}
