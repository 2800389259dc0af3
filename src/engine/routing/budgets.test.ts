import { describe, expect, it } from 'vitest';
import type { BudgetConfig } from '../../shared/routing.ts';
import { ManualClock } from '../clock.ts';
import { BudgetTracker, windowOf, type BudgetEvent, type SpendEvent } from './budgets.ts';

const spend = (over: Partial<SpendEvent> = {}): SpendEvent => ({ provider: 'openai', model: 'gpt-4o', alias: null, tags: [], usd: 1, tokens: 100, ...over });
const budget = (over: Partial<BudgetConfig> = {}): BudgetConfig => ({ id: 'b', scope: 'provider', match: 'openai', period: 'day', unit: 'usd', limit: 10, onExhausted: 'refuse', ...over });

function setup(budgets: BudgetConfig[], load?: ConstructorParameters<typeof BudgetTracker>[0]['load']) {
  const clock = new ManualClock(Date.UTC(2026, 2, 15, 10, 0, 0));
  const events: BudgetEvent[] = [];
  const tracker = new BudgetTracker({ clock, budgets, onEvent: (e) => events.push(e), load });
  return { clock, events, tracker };
}

describe('BudgetTracker', () => {
  it('counts a spend that is not a number as nothing, so a USD budget stays readable', () => {
    const { tracker } = setup([budget()]);
    tracker.record(spend({ usd: 2 }));
    tracker.record(spend({ usd: Infinity }));
    tracker.record(spend({ usd: Number.NaN }));
    expect(tracker.status('b')).toMatchObject({ used: 2, level: 'ok' });
  });

  it('raises one threshold event at 80 % and one exhausted event at the limit', () => {
    const { tracker, events } = setup([budget()]);
    for (let i = 0; i < 7; i++) tracker.record(spend());
    expect(events).toEqual([]);
    expect(tracker.status('b')?.level).toBe('ok');
    tracker.record(spend());
    expect(events.map((e) => e.level)).toEqual(['threshold']);
    expect(tracker.status('b')).toMatchObject({ used: 8, fraction: 0.8, level: 'threshold' });
    tracker.record(spend());
    expect(tracker.isExhausted('b')).toBe(false);
    tracker.record(spend());
    tracker.record(spend());
    expect(tracker.isExhausted('b')).toBe(true);
    expect(events.map((e) => e.level)).toEqual(['threshold', 'exhausted']);
  });

  it('counts only matching spend, by provider, model, alias or tag, in USD or tokens', () => {
    const { tracker } = setup([
      budget({ id: 'prov' }),
      budget({ id: 'model', scope: 'model', match: 'gpt-4o-mini', unit: 'tokens', limit: 1000 }),
      budget({ id: 'alias', scope: 'alias', match: 'smart' }),
      budget({ id: 'tag', scope: 'tag', match: 'team-a', unit: 'tokens', limit: 150 }),
    ]);
    tracker.record(spend({ provider: 'anthropic', model: 'claude', alias: 'smart', tags: ['team-a'], usd: 2, tokens: 100 }));
    tracker.record(spend({ model: 'gpt-4o-mini', tokens: 300 }));
    expect(tracker.status('prov')?.used).toBe(1);
    expect(tracker.status('model')?.used).toBe(300);
    expect(tracker.status('alias')?.used).toBe(2);
    expect(tracker.status('tag')?.used).toBe(100);
    tracker.record(spend({ tags: ['team-a'], tokens: 60 }));
    expect(tracker.isExhausted('tag')).toBe(true);
  });

  it('starts a new window at UTC midnight (day) and on the 1st (month)', () => {
    const { tracker, clock, events } = setup([budget({ limit: 1 }), budget({ id: 'm', period: 'month', limit: 100 })]);
    tracker.record(spend());
    expect(tracker.isExhausted('b')).toBe(true);
    clock.setWallClock(Date.UTC(2026, 2, 16, 0, 0, 0));
    expect(tracker.isExhausted('b')).toBe(false);
    expect(tracker.status('m')?.used).toBe(1);
    tracker.record(spend());
    expect(events.filter((e) => e.level === 'exhausted')).toHaveLength(2);
    clock.setWallClock(Date.UTC(2026, 3, 1, 0, 0, 1));
    expect(tracker.status('m')?.used).toBe(0);
    expect(tracker.status('m')?.resetsAt).toBe(Date.UTC(2026, 4, 1));
  });

  it('resumes from stored spend after a restart, saying once at start that it is past its threshold', () => {
    const calls: Array<[string, number, number]> = [];
    const { tracker, events } = setup([budget()], (b, start, end) => { calls.push([b.id, start, end]); return { usd: 9, tokens: 0 }; });
    expect(calls).toEqual([['b', Date.UTC(2026, 2, 15), Date.UTC(2026, 2, 16)]]);
    expect(tracker.status('b')?.level).toBe('threshold');
    expect(events.map((e) => e.level)).toEqual(['threshold']);
    tracker.configure([budget()]); // saved again unchanged: nothing new
    tracker.record(spend());
    expect(tracker.isExhausted('b')).toBe(true);
    expect(events.map((e) => e.level)).toEqual(['threshold', 'exhausted']);
  });

  it('a budget saved when today\'s spend is already past its limit says it is exhausted at once, once', () => {
    // QA: 9,400 tokens already used on the model, then a 3,000-token budget saved: requests were
    // refused with 429 budget_exceeded, and no alert ever opened
    const { tracker, events } = setup([], () => ({ usd: 0, tokens: 9400 }));
    const capped = budget({ id: 'cap', scope: 'model', match: 'sim-chat', unit: 'tokens', limit: 3000 });
    tracker.configure([capped]);
    expect(events).toEqual([{ budget: 'cap', level: 'exhausted', used: 9400, limit: 3000, unit: 'tokens', windowStart: Date.UTC(2026, 2, 15), resetsAt: Date.UTC(2026, 2, 16) }]);
    expect(tracker.isExhausted('cap')).toBe(true);
    tracker.configure([capped]);
    tracker.record(spend({ model: 'sim-chat', tokens: 10 }));
    expect(events).toHaveLength(1);
    // a $0 budget is used up from the start: nothing it covers goes upstream, so nothing would cross it later
    tracker.configure([capped, budget({ id: 'zero', limit: 0 })]);
    expect(events.map((e) => [e.budget, e.level])).toEqual([['cap', 'exhausted'], ['zero', 'exhausted']]);
    // a disabled budget says nothing; turned on, it does
    tracker.configure([budget({ id: 'later', scope: 'model', match: 'sim-chat', unit: 'tokens', limit: 100, enabled: false })]);
    expect(events).toHaveLength(2);
    tracker.configure([budget({ id: 'later', scope: 'model', match: 'sim-chat', unit: 'tokens', limit: 100 })]);
    expect(events.map((e) => e.budget)).toEqual(['cap', 'zero', 'later']);
  });

  it('a limit lowered under what a window already holds says so at once, even when it was past a mark before', () => {
    const { tracker, events } = setup([budget({ limit: 100 })], () => ({ usd: 90, tokens: 0 }));
    expect(events.map((e) => e.level)).toEqual(['threshold']);
    tracker.configure([budget({ limit: 50 })]);
    expect(events.map((e) => e.level)).toEqual(['threshold', 'exhausted']);
    tracker.configure([budget({ limit: 40 })]);
    expect(events).toHaveLength(2);
  });

  it('marks(): the level each enabled budget is past now, for a listener that starts late', () => {
    const { tracker } = setup([
      budget({ id: 'over', limit: 5 }), budget({ id: 'near', limit: 10 }), budget({ id: 'fine', limit: 100 }), budget({ id: 'off', limit: 1, enabled: false }),
    ], () => ({ usd: 8, tokens: 0 }));
    expect(tracker.marks().map((m) => [m.budget, m.level, m.used])).toEqual([['over', 'exhausted', 8], ['near', 'threshold', 8]]);
  });

  it('keeps counting across a reconfigure that keeps the budget; refuses duplicates', () => {
    const { tracker } = setup([budget()]);
    tracker.record(spend({ usd: 5 }));
    tracker.configure([budget({ limit: 5 })]);
    expect(tracker.isExhausted('b')).toBe(true);
    expect(() => tracker.configure([budget(), budget()])).toThrow(/duplicate/);
    tracker.configure([budget({ enabled: false })]);
    expect(tracker.isExhausted('b')).toBe(false);
  });

  it('counts what requests on their way reserved: exhausted once spent plus reserved reach the limit, free again when given back', () => {
    const { tracker, clock } = setup([budget({ limit: 10 })]);
    tracker.record(spend({ usd: 4 }));
    const a = tracker.reserve(spend({ usd: 3 }));
    expect(tracker.isExhausted('b')).toBe(false);
    const b = tracker.reserve(spend({ usd: 3 }));
    expect(tracker.isExhausted('b')).toBe(true);
    // the status shows what was spent, and apart from it what is reserved
    expect(tracker.status('b')).toMatchObject({ used: 4, reserved: 6, level: 'ok' });
    a();
    a(); // given back once only
    expect(tracker.isExhausted('b')).toBe(false);
    // a reconfigure that keeps the budget keeps the reservation, and its release still lands
    tracker.configure([budget({ limit: 10, threshold: 0.9 })]);
    expect(tracker.reserve(spend({ usd: 3 }))).toBeTypeOf('function');
    expect(tracker.isExhausted('b')).toBe(true);
    b();
    expect(tracker.isExhausted('b')).toBe(false);
    // a reservation that outlives its window does not touch the next one
    const late = tracker.reserve(spend({ usd: 9 }));
    clock.advance(Date.UTC(2026, 2, 16, 0, 0, 1) - clock.now());
    expect(tracker.isExhausted('b')).toBe(false);
    const fresh = tracker.reserve(spend({ usd: 7 }));
    late();
    expect(tracker.reserve(spend({ usd: 3 })) && tracker.isExhausted('b')).toBe(true);
    fresh();
    // spend that matches no budget reserves nothing
    expect(() => tracker.reserve(spend({ provider: 'other' }))()).not.toThrow();
  });

  it('windowOf gives UTC day and month bounds', () => {
    const t = Date.UTC(2026, 1, 28, 23, 59);
    expect(windowOf('day', t)).toEqual({ start: Date.UTC(2026, 1, 28), end: Date.UTC(2026, 2, 1) });
    expect(windowOf('month', t)).toEqual({ start: Date.UTC(2026, 1, 1), end: Date.UTC(2026, 2, 1) });
  });
});
