// Alerts end to end against a real engine on a ManualClock: upstream errors open an anomaly alert
// that is listed, pushed on the event stream, acknowledged and resolved; a user rule fires; a loop
// of one prompt trips the runaway detector; engine events (breaker, cache rebuilt, budget) become
// alerts; the webhook receives the alert JSON and is retried after a 500; alerts left open when
// Sluice stops are settled at the next start.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/engine/clock.ts';
import type { Alert, AlertList, AlertRule } from '../src/shared/alerts.ts';
import { FakeUpstream, json } from './helpers/fake-upstream.ts';
import { startTestEngine, type TestEngine } from './helpers/test-engine.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

/** `dataDir`: run on this data dir and leave it in place (for a restart). */
async function setup(alerts: Record<string, unknown> = {}, opts: { dataDir?: string; startAt?: number } = {}) {
  const clock = new ManualClock(opts.startAt ?? Date.UTC(2026, 0, 1, 12));
  const fake = new FakeUpstream();
  await fake.start();
  cleanups.push(() => fake.stop());
  let failing = false;
  const realChat = fake.behaviours['POST /v1/chat/completions'];
  fake.on('POST /v1/chat/completions', (req, res) => {
    clock.advance(5);
    if (failing) return json(res, 500, { error: { message: 'upstream on fire', type: 'server_error' } });
    return realChat(req, res);
  });
  const sluice = await startTestEngine({
    providers: [{ id: 'up', type: 'openai-compatible', baseUrl: fake.url, models: ['m'] }],
    deps: { clock },
    // One attempt per request and no breaker in the way: each 500 reaches the client (and the metrics) as it is.
    config: { alerts, routing: { retry: { attemptsPerTarget: 1, maxAttempts: 1 }, breaker: { failureThreshold: 100_000 } } },
    dataDir: opts.dataDir, keepDataDir: opts.dataDir !== undefined,
  });
  let stopped: Promise<void> | null = null;
  const stop = () => (stopped ??= sluice.stop());
  cleanups.push(stop);
  let n = 0;
  const send = (count: number, content?: string, client = 'sk-app-1') => Promise.all(Array.from({ length: count }, () =>
    fetch(`${sluice.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store', authorization: `Bearer ${client}` },
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: content ?? `prompt ${n++}` }] }),
    }).then((r) => r.arrayBuffer())));
  /** `seconds` seconds of traffic, `perSecond` requests each. */
  const traffic = async (seconds: number, perSecond: number) => {
    for (let s = 0; s < seconds; s++) { await send(perSecond); clock.advance(1000); }
  };
  return { clock, fake, sluice, send, traffic, stop, fail: (f: boolean) => { failing = f; } };
}

async function list(sluice: TestEngine, status = 'all'): Promise<Alert[]> {
  const res = await sluice.admin(`/admin/api/alerts?status=${status}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as AlertList).alerts;
}

function openEvents(sluice: TestEngine): Array<{ type: string; [k: string]: any }> {
  const ctrl = new AbortController();
  const events: Array<{ type: string; [k: string]: any }> = [];
  void (async () => {
    const res = await sluice.admin('/admin/api/events', { signal: ctrl.signal });
    const dec = new TextDecoder();
    let buf = '';
    for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
      buf += dec.decode(chunk, { stream: true });
      let i: number;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const data = buf.slice(0, i).split('\n').find((l) => l.startsWith('data: '));
        buf = buf.slice(i + 2);
        if (data) events.push(JSON.parse(data.slice(6)));
      }
    }
  })().catch(() => {});
  cleanups.push(() => ctrl.abort());
  return events;
}

