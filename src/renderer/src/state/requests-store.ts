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

function newestFirst(a: RequestSummary, b: RequestSummary): number {
  return b.ts - a.ts || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
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
      return { items: items.length > capacity ? items.slice(0, capacity) : items, seen: s.seen + 1 };
    }),
    merge: (list) => set((s) => {
      const byId = new Map(s.items.map((x) => [x.id, x]));
      for (const r of list) if (!byId.has(r.id)) byId.set(r.id, r);
      return { items: [...byId.values()].sort(newestFirst).slice(0, capacity) };
    }),
    clear: () => set({ items: [] }),
  }));
}
