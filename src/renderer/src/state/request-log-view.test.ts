import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RequestListQuery } from '../../../shared/admin/core-routes.ts';
import type { RequestSummary } from '../../../shared/events.ts';
import { EMPTY_FILTER } from '../lib/request-filter.ts';
import { createRequestLogView, SEARCH_DEBOUNCE_MS } from './request-log-view.ts';
import { req } from './request-fixture.ts';
import { createRequestsStore } from './requests-store.ts';

/** The request log as the admin API answers it: newest first, filtered, a page after `beforeId`. */
function fakeLog(all: RequestSummary[]) {
  const calls: RequestListQuery[] = [];
  let fail: string | null = null;
  const list = async (q: RequestListQuery): Promise<RequestSummary[]> => {
    calls.push(q);
    if (fail) throw new Error(fail);
    let rows = all;
    if (q.beforeId) rows = rows.slice(rows.findIndex((r) => r.id === q.beforeId) + 1);
    if (q.model) rows = rows.filter((r) => r.model === q.model || r.requestedModel === q.model);
    if (q.status === 'error') rows = rows.filter((r) => r.status >= 400);
    const text = q.text?.toLowerCase();
    if (text) rows = rows.filter((r) => [r.path, r.model, r.id].some((v) => v.toLowerCase().includes(text)));
    return rows.slice(0, q.limit ?? 100);
  };
  return { calls, list, failWith: (message: string | null) => { fail = message; } };
}

/** Requests r1 (oldest) … rN, one a millisecond. */
const history = (n: number) => Array.from({ length: n }, (_, i) => req(`r${n - i}`, n - i));
const ids = (rows: readonly RequestSummary[]) => rows.map((r) => r.id);

function setup(opts: { logged: number; buffer: number; pageSize?: number }) {
  const all = history(opts.logged);
  const log = fakeLog(all);
  const live = createRequestsStore(opts.buffer);
  live.getState().merge(all);
  const view = createRequestLogView({ live, list: log.list, pageSize: opts.pageSize ?? 10 });
  const stop = view.start();
  return { all, log, live, view, stop, rows: () => ids(view.state.getState().rows) };
}

/** Lets the debounce run out and the log answer. */
const settle = () => vi.advanceTimersByTimeAsync(SEARCH_DEBOUNCE_MS);

beforeEach(() => { vi.useFakeTimers(); });
afterEach(() => { vi.useRealTimers(); });

