import { describe, expect, it } from 'vitest';
import type { RequestLogValues } from '../../../shared/admin/core-routes.ts';
import { req } from '../state/request-fixture.ts';
import { EMPTY_FILTER, filterMenus, isFiltered, listQuery, matchesFilter, withRowValues } from './request-filter.ts';

const logValues = (over: Partial<RequestLogValues> = {}): RequestLogValues => ({
  model: [], requestedModel: [], provider: [], endpoint: [], status: [], cache: [], truncated: [], ...over,
});

describe('request log query', () => {
  it('asks the log for the chosen filters only, with the search text trimmed', () => {
    expect(listQuery(EMPTY_FILTER, 200)).toEqual({ limit: 200 });
    expect(listQuery({ model: 'sim-fast', provider: 'simulator', status: 'error', cache: 'miss', text: '  0190abc ' }, 50, 'r9')).toEqual({
      limit: 50, beforeId: 'r9', model: 'sim-fast', provider: 'simulator', status: 'error', cache: 'miss', text: '0190abc',
    });
  });

  it('counts blank search text as no filter', () => {
    expect(isFiltered(EMPTY_FILTER)).toBe(false);
    expect(isFiltered({ ...EMPTY_FILTER, text: '   ' })).toBe(false);
    expect(isFiltered({ ...EMPTY_FILTER, text: 'x' })).toBe(true);
    expect(isFiltered({ ...EMPTY_FILTER, status: 'ok' })).toBe(true);
  });
});

describe('live rows and the status filter', () => {
  const rows = [0, 200, 204, 304, 400, 404, 429, 499, 500, 502].map((status, i) => req(`r${i}`, i, { status }));
  const kept = (status: string) => rows.filter((r) => matchesFilter(r, { ...EMPTY_FILTER, status })).map((r) => r.status);

  it('keeps what the log would answer for a class, one code, ok and error', () => {
    expect(kept('2xx')).toEqual([200, 204]);
    expect(kept('4xx')).toEqual([400, 404, 429, 499]);
    expect(kept('429')).toEqual([429]);
    expect(kept('5xx')).toEqual([500, 502]);
    expect(kept('ok')).toEqual([200, 204, 304]);
    // a request that got no answer at all is an error
    expect(kept('error')).toEqual([0, 400, 404, 429, 499, 500, 502]);
    expect(kept('')).toHaveLength(rows.length);
    expect(kept('6xx')).toEqual([]);
  });
});

describe('filter menus', () => {
  it('offer a model the log holds though no row in view has it, and models asked for (aliases) too', () => {
    const rows = [req('a', 1, { model: 'sim-fast', requestedModel: 'fast' })];
    const menus = filterMenus(logValues({ model: ['sim-chat', 'used-an-hour-ago'], requestedModel: ['sim-chat'], provider: ['openai'] }), rows, EMPTY_FILTER);
    expect(menus.model).toEqual(['fast', 'sim-chat', 'sim-fast', 'used-an-hour-ago']);
    expect(menus.provider).toEqual(['openai', 'simulator']);
  });

  it('before the log answers (or when it cannot), offer what the rows hold, each once, sorted', () => {
    const rows = [req('a', 1, { model: 'b', requestedModel: 'b' }), req('b', 2, { model: 'a', requestedModel: 'a' }), req('c', 3, { model: 'b', requestedModel: '' })];
    expect(filterMenus(null, rows, EMPTY_FILTER).model).toEqual(['a', 'b']);
  });

  it('keep the chosen value listed when nothing holds it any more', () => {
    const menus = filterMenus(logValues(), [], { ...EMPTY_FILTER, model: 'gone', provider: 'old', cache: 'stale', status: '418' });
    expect(menus).toEqual({ model: ['gone'], provider: ['old'], cache: ['stale'], status: [418] });
    expect(filterMenus(logValues(), [], { ...EMPTY_FILTER, status: '5xx' }).status).toEqual([]);
  });

  it('list cache results in the cache’s order and status codes by number, without a status of 0', () => {
    const rows = [req('a', 1, { cache: 'stale', status: 0 }), req('b', 2, { cache: 'hit-memory', status: 503 })];
    const menus = filterMenus(logValues({ cache: ['bypass', 'miss'], status: [429, 200] }), rows, EMPTY_FILTER);
    expect(menus.cache).toEqual(['miss', 'hit-memory', 'stale', 'bypass']);
    expect(menus.status).toEqual([200, 429, 503]);
  });
});

describe('the log’s values with live arrivals', () => {
  it('adds what new rows bring, sorted, and leaves the values as they were when nothing is new', () => {
    const values = logValues({ model: ['b'], requestedModel: ['b'], provider: ['simulator'], endpoint: ['chat'], status: [200], cache: ['miss'] });
    expect(withRowValues(values, [req('x', 1, { model: 'b', requestedModel: 'b' })])).toBe(values);
    const next = withRowValues(values, [req('y', 2, { model: 'a', requestedModel: '', status: 429, cache: 'hit-disk' }), req('z', 3, { model: 'c', requestedModel: 'c', status: 500 })]);
    expect(next).toMatchObject({ model: ['a', 'b', 'c'], requestedModel: ['b', 'c'], status: [200, 429, 500], cache: ['hit-disk', 'miss'], provider: ['simulator'] });
    expect(values.model).toEqual(['b']);
  });
});
