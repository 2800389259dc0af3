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