describe('request log view', () => {
  it('follows the live buffer while nothing is filtered, new requests on top, without asking the log', async () => {
    const { live, log, rows } = setup({ logged: 3, buffer: 5 });
    expect(rows()).toEqual(['r3', 'r2', 'r1']);
    live.getState().add(req('r4', 4));
    expect(rows()).toEqual(['r4', 'r3', 'r2', 'r1']);
    await settle();
    expect(log.calls).toEqual([]);
  });

  it('finds a request by id in the whole log, long after it left the live buffer', async () => {
    const { view, log, rows } = setup({ logged: 2000, buffer: 500, pageSize: 20 });
    for (const text of ['r', 'r1', 'r10', 'r100']) view.setFilter({ ...EMPTY_FILTER, text });
    expect(view.state.getState().source.state).toBe('searching');
    await settle();
    // one query for the pause in typing, for what was typed last
    expect(log.calls).toEqual([{ limit: 20, text: 'r100' }]);
    expect(rows()).toContain('r100');
    expect(view.state.getState().source.state).toBe('found');
  });

  it('narrows what it already shows at once, while the log is asked', () => {
    const { view, rows } = setup({ logged: 30, buffer: 30 });
    view.setFilter({ ...EMPTY_FILTER, text: 'r2' });
    expect(rows()).toEqual(['r29', 'r28', 'r27', 'r26', 'r25', 'r24', 'r23', 'r22', 'r21', 'r20', 'r2']);
  });

  it('puts live requests that match the filter on top of the answer, and leaves the others out', async () => {
    const { view, live, rows } = setup({ logged: 20, buffer: 5 });
    view.setFilter({ ...EMPTY_FILTER, model: 'sim-fast' });
    await settle();
    expect(rows()).toEqual([]);
    live.getState().add(req('f1', 21, { model: 'sim-fast' }));
    live.getState().add(req('c1', 22));
    expect(rows()).toEqual(['f1']);
  });

  it('keeps a live request that arrives while the log is asked', async () => {
    const { view, live, rows } = setup({ logged: 20, buffer: 5 });
    view.setFilter({ ...EMPTY_FILTER, model: 'sim-fast' });
    live.getState().add(req('f1', 21, { model: 'sim-fast' }));
    await settle();
    expect(rows()).toEqual(['f1']);
  });

  it('shows the answer to the latest filter, not a slower answer to an earlier one', async () => {
    const all = history(20);
    const live = createRequestsStore(5);
    const pending: Array<{ q: RequestListQuery; signal: AbortSignal; answer(rows: RequestSummary[]): void }> = [];
    const view = createRequestLogView({
      live, pageSize: 10,
      list: (q, signal) => new Promise((answer) => { pending.push({ q, signal, answer }); }),
    });
    view.start();
    view.setFilter({ ...EMPTY_FILTER, text: 'r1' });
    await settle();
    view.setFilter({ ...EMPTY_FILTER, text: 'r2' });
    await settle();
    expect(pending.map((p) => p.q.text)).toEqual(['r1', 'r2']);
    expect(pending[0].signal.aborted).toBe(true);
    pending[1].answer(all.filter((r) => r.id.includes('r2')));
    await settle();
    pending[0].answer(all.filter((r) => r.id.includes('r1')));
    await settle();
    expect(ids(view.state.getState().rows)).toEqual(['r20', 'r2']);
  });

  it('pages back from the last row shown through the whole log, each request once, and says when nothing is older', async () => {
    const { view, log, all, rows } = setup({ logged: 23, buffer: 5 });
    view.loadOlder();
    expect(view.state.getState().older.state).toBe('loading');
    await settle();
    expect(log.calls[0]).toEqual({ limit: 10, beforeId: 'r19' });
    expect(view.state.getState().older.state).toBe('more');
    view.loadOlder();
    await settle();
    expect(rows()).toEqual(ids(all));
    expect(view.state.getState().older.state).toBe('none');
    view.loadOlder();
    await settle();
    expect(log.calls).toHaveLength(2);
  });

  it('pages back through a search with the same filter', async () => {
    const { view, log, rows } = setup({ logged: 40, buffer: 5, pageSize: 3 });
    view.setFilter({ ...EMPTY_FILTER, text: 'r1' });
    await settle();
    expect(rows()).toEqual(['r19', 'r18', 'r17']);
    view.loadOlder();
    await settle();
    expect(log.calls.at(-1)).toEqual({ limit: 3, beforeId: 'r17', text: 'r1' });
    expect(rows()).toEqual(['r19', 'r18', 'r17', 'r16', 'r15', 'r14']);
  });

  it('keeps the rows a user paged back to while requests arrive, up to the buffer size plus those pages', async () => {
    const { view, live, rows } = setup({ logged: 25, buffer: 5 });
    view.loadOlder();
    view.loadOlder();
    await settle();
    view.loadOlder();
    await settle();
    view.loadOlder();
    await settle();
    expect(rows()).toHaveLength(25);
    expect(view.state.getState().older.state).toBe('none');
    live.getState().add(req('r26', 26));
    // the oldest row made room: the log holds something older than the last row again
    expect(rows()).toHaveLength(25);
    expect(rows()[0]).toBe('r26');
    expect(view.state.getState().older.state).toBe('more');
  });

  it('goes back to the live rows when the filters are cleared', async () => {
    const { view, rows } = setup({ logged: 20, buffer: 5 });
    view.setFilter({ ...EMPTY_FILTER, text: 'r1' });
    await settle();
    view.setFilter(EMPTY_FILTER);
    expect(rows()).toEqual(['r20', 'r19', 'r18', 'r17', 'r16']);
    expect(view.state.getState().source.state).toBe('live');
  });

  it('says why a search failed and asks again on retry', async () => {
    const { view, log, rows } = setup({ logged: 20, buffer: 5 });
    log.failWith('The engine cannot be reached (fetch failed).');
    view.setFilter({ ...EMPTY_FILTER, text: 'r3' });
    await settle();
    expect(view.state.getState().source).toEqual({ state: 'failed', message: 'The engine cannot be reached (fetch failed).' });
    expect(rows()).toEqual([]);
    log.failWith(null);
    view.retry();
    await settle();
    expect(rows()).toEqual(['r3']);
  });

  it('keeps the rows shown when an older page fails, and the next try goes on from the same row', async () => {
    const { view, log, rows } = setup({ logged: 20, buffer: 5 });
    log.failWith('HTTP 500');
    view.loadOlder();
    await settle();
    expect(view.state.getState().older).toEqual({ state: 'failed', message: 'HTTP 500' });
    expect(rows()).toHaveLength(5);
    log.failWith(null);
    view.loadOlder();
    await settle();
    expect(log.calls.map((q) => q.beforeId)).toEqual(['r16', 'r16']);
    expect(rows()).toHaveLength(15);
  });

  it('stops following the live buffer and drops a pending search when stopped', async () => {
    const { view, live, log, stop, rows } = setup({ logged: 5, buffer: 5 });
    view.setFilter({ ...EMPTY_FILTER, text: 'r' });
    stop();
    await settle();
    expect(log.calls).toEqual([]);
    live.getState().add(req('r6', 6));
    expect(rows()).not.toContain('r6');
  });
});
