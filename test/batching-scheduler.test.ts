// The per-provider scheduler, adaptive limit and client limits through a real Sluice: priorities,
// no starvation, queue timeout, client rate limits, and the limit falling on 429s. ManualClock:
// queue timeouts and aging move only when the test says so.
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/engine/clock.ts';
import type { SchedulingStatsView } from '../src/shared/scheduling.ts';
import { chatCompletion, FakeUpstream, json } from './helpers/fake-upstream.ts';
import { startTestEngine, type TestEngine } from './helpers/test-engine.ts';
import { until } from './helpers/waiting.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

async function setup(opts: { maxConnections?: number; scheduling?: object } = {}) {
  const fake = new FakeUpstream();
  const gates: Array<() => void> = [];
  let gated = true;
  fake.on('POST /v1/chat/completions', async (req, res) => {
    if (gated) await new Promise<void>((r) => gates.push(r));
    json(res, 200, chatCompletion(String(req.body.model), `answer to ${req.body.messages.at(-1).content}`));
  });
  const upstream = await fake.start();
  cleanups.push(() => fake.stop());
  const clock = new ManualClock();
  const sluice = await startTestEngine({
    providers: [{ id: 'up', type: 'openai-compatible', baseUrl: upstream, models: ['m'], maxConnections: opts.maxConnections }],
    config: { scheduling: opts.scheduling ?? {} },
    deps: { clock },
  });
  cleanups.push(() => sluice.stop());
  const gate = { waiting: () => gates.length, releaseOne: () => gates.shift()?.(), open: () => { gated = false; for (const g of gates.splice(0)) g(); } };
  return { fake, sluice, clock, gate };
}

const chat = (sluice: TestEngine, content: string, headers: Record<string, string> = {}) => fetch(`${sluice.url}/v1/chat/completions`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
  body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content }] }),
});

async function stats(sluice: TestEngine): Promise<SchedulingStatsView> {
  return (await (await sluice.admin('/admin/api/scheduling/stats')).json()) as SchedulingStatsView;
}

const queued = async (sluice: TestEngine) => {
  const p = (await stats(sluice)).providers.find((x) => x.provider === 'up');
  return p ? p.queued.high + p.queued.normal + p.queued.low : 0;
};

const order = (fake: FakeUpstream) => fake.calls('POST /v1/chat/completions').map((c) => c.body.messages.at(-1).content as string);

