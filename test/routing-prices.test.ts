// Price overrides on the free built-in providers: the simulator costs nothing by default, but a price
// set for one of its models is what its requests cost, so USD budgets can be tried against it.
import { afterEach, describe, expect, it } from 'vitest';
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