async function until(what: string, cond: () => boolean | Promise<boolean>, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const QUICK_DETECTORS = {
  minRequests: 3,
  detectors: { errorRate: { warmupSamples: 5, clearSamples: 3 }, 'latency.p95Ms': false, 'throughput.rps': false, 'cache.hitRate': false },
};

describe('anomaly alerts', () => {
  it('upstream 500s open an error-rate alert: listed, streamed, acknowledged, resolved when errors stop', async () => {
    const { sluice, traffic, fail } = await setup(QUICK_DETECTORS);
    const events = openEvents(sluice);
    await until('the event stream', () => events.some((e) => e.type === 'hello'));
    await traffic(8, 4);
    expect(await list(sluice, 'open')).toEqual([]);

    fail(true);
    await traffic(4, 4);
    const open = await list(sluice, 'open');
    const alert = open.find((a) => a.kind === 'anomaly' && a.key === 'errorRate');
    expect(alert, JSON.stringify(open)).toBeDefined();
    expect(alert!.severity).toBe('critical');
    expect(alert!.title).toBe('Error rate unusually high');
    await until('the opened event', () => events.some((e) => e.type === 'alert' && e.action === 'opened' && e.alert.id === alert!.id));

    const ack = await sluice.admin(`/admin/api/alerts/${alert!.id}/acknowledge`, { method: 'POST' });
    expect(ack.status).toBe(200);
    expect(((await ack.json()) as Alert).acknowledgedAt).not.toBeNull();
    await until('the acknowledged event', () => events.some((e) => e.type === 'alert' && e.action === 'acknowledged'));
    expect((await sluice.admin('/admin/api/alerts/nope/acknowledge', { method: 'POST' })).status).toBe(404);

    fail(false);
    await traffic(12, 4);
    const resolved = (await list(sluice, 'resolved')).find((a) => a.id === alert!.id);
    expect(resolved?.resolvedAt).not.toBeNull();
    expect(resolved?.acknowledgedAt).not.toBeNull();
    await until('the resolved event', () => events.some((e) => e.type === 'alert' && e.action === 'resolved' && e.alert.id === alert!.id));
    expect(await list(sluice, 'open')).toEqual([]);
  });
});

describe('user rules', () => {
  it('are validated with field paths, stored, and fire when their condition holds long enough', async () => {
    const { sluice, traffic, fail } = await setup({ minRequests: 3, detectors: { errorRate: false } });
    const bad = await sluice.admin('/admin/api/alert-rules', { method: 'POST', body: JSON.stringify({ id: 'x', metric: 'errorRate', comparator: '>', threshold: 50 }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain('rule.threshold');

    const rule = { id: 'errors', name: 'Too many errors', metric: 'errorRate', comparator: '>', threshold: 0.5, forSeconds: 2, severity: 'critical', enabled: true };
    const created = await sluice.admin('/admin/api/alert-rules', { method: 'POST', body: JSON.stringify(rule) });
    expect(created.status).toBe(200);
    expect(((await (await sluice.admin('/admin/api/alert-rules')).json()) as AlertRule[]).map((r) => r.id)).toEqual(['errors']);

    fail(true);
    await traffic(2, 4);
    expect((await list(sluice, 'open')).filter((a) => a.kind === 'rule')).toEqual([]); // not yet 2 s
    await traffic(2, 4);
    const fired = (await list(sluice, 'open')).find((a) => a.kind === 'rule' && a.key === 'errors');
    expect(fired?.title).toBe('Too many errors');
    expect(fired?.severity).toBe('critical');

    // Deleting the rule clears its alert at the next second.
    expect((await sluice.admin('/admin/api/alert-rules/errors', { method: 'DELETE' })).status).toBe(200);
    await traffic(1, 1);
    expect((await list(sluice, 'open')).filter((a) => a.kind === 'rule')).toEqual([]);
  });
});

describe('runaway loops', () => {
  it('one client repeating one prompt opens a runaway alert; varied prompts do not', async () => {
    const { sluice, send } = await setup({ runaway: { minRepeats: 8, windowSeconds: 10 } });
    for (let i = 0; i < 3; i++) await send(5);
    expect((await list(sluice)).filter((a) => a.kind === 'runaway')).toEqual([]);
    for (let i = 0; i < 8; i++) await send(1, 'please try again');
    const alerts = (await list(sluice, 'open')).filter((a) => a.kind === 'runaway');
    expect(alerts).toHaveLength(1);
    expect(alerts[0].figures.count).toBe(8);
    expect(alerts[0].title).toMatch(/^Possible runaway loop from /);
  });

  it('one client looping through many prompts in one burst raises one alert, resolved when it calms down', async () => {
    const { clock, sluice, send } = await setup({ runaway: { minRepeats: 8, windowSeconds: 10 } });
    for (let i = 0; i < 20; i++) await send(8, `loop prompt ${i}`);
    const open = (await list(sluice, 'open')).filter((a) => a.kind === 'runaway');
    expect(open, JSON.stringify(open)).toHaveLength(1);
    const client = open[0].figures.client;
    expect(open[0].title).toBe(`Possible runaway loop from ${client}`);
    expect(open[0].occurrences).toBe(20);
    expect(open[0].figures.prompts).toBe(20);
    expect(open[0].message).toMatch(/is repeating 20 prompts, the most repeated 8 times in 10 s/);

    clock.advance(15_000); // quiet for longer than the window
    expect((await list(sluice, 'open')).filter((a) => a.kind === 'runaway')).toEqual([]);
    const all = (await list(sluice)).filter((a) => a.kind === 'runaway');
    expect(all.map((a) => [a.id, a.resolvedAt !== null])).toEqual([[open[0].id, true]]);
  });
});

describe('restart', () => {
  it('closes the alerts its detectors can no longer track, saying so; a rule alert is judged again', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sluice-alerts-restart-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const rules = [{ id: 'errors', name: 'Errors', metric: 'errorRate', comparator: '>', threshold: 0.2, forSeconds: 0, severity: 'warning', enabled: true }];
    const config = { ...QUICK_DETECTORS, rules };

    const first = await setup(config, { dataDir });
    await first.traffic(8, 4);
    first.fail(true);
    await first.traffic(4, 4);
    first.fail(false);
    await first.send(40, 'please try again'); // the QA repro: 40 identical prompts, quickly
    expect((await list(first.sluice, 'open')).map((a) => a.kind).sort()).toEqual(['anomaly', 'rule', 'runaway']);
    const health = async (url: string) => (await (await fetch(`${url}/performance/health`)).json()) as { status: string; reasons: string[] };
    expect((await health(first.sluice.url)).reasons).toContain('1 critical alert(s) open'); // the error-rate anomaly
    await first.stop();

    const second = await setup(config, { dataDir, startAt: first.clock.now() + 60_000 });
    const closed = (await list(second.sluice, 'resolved')).filter((a) => a.kind !== 'rule');
    expect(closed.map((a) => a.kind).sort()).toEqual(['anomaly', 'runaway']);
    for (const a of closed) expect(a.figures.resolvedBy, a.kind).toBe('restart');
    expect((await list(second.sluice, 'open')).map((a) => a.kind)).toEqual(['rule']);
    expect(await health(second.sluice.url)).toMatchObject({ status: 'healthy', reasons: [] });

    // no traffic since the restart: the rule's window stays empty, and after one window it closes
    second.clock.advance(61_000);
    expect(await list(second.sluice, 'open')).toEqual([]);
    const detailed = (await (await fetch(`${second.sluice.url}/v1/health/detailed`)).json()) as { alerts: { open: number } };
    expect(detailed.alerts.open).toBe(0);
  });
});

describe('engine events', () => {
  it('breaker open/closed, a cache rebuild and a budget threshold become alerts', async () => {
    const { clock, sluice } = await setup();
    const e = sluice.engine;
    e.emit({ type: 'breaker', ts: clock.now(), target: 'up/m', state: 'open' });
    e.emit({ type: 'cache', ts: clock.now(), action: 'rebuilt', detail: { action: 'rebuilt', reason: 'file is not a database' } });
    e.emit({ type: 'budget', ts: clock.now(), budget: 'daily', level: 'threshold', detail: { usedUsd: 8, limitUsd: 10 } });
    const open = await list(sluice, 'open');
    expect(open.map((a) => a.kind).sort()).toEqual(['budget', 'cache-rebuilt', 'upstream-outage']);
    expect(open.find((a) => a.kind === 'upstream-outage')!.severity).toBe('critical');
    expect(open.find((a) => a.kind === 'cache-rebuilt')!.message).toContain('file is not a database');
    expect(open.find((a) => a.kind === 'budget')!.figures.usedUsd).toBe(8);

    e.emit({ type: 'breaker', ts: clock.now(), target: 'up/m', state: 'closed' });
    // the outage settles a minute after its breaker closed, in case the upstream fails again
    expect((await list(sluice, 'open')).map((a) => a.kind).sort()).toEqual(['budget', 'cache-rebuilt', 'upstream-outage']);
    clock.advance(11 * 60_000); // the outage settles; the rebuild notice closes by itself, and the budget one: no budget 'daily' is configured
    expect((await list(sluice, 'open')).map((a) => a.kind)).toEqual([]);
    const health = (await (await fetch(`${sluice.url}/v1/health/detailed`)).json()) as { alerts: { open: number } };
    expect(health.alerts.open).toBe(0);
  });

  it('a budget alert closes when its budget has room again or is gone, not a day later', async () => {
    const { clock, sluice, send } = await setup();
    const doc = async () => (await (await sluice.admin('/admin/api/routing')).json()) as { routing: Record<string, unknown> };
    const save = async (budgets: object[]) => {
      const current = (await doc()).routing;
      const res = await sluice.admin('/admin/api/routing', { method: 'PUT', body: JSON.stringify({ ...current, budgets }) });
      expect(res.status).toBe(200);
    };
    const tokens = (limit: number) => ({ id: 'tight', scope: 'provider', match: 'up', period: 'day', unit: 'tokens', limit, onExhausted: 'refuse' });
    await save([tokens(10)]);
    await send(2);
    clock.advance(1000);
    const open = (await list(sluice, 'open')).filter((a) => a.kind === 'budget');
    expect(open.map((a) => [a.key, a.severity])).toEqual([['tight', 'critical']]);
    // a higher limit: the budget has room again
    await save([tokens(1_000_000)]);
    clock.advance(1000);
    expect((await list(sluice, 'open')).filter((a) => a.kind === 'budget')).toEqual([]);
    // exhausted again, then removed
    await save([tokens(10)]);
    await send(1);
    clock.advance(1000);
    expect((await list(sluice, 'open')).filter((a) => a.kind === 'budget')).toHaveLength(1);
    await save([]);
    clock.advance(1000);
    expect((await list(sluice, 'open')).filter((a) => a.kind === 'budget')).toEqual([]);
  });
});

describe('budgets already past a mark', () => {
  const tokens = (limit: number) => ({ id: 'tight', scope: 'model', match: 'm', period: 'day', unit: 'tokens', limit, onExhausted: 'refuse' });
  const saveBudgets = async (sluice: TestEngine, budgets: object[]) => {
    const current = ((await (await sluice.admin('/admin/api/routing')).json()) as { routing: Record<string, unknown> }).routing;
    const res = await sluice.admin('/admin/api/routing', { method: 'PUT', body: JSON.stringify({ ...current, budgets }) });
    expect(res.status).toBe(200);
  };
  const chat = (sluice: TestEngine) => fetch(`${sluice.url}/v1/chat/completions`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
    body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'one more' }] }),
  });
  const budgetAlerts = async (sluice: TestEngine, status = 'all') => (await list(sluice, status)).filter((a) => a.kind === 'budget');

  it('a budget saved when the day\'s spend is already past its limit opens its critical alert at once, and once', async () => {
    // QA: 9,400 tokens already used on sim-chat, then a 3,000-token budget saved: requests got 429
    // budget_exceeded, and no "Budget … exhausted" alert ever opened
    const { sluice, send } = await setup();
    await send(3);
    await saveBudgets(sluice, [tokens(10)]);
    const open = await budgetAlerts(sluice, 'open');
    expect(open.map((a) => [a.key, a.severity, a.title])).toEqual([['tight', 'critical', 'Budget tight exhausted']]);
    expect(open[0].figures).toMatchObject({ level: 'exhausted', limit: 10, unit: 'tokens' });
    expect(Number(open[0].figures.used)).toBeGreaterThan(10);
    expect((await chat(sluice)).status).toBe(429);
    // saved again (another change to routing), and refused again: the same one alert, not raised again
    await saveBudgets(sluice, [tokens(10)]);
    expect((await chat(sluice)).status).toBe(429);
    expect((await budgetAlerts(sluice)).map((a) => [a.id, a.occurrences])).toEqual([[open[0].id, 1]]);
  });

  it('a $0 budget opens its critical alert when it is saved', async () => {
    const { sluice } = await setup();
    await saveBudgets(sluice, [{ id: 'budget-1', scope: 'provider', match: 'up', period: 'day', unit: 'usd', limit: 0, onExhausted: 'refuse' }]);
    expect((await budgetAlerts(sluice, 'open')).map((a) => [a.key, a.severity])).toEqual([['budget-1', 'critical']]);
    expect((await chat(sluice)).status).toBe(429);
  });

  it('at start, a budget already past a mark opens its alert, unless the last run left that alert open', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sluice-alerts-budget-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    // a run with alerts off spends past the budget it saves: nothing is raised then
    const first = await setup({ enabled: false }, { dataDir });
    await first.send(3);
    await saveBudgets(first.sluice, [tokens(10)]);
    expect(await budgetAlerts(first.sluice)).toEqual([]);
    await first.stop();

    const second = await setup({}, { dataDir, startAt: first.clock.now() + 60_000 });
    const open = await budgetAlerts(second.sluice, 'open');
    expect(open.map((a) => [a.key, a.severity])).toEqual([['tight', 'critical']]);
    await second.stop();

    // the next start finds that alert still open: it stays the one alert
    const third = await setup({}, { dataDir, startAt: second.clock.now() + 60_000 });
    expect((await budgetAlerts(third.sluice)).map((a) => [a.id, a.resolvedAt, a.occurrences])).toEqual([[open[0].id, null, 1]]);
  });
});

