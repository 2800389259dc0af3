// What the Requests page's filter menus can offer beyond the rows in view: the values the whole request
// log holds (asked once when the page opens), with those of every request that arrives live after, so
// a model first used a minute ago is offered as soon as its request shows, and stays offered when later
// requests push it out of the live list.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { RequestLogValues } from '../../../shared/admin/core-routes.ts';
import type { RequestSummary } from '../../../shared/events.ts';
import { withRowValues } from '../lib/request-filter.ts';
import type { RequestsState } from './requests-store.ts';

export interface RequestLogValuesState {
  /** Null until the log answers; the menus then offer what the rows in view hold. */
  values: RequestLogValues | null;
}

export interface RequestLogValuesDeps {
  /** The live buffer the event stream fills. */
  live: StoreApi<RequestsState>;
  /** The log's values (the admin API's requestValues). */
  load(signal: AbortSignal): Promise<RequestLogValues>;
}

export interface RequestLogValuesSource {
  readonly state: StoreApi<RequestLogValuesState>;
  /** Asks the log and follows the live buffer until the returned function is called. */
  start(): () => void;
}

/** What is known of the log's values when it could not be asked: nothing, and the arrivals add to that. */
const NO_VALUES: RequestLogValues = { model: [], requestedModel: [], provider: [], endpoint: [], status: [], cache: [], truncated: [] };

export function createRequestLogValues(deps: RequestLogValuesDeps): RequestLogValuesSource {
  const state = createStore<RequestLogValuesState>()(() => ({ values: null }));
  return {
    state,
    start() {
      const abort = new AbortController();
      // arrivals while the log is asked, whose answer may predate them; null once it answered or failed
      let pending: RequestSummary[] | null = [];
      const settle = (values: RequestLogValues) => {
        if (abort.signal.aborted) return;
        state.setState({ values: withRowValues(values, pending ?? []) });
        pending = null;
      };
      // without the log's answer the menus offer the rows in view, and what arrives from now on
      deps.load(abort.signal).then(settle, () => settle(NO_VALUES));
      const unsubscribe = deps.live.subscribe((now, before) => {
        if (now.items === before.items) return;
        const known = new Set(before.items.map((r) => r.id));
        const fresh = now.items.filter((r) => !known.has(r.id));
        if (pending) { pending.push(...fresh); return; }
        const { values } = state.getState();
        const next = values && withRowValues(values, fresh);
        if (next !== values) state.setState({ values: next });
      });
      return () => {
        unsubscribe();
        abort.abort();
      };
    },
  };
}
