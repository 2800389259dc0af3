// The rows of the Requests page. With no filter they follow the live buffer (requests-store.ts). With
// one they are the request log's answer, because the buffer holds only the newest few hundred requests
// and the log holds all of them; live arrivals that match go on top. Either way, older pages go on from
// the last row shown, so paging back neither skips nor repeats a request.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { RequestListQuery } from '../../../shared/admin/core-routes.ts';
import type { RequestSummary } from '../../../shared/events.ts';
import { EMPTY_FILTER, isFiltered, listQuery, matchesFilter, type RequestFilter } from '../lib/request-filter.ts';
import { keepNewest, mergeRequests, type RequestsState } from './requests-store.ts';

/** Rows asked of the log at a time: the first page of a search, and each older page. */
export const REQUEST_PAGE_SIZE = 200;
/** Quiet time after the last change before the log is asked: one query per pause in typing, not one per letter. */
export const SEARCH_DEBOUNCE_MS = 250;

/** Where the rows come from: the live buffer, or the log's first page for the filter (asked for, answered, failed). */
export type RowsSource = { state: 'live' } | { state: 'searching' } | { state: 'found' } | { state: 'failed'; message: string };
/** Whether the log may hold rows older than the last one shown. */
export type OlderRows = { state: 'more' } | { state: 'loading' } | { state: 'none' } | { state: 'failed'; message: string };

export interface RequestLogViewState {
  filter: RequestFilter;
  /** Newest first. While searching, what the panel already held that matches; then the log's answer. */
  rows: RequestSummary[];
  source: RowsSource;
  older: OlderRows;
}

export interface RequestLogViewDeps {
  /** The live buffer the event stream fills. */
  live: StoreApi<RequestsState>;
  /** One page of the request log (the admin API's requestsList). */
  list(query: RequestListQuery, signal: AbortSignal): Promise<RequestSummary[]>;
  pageSize?: number;
  debounceMs?: number;
}

export interface RequestLogView {
  readonly state: StoreApi<RequestLogViewState>;
  /** Follows the live buffer until the returned function is called, which also drops whatever is still asked for. */
  start(): () => void;
  setFilter(filter: RequestFilter): void;
  /** The page after the last row shown (again after a failure). */
  loadOlder(): void;
  /** Asks the log again after the first page failed. */
  retry(): void;
}

const sameQuery = (a: RequestFilter, b: RequestFilter) => JSON.stringify(listQuery(a, 1)) === JSON.stringify(listQuery(b, 1));

