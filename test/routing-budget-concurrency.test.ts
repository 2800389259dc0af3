// Many requests sent at once against a budget with room for a few: each request reserves what it is
// expected to spend when it is routed, so the others see it, and the budget ends near its limit
// instead of far above it (a QA run with 50 concurrent requests ended at 229 %). Near, not at: the
// reservation is an estimate (the prompt, and the completion this model's answers usually have).
import { afterEach, describe, expect, it } from 'vitest';
import type { BudgetStatusView } from '../src/shared/routing.ts';
import { postChat, startTestEngine, type TestEngine } from './helpers/test-engine.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

async function setup(limit: number): Promise<TestEngine> {
  const sluice = await startTestEngine({
    // a simulator slow enough (about 100 ms an answer) for fifty requests to be on their way together
    providers: [{ id: 'simulator', type: 'simulator', label: 'Simulator', source: 'builtin', options: { ttftMs: 100, tokensPerSecond: 100_000, failureRate: 0, extraLatencyMs: 0 } }],
    config: {
      cache: { mode: 'off' },
      routing: { budgets: [{ id: 'day-tokens', scope: 'model', match: 'sim-chat', period: 'day', unit: 'tokens', limit, onExhausted: 'refuse' }] },
    },
  });
  cleanups.push(() => sluice.stop());
  return sluice;
}

const used = async (sluice: TestEngine) =>
  ((await (await sluice.admin('/admin/api/routing/budgets')).json()) as BudgetStatusView[]).find((b) => b.id === 'day-tokens')!.used;

describe('a budget under concurrent requests', () => {
  it('ends near its limit: requests routed together see what the others reserved', async () => {
    const sluice = await setup(1_000);
    // a few answers first, so Sluice knows how long this model's answers usually are
    for (let i = 0; i < 3; i++) expect((await postChat(sluice.url, 'sim-chat', `warm-up ${i}`)).status).toBe(200);
    const before = await used(sluice);
    const perRequest = before / 3;
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => postChat(sluice.url, 'sim-chat', `at once ${i}`)));
    const statuses = answers.map((r) => r.status);
    await Promise.all(answers.map((r) => r.arrayBuffer()));
    const ok = statuses.filter((s) => s === 200).length;
    expect(statuses.filter((s) => s !== 200 && s !== 429)).toEqual([]);
    expect(ok).toBeGreaterThan(0);
    // without reservations all fifty passed, and the budget ended at about 2.4 times its limit; what is
    // left is the error of the estimates (answers differ in length from the ones seen before)
    expect(ok).toBeLessThan(30);
    const after = await used(sluice);
    expect(after).toBeLessThan(1.6 * 1_000);
    // and once they are done, what was reserved is free again: the room left can still be spent
    if (after < 1_000 - 2 * perRequest) expect((await postChat(sluice.url, 'sim-chat', 'afterwards')).status).toBe(200);
  });

  it('holds on a fresh start too, before any answer of the model has been seen', async () => {
    const sluice = await setup(1_000);
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => postChat(sluice.url, 'sim-chat', `first burst ${i}`)));
    await Promise.all(answers.map((r) => r.arrayBuffer()));
    const ok = answers.filter((r) => r.status === 200).length;
    expect(ok).toBeGreaterThan(0);
    expect(ok).toBeLessThan(30);
    expect(await used(sluice)).toBeLessThan(1.6 * 1_000);
  });
});