describe('webhook', () => {
  it('receives the alert JSON, retried after a 500, with the configured headers', async () => {
    const received: Array<{ body: any; headers: IncomingMessage['headers'] }> = [];
    let replies = [500, 200];
    const hook = createServer(async (req, res) => {
      let raw = '';
      for await (const c of req) raw += c;
      received.push({ body: JSON.parse(raw), headers: req.headers });
      res.writeHead(replies.shift() ?? 200).end();
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => hook.close(() => r())));
    const url = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
    const { clock, sluice } = await setup({ webhook: { baseDelayMs: 1000, maxAttempts: 3 } });

    const saved = await sluice.admin('/admin/api/alerts/settings', { method: 'PUT', body: JSON.stringify({ webhookUrl: url, webhookHeaders: { 'x-hook-secret': 's3' } }) });
    expect(saved.status).toBe(200);
    // the panel's desktop-notifications switch saves through the same route, and the setting sticks
    const desktopOff = await sluice.admin('/admin/api/alerts/settings', { method: 'PUT', body: JSON.stringify({ desktop: false }) });
    expect(desktopOff.status).toBe(200);
    expect(await (await sluice.admin('/admin/api/alerts/settings')).json()).toMatchObject({ desktop: false, webhookUrl: url });
    const badSettings = await sluice.admin('/admin/api/alerts/settings', { method: 'PUT', body: JSON.stringify({ webhookUrl: 'ftp://x' }) });
    expect(badSettings.status).toBe(400);
    expect(((await badSettings.json()) as { error: { message: string } }).error.message).toContain('settings.webhookUrl');

    sluice.engine.emit({ type: 'breaker', ts: clock.now(), target: 'up/m', state: 'open' });
    await until('the first attempt', () => received.length === 1);
    await until('the retry to be scheduled', () => { clock.advance(1000); return received.length === 2; });
    const { body, headers } = received[1];
    expect(body.type).toBe('sluice.alert');
    expect(body.action).toBe('opened');
    expect(body.alert.kind).toBe('upstream-outage');
    expect(body.alert.key).toBe('up/m');
    expect(headers['x-hook-secret']).toBe('s3');
    expect(received[0].body.alert.id).toBe(body.alert.id);

    // The test button sends regardless of the severity filter.
    replies = [200];
    const test = await sluice.admin('/admin/api/alerts/settings/test', { method: 'POST' });
    expect(((await test.json()) as { queued: boolean }).queued).toBe(true);
    await until('the test event', () => received.length === 3);
    expect(received[2].body.alert.kind).toBe('test');
  });

  it('rejects an invalid alerts config with the offending path', async () => {
    await expect(setup({ rules: [{ id: 'r', metric: 'nope', comparator: '>', threshold: 1 }] })).rejects.toThrow(/alerts\.rules\[0\]\.metric/);
  });
});