describe('the provider scheduler through Sluice', () => {
  it('with a limit of 1, high-priority requests queued later are served before low ones, and low ones still are', async () => {
    const { fake, sluice, gate } = await setup({ maxConnections: 1 });
    const blocker = chat(sluice, 'blocker');
    await until(() => gate.waiting() === 1, 'the first call');
    const all = [blocker];
    const send = async (name: string, priority: string) => {
      all.push(chat(sluice, name, { 'x-sluice-priority': priority }));
      const n = all.length - 1;
      await until(async () => (await queued(sluice)) === n, `${name} to queue`);
    };
    await send('low-1', 'low');
    await send('low-2', 'low');
    await send('high-1', 'high');
    await send('high-2', 'high');
    const s = (await stats(sluice)).providers.find((p) => p.provider === 'up')!;
    expect(s).toMatchObject({ limit: 1, inFlight: 1, queued: { high: 2, normal: 0, low: 2 } });
    gate.open();
    const answers = await Promise.all(all);
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(order(fake)).toEqual(['blocker', 'high-1', 'high-2', 'low-1', 'low-2']);
  });

  it('a low-priority request that has waited long enough goes before fresh high ones (no starvation)', async () => {
    const { fake, sluice, gate, clock } = await setup({ maxConnections: 1, scheduling: { scheduler: { agingMs: 1_000, queueTimeoutMs: 60_000 } } });
    const all = [chat(sluice, 'blocker')];
    await until(() => gate.waiting() === 1, 'the first call');
    all.push(chat(sluice, 'old-low', { 'x-sluice-priority': 'low' }));
    await until(async () => (await queued(sluice)) === 1, 'the low request to queue');
    clock.advance(5_000); // waited five aging steps: it now outranks a fresh high request
    all.push(chat(sluice, 'new-high', { 'x-sluice-priority': 'high' }));
    await until(async () => (await queued(sluice)) === 2, 'the high request to queue');
    gate.open();
    expect((await Promise.all(all)).map((r) => r.status)).toEqual([200, 200, 200]);
    expect(order(fake)).toEqual(['blocker', 'old-low', 'new-high']);
  });

  it('a request that waits past the queue timeout gets a 503 with Retry-After', async () => {
    const { sluice, gate, clock } = await setup({ maxConnections: 1, scheduling: { scheduler: { queueTimeoutMs: 2_000 } } });
    const blocker = chat(sluice, 'blocker');
    await until(() => gate.waiting() === 1, 'the first call');
    const late = chat(sluice, 'late');
    await until(async () => (await queued(sluice)) === 1, 'the second request to queue');
    clock.advance(2_001);
    const res = await late;
    expect(res.status).toBe(503);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const body = (await res.json()) as { error: { code: string; type: string } };
    expect(body.error.code).toBe('queue_timeout');
    expect(await queued(sluice)).toBe(0);
    gate.open();
    expect((await blocker).status).toBe(200);
  });

  it('a client over its requests-per-minute limit gets a 429 with Retry-After; other clients do not', async () => {
    const { sluice, gate } = await setup({ scheduling: { clientLimits: { enabled: true, default: {}, rules: [{ client: 'app:*', requestsPerMinute: 2 }] } } });
    gate.open();
    const as = (client: string) => chat(sluice, 'hi', { 'x-sluice-client': client });
    expect((await as('app:notes')).status).toBe(200);
    expect((await as('app:notes')).status).toBe(200);
    const refused = await as('app:notes');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(20);
    const body = (await refused.json()) as { error: { code: string; type: string; message: string } };
    expect(body.error).toMatchObject({ type: 'rate_limit_error', code: 'client_rate_limited' });
    expect(body.error.message).toContain('2 requests per minute');
    expect((await as('other')).status).toBe(200);
    expect((await stats(sluice)).clientLimited).toBe(1);
  });

  it('client limits can be read and changed from the admin API, and apply at once', async () => {
    const { sluice, gate } = await setup();
    gate.open();
    expect(await (await sluice.admin('/admin/api/scheduling/client-limits')).json()).toEqual({ enabled: false, default: {}, rules: [] });
    const bad = await sluice.admin('/admin/api/scheduling/client-limits', { method: 'PUT', body: JSON.stringify({ enabled: true, default: { requestsPerMinute: -1 }, rules: [] }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain('clientLimits.default.requestsPerMinute');
    const put = await sluice.admin('/admin/api/scheduling/client-limits', { method: 'PUT', body: JSON.stringify({ enabled: true, default: { requestsPerMinute: 1 }, rules: [] }) });
    expect(put.status).toBe(200);
    expect((await chat(sluice, 'one')).status).toBe(200);
    expect((await chat(sluice, 'two')).status).toBe(429);
  });

  it('the adaptive limit falls when the provider answers 429, as the admin stats show', async () => {
    const { fake, sluice, gate } = await setup({ scheduling: { limiter: { initialLimit: 10, maxLimit: 20 } } });
    gate.open();
    expect((await chat(sluice, 'fine')).status).toBe(200);
    const before = (await stats(sluice)).providers.find((p) => p.provider === 'up')!;
    expect(before.limit).toBe(10);
    fake.on('POST /v1/chat/completions', (_req, res) => json(res, 429, { error: { message: 'slow down' } }));
    for (let i = 0; i < 3; i++) expect((await chat(sluice, `busy ${i}`)).status).toBe(429);
    const after = (await stats(sluice)).providers.find((p) => p.provider === 'up')!;
    expect(after.limit).toBeLessThan(10);
    expect(after.decreases).toBeGreaterThanOrEqual(1);
  });

  it('refuses an invalid scheduling section at start, naming the field', async () => {
    await expect(startTestEngine({ config: { scheduling: { limiter: { backoffRatio: 1.5 } } } })).rejects.toThrow('scheduling.limiter.backoffRatio');
  });
});
