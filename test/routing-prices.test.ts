// Price overrides on the free built-in providers: the simulator costs nothing by default, but a price
// set for one of its models is what its requests cost, so USD budgets can be tried against it.
import { afterEach, describe, expect, it } from 'vitest';
import type { CacheStatsView } from '../src/shared/cache.ts';
import { fastSimulator, lastLogged, postChat, startTestEngine, type TestEngine } from './helpers/test-engine.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

async function setup(): Promise<TestEngine> {
  const sluice = await startTestEngine({
    providers: [fastSimulator],
    config: {
      routing: { budgets: [{ id: 'sim-usd', scope: 'provider', match: 'simulator', period: 'day', unit: 'usd', limit: 0.001, onExhausted: 'refuse' }] },
    },
  });
  cleanups.push(() => sluice.stop());
  return sluice;
}

const chat = postChat;

async function lastCost(sluice: TestEngine): Promise<number> {
  return (await lastLogged(sluice)).costUsd;
}

describe('a price override for a simulator model', () => {
  it('prices its requests, and a USD budget runs out on them', async () => {
    const sluice = await setup();
    expect((await chat(sluice.url, 'simulator/sim-fast', 'free before the override')).status).toBe(200);
    expect(await lastCost(sluice)).toBe(0);

    const put = await sluice.admin('/admin/api/routing/prices', { method: 'PUT', body: JSON.stringify({ 'sim-fast': { input: 1000, output: 1000 } }) });
    expect(put.status).toBe(200);
    // a model without an override stays free
    expect((await chat(sluice.url, 'simulator/sim-chat', 'still free')).status).toBe(200);
    expect(await lastCost(sluice)).toBe(0);

    const res = await chat(sluice.url, 'simulator/sim-fast', 'priced now');
    expect(res.status).toBe(200);
    const { usage } = await res.json() as { usage: { prompt_tokens: number; completion_tokens: number } };
    expect(await lastCost(sluice)).toBeCloseTo((usage.prompt_tokens + usage.completion_tokens) * 1000 / 1_000_000, 9);

    const budgets = await (await sluice.admin('/admin/api/routing/budgets')).json() as Array<{ id: string; level: string }>;
    expect(budgets.find((b) => b.id === 'sim-usd')?.level).toBe('exhausted');
    expect((await chat(sluice.url, 'simulator/sim-fast', 'over budget')).status).toBe(429);
  });
});

describe('speech is counted in input characters', () => {
  it('prices a speech request by its characters, counts it in spend, and a cache hit saves that cost', async () => {
    const sluice = await setup();
    const put = await sluice.admin('/admin/api/routing/prices', { method: 'PUT', body: JSON.stringify({ 'sim-tts': { input: 15, output: 0 } }) });
    expect(put.status).toBe(200);
    const input = 'Hello there, 你好。';
    const speak = () => fetch(`${sluice.url}/v1/audio/speech`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'sim-tts', voice: 'alloy', input, response_format: 'wav' }),
    });
    const first = await speak();
    expect(first.status).toBe(200);
    await first.arrayBuffer();
    const chars = [...input].length;
    const logged = (await (await sluice.admin('/admin/api/requests?limit=1')).json() as Array<{ endpoint: string; promptTokens: number; completionTokens: number; costUsd: number }>)[0];
    expect(logged).toMatchObject({ endpoint: 'speech', promptTokens: chars, completionTokens: 0 });
    expect(logged.costUsd).toBeCloseTo((chars * 15) / 1_000_000, 12);
    const spend = (await (await sluice.admin('/admin/api/routing/spend?days=1')).json()) as Array<{ model: string; tokens: number; requests: number }>;
    expect(spend.find((d) => d.model === 'sim-tts')).toMatchObject({ tokens: chars, requests: 1 });

    const again = await speak();
    expect(again.headers.get('x-sluice-cache')).toBe('hit-memory');
    await again.arrayBuffer();
    expect(await lastCost(sluice)).toBe(0);
    const stats = (await (await sluice.admin('/admin/api/cache/stats')).json()) as CacheStatsView;
    expect(stats.saved.costUsd).toBeCloseTo((chars * 15) / 1_000_000, 12);
  });
});

