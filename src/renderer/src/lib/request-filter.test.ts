import { describe, expect, it } from 'vitest';
import { req } from '../state/request-fixture.ts';
import { distinct, EMPTY_FILTER, isFiltered, listQuery } from './request-filter.ts';

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

describe('filter menus', () => {
  it('list each value once, sorted, and keep the chosen one when no row has it', () => {
    const rows = [req('a', 1, { model: 'b' }), req('b', 2, { model: 'a' }), req('c', 3, { model: 'b' })];
    expect(distinct(rows, 'model')).toEqual(['a', 'b']);
    expect(distinct(rows, 'model', 'gone')).toEqual(['a', 'b', 'gone']);
  });
});
