import { describe, expect, it } from 'vitest';
import { createAlertsStore } from './alerts-store.ts';
import { createEventRouter } from './event-router.ts';
import { createPanelStores } from './panel-stores.ts';
import { alert, snapshot } from './snapshot-fixture.ts';
import type { LiveSnapshot } from '../../../shared/metrics.ts';

describe('metrics slice', () => {
  it('keeps a bounded ring of live points fed by metrics events, newest last', () => {
    const stores = createPanelStores({ storage: null, systemLanguages: [], livePoints: 5 });
    const route = createEventRouter(stores);
    for (let i = 1; i <= 12; i++) route({ type: 'metrics', ts: i * 1000, snapshot: snapshot(i * 1000, { requestsPerSecond: i }) });
    const live = stores.metrics.getState().live;
    expect(live).toHaveLength(5);
    expect(live.map((p) => p.requestsPerSecond)).toEqual([8, 9, 10, 11, 12]);
    expect(stores.metrics.getState().latest?.ts).toBe(12_000);
  });

  it('does not add a point for a repeated second, and ignores malformed snapshots', () => {
    const stores = createPanelStores({ storage: null, systemLanguages: [] });
    const m = stores.metrics.getState();
    m.push(snapshot(2000));
    const before = stores.metrics.getState().live;
    m.push(snapshot(2000, { requestsPerSecond: 9 }));
    expect(stores.metrics.getState().live).toBe(before);
    expect(stores.metrics.getState().latest?.overall.requestsPerSecond).toBe(9);
    m.push({ ts: 3000 } as unknown as LiveSnapshot);
    expect(stores.metrics.getState().live).toHaveLength(1);
  });
});

describe('metrics slice backfill', () => {
  it('fills the live ring with the engine\'s recent samples before the points that came by event, within capacity', () => {
    const stores = createPanelStores({ storage: null, systemLanguages: [], livePoints: 5 });
    const m = stores.metrics.getState();
    // the stream opened at second 7 and 8 arrived before the recent samples did
    m.push(snapshot(7000, { requestsPerSecond: 70 }));
    m.push(snapshot(8000, { requestsPerSecond: 80 }));
    m.backfill([2, 3, 4, 5, 6, 7].map((i) => snapshot(i * 1000, { requestsPerSecond: i })));
    const live = stores.metrics.getState().live;
    expect(live.map((p) => p.ts)).toEqual([4000, 5000, 6000, 7000, 8000]);
    // a second held already keeps the event's figures
    expect(live.map((p) => p.requestsPerSecond)).toEqual([4, 5, 6, 70, 80]);
    m.push(snapshot(9000, { requestsPerSecond: 90 }));
    expect(stores.metrics.getState().live.map((p) => p.ts)).toEqual([5000, 6000, 7000, 8000, 9000]);
  });

  it('ignores an answer that is not a list of samples', () => {
    const stores = createPanelStores({ storage: null, systemLanguages: [] });
    const m = stores.metrics.getState();
    m.push(snapshot(1000));
    const before = stores.metrics.getState().live;
    m.backfill({} as never);
    m.backfill([{ ts: 5 } as never]);
    expect(stores.metrics.getState().live).toBe(before);
  });
});

describe('alerts slice', () => {
  it('upserts alerts from events and counts open and unacknowledged ones', () => {
    const stores = createPanelStores({ storage: null, systemLanguages: [] });
    const route = createEventRouter(stores);
    route({ type: 'alert', ts: 1, action: 'opened', alert: alert('a1', 1) });
    route({ type: 'alert', ts: 2, action: 'opened', alert: alert('a2', 2) });
    expect(stores.alerts.getState().alerts.map((a) => a.id)).toEqual(['a2', 'a1']);
    expect(stores.alerts.getState().unacknowledged).toBe(2);
    route({ type: 'alert', ts: 3, action: 'acknowledged', alert: alert('a1', 1, { acknowledgedAt: 3 }) });
    expect(stores.alerts.getState().open).toBe(2);
    expect(stores.alerts.getState().unacknowledged).toBe(1);
    route({ type: 'alert', ts: 4, action: 'resolved', alert: alert('a2', 2, { resolvedAt: 4 }) });
    expect(stores.alerts.getState().open).toBe(1);
    expect(stores.alerts.getState().alerts).toHaveLength(2);
  });

  it('stays bounded when loaded from the list route', () => {
    const s = createAlertsStore(2);
    s.getState().setList({ alerts: [alert('x', 1), alert('y', 3), alert('z', 2)], open: 3 });
    expect(s.getState().alerts.map((a) => a.id)).toEqual(['y', 'z']);
    expect(() => createAlertsStore(0)).toThrow(/capacity/);
  });
});

describe('cache and routing slices', () => {
  it('bump revisions on cache and routing events and record breaker and budget states', () => {
    const stores = createPanelStores({ storage: null, systemLanguages: [] });
    const route = createEventRouter(stores);
    route({ type: 'cache', ts: 1, action: 'cleared', detail: { filter: {}, result: { deleted: 3, memory: 3, disk: 2 } } });
    expect(stores.cache.getState().revision).toBe(1);
    expect(stores.cache.getState().lastChange).toMatchObject({ action: 'cleared', result: { deleted: 3 } });
    route({ type: 'breaker', ts: 2, target: 'openai/gpt-4o', state: 'open' });
    expect(stores.routing.getState().breakers['openai/gpt-4o']).toEqual({ state: 'open', ts: 2 });
    route({ type: 'budget', ts: 3, budget: 'daily', level: 'threshold', detail: null });
    expect(stores.routing.getState().budgets.daily.level).toBe('threshold');
    route({ type: 'routing', ts: 4, action: 'saved', detail: null });
    expect(stores.routing.getState().revision).toBe(1);
  });
});