describe('a price past the ceiling (a dollar a token)', () => {
  it('is refused wherever a price is set, naming it and the ceiling', async () => {
    const sluice = await setup();
    const huge = { input: 1e308, output: 1 };
    const prices = await sluice.admin('/admin/api/routing/prices', { method: 'PUT', body: JSON.stringify({ 'sim-fast': huge }) });
    expect(prices.status).toBe(400);
    expect(((await prices.json()) as { error: { message: string } }).error.message).toMatch(/prices\['sim-fast'\]: .*from 0 to 1000000/);
    const doc = ((await (await sluice.admin('/admin/api/routing')).json()) as { config: object; seq: number }).config;
    const routing = await sluice.admin('/admin/api/routing', { method: 'PUT', body: JSON.stringify({ ...doc, prices: { 'sim-chat': { input: 1, output: 2_000_000 } } }) });
    expect(routing.status).toBe(400);
    expect(((await routing.json()) as { error: { message: string } }).error.message).toMatch(/prices\['sim-chat'\]/);
    const provider = await sluice.admin('/admin/api/providers/sim2', { method: 'PUT', body: JSON.stringify({ type: 'simulator', prices: { 'sim-fast': huge } }) });
    expect(provider.status).toBe(400);
    expect(((await provider.json()) as { error: { message: string } }).error.message).toMatch(/provider\.prices\['sim-fast'\]: .*from 0 to 1000000/);
    // a dear but real price is still taken
    expect((await sluice.admin('/admin/api/routing/prices', { method: 'PUT', body: JSON.stringify({ 'sim-fast': { input: 150, output: 600 } }) })).status).toBe(200);
  });

  it('saved by an older build, with the Infinity spend it wrote, no longer leaves spend, budgets and metrics unreadable after a restart', async () => {
    const first = await startTestEngine({ providers: [fastSimulator], keepDataDir: true });
    const now = first.engine.deps.clock.now();
    // what an older build left: an override of 1e308 and the day's spend row its request made (+Infinity)
    const doc = ((await (await first.admin('/admin/api/routing')).json()) as { config: Record<string, unknown> }).config;
    const budgets = [{ id: 'b-usd', scope: 'provider', match: 'simulator', period: 'day', unit: 'usd', limit: 100, onExhausted: 'refuse' }];
    first.engine.settings.set('routing', { ...doc, budgets, prices: { 'sim-fast': { input: 1e308, output: 1 }, 'sim-chat': { input: 1, output: 2 } } }, now);
    first.engine.db.prepare('INSERT INTO spend (ts, provider, model, prompt_tokens, completion_tokens, cost_usd, requests) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(now, 'simulator', 'sim-fast', 1000, 500, Infinity, 1);
    await first.stop();

    const warnings: string[] = [];
    const logger = { debug() {}, info() {}, error() {}, warn: (msg: string) => { warnings.push(msg); } };
    const sluice = await startTestEngine({ providers: [fastSimulator], dataDir: first.dataDir, deps: { logger } });
    cleanups.push(() => sluice.stop());
    expect(warnings.some((w) => /1 spend row\(s\) .* not a number/.test(w))).toBe(true);
    expect(warnings.some((w) => /saved price of 'sim-fast' is past what Sluice takes/.test(w))).toBe(true);

    const spend = (await (await sluice.admin('/admin/api/routing/spend?days=1')).json()) as Array<{ model: string; usd: number | null; tokens: number }>;
    expect(spend.find((d) => d.model === 'sim-fast')).toMatchObject({ usd: 0, tokens: 1500 });
    const budget = ((await (await sluice.admin('/admin/api/routing/budgets')).json()) as Array<{ id: string; used: number | null; level: string }>).find((b) => b.id === 'b-usd');
    expect(budget).toMatchObject({ used: 0, level: 'ok' });

    // the rest of the saved document still serves; the dropped override no longer prices the model
    const prices = (await (await sluice.admin('/admin/api/routing/prices')).json()) as Array<{ model: string; output: number }>;
    expect(prices.find((p) => p.model === 'sim-chat')).toMatchObject({ output: 2 });
    expect(prices.find((p) => p.model === 'sim-fast')).toBeUndefined();
    expect((await chat(sluice.url, 'simulator/sim-fast', 'after the restart')).status).toBe(200);
    expect(await lastCost(sluice)).toBe(0);
    const metrics = await (await fetch(`${sluice.url}/metrics`)).text();
    expect(metrics).not.toMatch(/^sluice_spend_usd_total.* [+-]?Inf/m);
  });
});
