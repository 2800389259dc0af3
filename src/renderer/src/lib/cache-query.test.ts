import { describe, expect, it } from 'vitest';
import { clearChoiceProblem, clearRequest, EMPTY_CACHE_FILTER, entriesQuery, exactNameFor, pageSpan } from './cache-query.ts';

describe('cache browser query', () => {
  it('sends only the filters that are set, with age presets in seconds', () => {
    expect(entriesQuery(EMPTY_CACHE_FILTER, 0, 25)).toEqual({ offset: 0, limit: 25 });
    expect(entriesQuery({ text: '  weather ', model: 'sim-chat', namespace: '', endpoint: 'chat', age: 'older24h' }, 50, 25))
      .toEqual({ offset: 50, limit: 25, text: 'weather', model: 'sim-chat', endpoint: 'chat', olderThanSeconds: 86_400 });
    expect(entriesQuery({ ...EMPTY_CACHE_FILTER, age: 'newer1h' }, 0, 10).newerThanSeconds).toBe(3600);
  });

  it('builds a clear request only when the choice is complete', () => {
    const base = { scope: 'all' as const, model: '', namespace: '', hours: '' };
    expect(clearRequest(base)).toEqual({});
    expect(clearRequest({ ...base, scope: 'model' })).toBeNull();
    expect(clearChoiceProblem({ ...base, scope: 'model' })).toBe('needValue');
    expect(clearChoiceProblem({ ...base, scope: 'age', hours: '-2' })).toBe('badHours');
    expect(clearChoiceProblem({ ...base, scope: 'age', hours: '1e9' })).toBe('badHours');
    expect(clearChoiceProblem({ ...base, scope: 'age', hours: '24' })).toBeNull();
    expect(clearRequest({ ...base, scope: 'model', model: ' gpt-4o ' })).toEqual({ model: 'gpt-4o' });
    expect(clearRequest({ ...base, scope: 'namespace', namespace: 'team-a' })).toEqual({ namespace: 'team-a' });
    expect(clearRequest({ ...base, scope: 'age', hours: '1.5' })).toEqual({ olderThanSeconds: 5400 });
    expect(clearRequest({ ...base, scope: 'age', hours: '-1' })).toBeNull();
    expect(clearRequest({ ...base, scope: 'age', hours: 'soon' })).toBeNull();
  });

  it('describes the rows shown', () => {
    expect(pageSpan(20, 20, 95)).toEqual({ from: 21, to: 40, total: 95 });
    expect(pageSpan(0, 0, 0)).toEqual({ from: 0, to: 0, total: 0 });
  });
});

describe('exactNameFor (the exact Model and Namespace filters)', () => {
  it('offers the known name a partial one is part of, shortest first', () => {
    expect(exactNameFor('fake', ['backup-chat', 'fake-chat-long', 'fake-chat'])).toBe('fake-chat');
    expect(exactNameFor('PROJ', ['projB', 'projA'])).toBe('projA');
    expect(exactNameFor(' chat ', ['sim-chat'])).toBe('sim-chat');
  });

  it('offers nothing for an empty, a complete or an unknown name', () => {
    expect(exactNameFor('', ['fake-chat'])).toBeNull();
    expect(exactNameFor('fake-chat', ['fake-chat'])).toBeNull();
    expect(exactNameFor('nope', ['fake-chat', 'projA'])).toBeNull();
  });
});