export function createRequestLogView(deps: RequestLogViewDeps): RequestLogView {
  const pageSize = deps.pageSize ?? REQUEST_PAGE_SIZE;
  const debounceMs = deps.debounceMs ?? SEARCH_DEBOUNCE_MS;
  const capacity = deps.live.getState().capacity;
  const state = createStore<RequestLogViewState>()(() => ({
    filter: EMPTY_FILTER, rows: deps.live.getState().items, source: { state: 'live' }, older: { state: 'more' },
  }));
  // Rows kept: as many as the live buffer, plus every older page the user asked for. Beyond that, live
  // arrivals push the oldest rows out; that leaves no hole, as the next older page starts at the last row left.
  let limit = capacity;
  // Each filter is a new generation; answers to an earlier one are stale and dropped.
  let generation = 0;
  let abort = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Matching rows that arrived while the first page was asked for: the log's answer may predate them.
  let arrivedWhileSearching: RequestSummary[] = [];

  const restart = () => {
    generation += 1;
    abort.abort();
    abort = new AbortController();
    clearTimeout(timer);
    timer = undefined;
    limit = capacity;
    arrivedWhileSearching = [];
  };

  const search = () => {
    const gen = generation;
    deps.list(listQuery(state.getState().filter, pageSize), abort.signal).then(
      (page) => {
        if (gen !== generation) return;
        const last = page.at(-1);
        // an arrival older than a full page's last row belongs to a later page
        const arrivals = page.length < pageSize || !last ? arrivedWhileSearching : arrivedWhileSearching.filter((r) => r.ts >= last.ts);
        arrivedWhileSearching = [];
        const all = mergeRequests(page, arrivals);
        const rows = keepNewest(all, limit);
        const complete = page.length < pageSize && rows.length === all.length;
        state.setState({ rows, source: { state: 'found' }, older: { state: complete ? 'none' : 'more' } });
      },
      (err: Error) => {
        if (gen !== generation) return;
        arrivedWhileSearching = [];
        state.setState({ rows: [], source: { state: 'failed', message: err.message } });
      },
    );
  };

  const searchSoon = () => {
    const gen = generation;
    timer = setTimeout(() => { if (gen === generation) search(); }, debounceMs);
  };

  const showLive = () => state.setState({ rows: deps.live.getState().items, source: { state: 'live' }, older: { state: 'more' } });

  const startSearch = (filter: RequestFilter) => {
    restart();
    // What the panel already holds narrows at once; the log's answer then replaces it.
    const held = mergeRequests(state.getState().rows, deps.live.getState().items).filter((r) => matchesFilter(r, filter));
    state.setState({ rows: held, source: { state: 'searching' }, older: { state: 'more' } });
    searchSoon();
  };

  const arrived = (fresh: readonly RequestSummary[]) => {
    const s = state.getState();
    if (s.source.state === 'failed') return;
    const live = s.source.state === 'live';
    let matching = live ? fresh : fresh.filter((r) => matchesFilter(r, s.filter));
    if (s.source.state === 'searching') arrivedWhileSearching.push(...matching);
    // In the log's answer, a row older than the last one shown belongs to a later page: placed now, it
    // would stand in for the rows between, which the next page (after it) would then skip.
    const last = s.rows.at(-1);
    if (s.source.state === 'found' && last && s.older.state !== 'none') matching = matching.filter((r) => r.ts >= last.ts);
    let rows = mergeRequests(s.rows, matching);
    if (rows === s.rows) return;
    let older = s.older;
    // not while an older page is on its way: it goes on from the last row as it was when asked for
    if (rows.length > limit && older.state !== 'loading') {
      rows = keepNewest(rows, limit);
      if (older.state === 'none') older = { state: 'more' };
    }
    state.setState({ rows, older });
  };

  return {
    state,
    start() {
      if (isFiltered(state.getState().filter)) startSearch(state.getState().filter);
      else showLive();
      const unsubscribe = deps.live.subscribe((now, before) => {
        if (now.items === before.items) return;
        const known = new Set(before.items.map((r) => r.id));
        const fresh = now.items.filter((r) => !known.has(r.id));
        if (fresh.length) arrived(fresh);
      });
      return () => {
        unsubscribe();
        restart();
      };
    },
    setFilter(filter) {
      const before = state.getState().filter;
      state.setState({ filter });
      if (sameQuery(before, filter)) return;
      if (isFiltered(filter)) startSearch(filter);
      else {
        restart();
        showLive();
      }
    },
    loadOlder() {
      const s = state.getState();
      const last = s.rows.at(-1);
      if (!last || s.source.state === 'searching' || s.source.state === 'failed' || s.older.state === 'loading' || s.older.state === 'none') return;
      const gen = generation;
      state.setState({ older: { state: 'loading' } });
      deps.list(listQuery(s.filter, pageSize, last.id), abort.signal).then(
        (page) => {
          if (gen !== generation) return;
          const rows = mergeRequests(state.getState().rows, page);
          limit = Math.max(limit, rows.length);
          state.setState({ rows, older: { state: page.length < pageSize ? 'none' : 'more' } });
        },
        (err: Error) => {
          if (gen === generation) state.setState({ older: { state: 'failed', message: err.message } });
        },
      );
    },
    retry() {
      if (state.getState().source.state !== 'failed') return;
      restart();
      state.setState({ source: { state: 'searching' }, older: { state: 'more' } });
      search();
    },
  };
}
