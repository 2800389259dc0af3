import { describe, expect, it } from 'vitest';
import type { LoadTestResult } from '../../../shared/loadtest.ts';
import type { RequestSummary } from '../../../shared/events.ts';
import { createEventRouter } from './event-router.ts';
import { createPanelStores } from './panel-stores.ts';
import { req } from './request-fixture.ts';

describe('event router', () => {
  it('turns stream events into store updates', () => {
    const stores = createPanelStores({ storage: null, systemLanguages: ['en-US'], requestBuffer: 3 });
    let hellos = 0;
    const route = createEventRouter(stores, { onHello: () => { hellos += 1; } });
    route({ type: 'hello', ts: 1, version: '0.1.0' });
    expect(hellos).toBe(1);
    for (let i = 1; i <= 5; i++) route({ type: 'request', ts: i, request: req(`r${i}`, i) });
    expect(stores.requests.getState().items.map((r) => r.id)).toEqual(['r5', 'r4', 'r3']);
    expect(stores.requests.getState().seen).toBe(5);
    route({ type: 'engine', ts: 6, state: 'paused' });
    expect(stores.connection.getState().engine).toBe('paused');
    route({ type: 'config', ts: 7, section: 'providers' });
    expect(stores.settings.getState().revision.providers).toBe(1);
    expect(stores.connection.getState().lastEventAt).toBe(7);
  });

  it('follows a load test from start through progress to its result', () => {
    const stores = createPanelStores({ storage: null, systemLanguages: [] });
    const route = createEventRouter(stores);
    route({ type: 'loadtest', ts: 1, detail: { id: 'lt1', state: 'running' } });
    expect(stores.loadTests.getState().live).toEqual({ id: 'lt1', progress: null });
    route({ type: 'loadtest', ts: 2, detail: { id: 'lt1', state: 'running', done: 10, total: 40, elapsedMs: 500, durationMs: null, requestsPerSecond: 20 } });
    expect(stores.loadTests.getState().live?.progress?.done).toBe(10);
    const result = { id: 'lt1', name: 'run', state: 'done', requests: 40 } as unknown as LoadTestResult;
    route({ type: 'loadtest', ts: 3, detail: { id: 'lt1', state: 'done', result } });
    expect(stores.loadTests.getState().live).toBeNull();
    expect(stores.loadTests.getState().runs.map((r) => r.id)).toEqual(['lt1']);
  });

  it('ignores malformed payloads instead of corrupting state', () => {
    const stores = createPanelStores({ storage: null, systemLanguages: [] });
    const route = createEventRouter(stores);
    route({ type: 'request', ts: 1, request: null as unknown as RequestSummary });
    route({ type: 'loadtest', ts: 1, detail: 'nonsense' as unknown as { id: string; state: 'running' } });
    expect(stores.requests.getState().items).toEqual([]);
    expect(stores.loadTests.getState().live).toBeNull();
  });
});
