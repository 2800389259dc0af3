// An exhausted budget that refuses stops spending, not answers that cost nothing: with the budget spent,
// a request the cache can answer (fresh, or stale) is served, and so is one that shares an identical
// request already in flight; only a request that would go upstream gets the 429.
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerResponse } from 'node:http';
import { ManualClock } from '../src/engine/clock.ts';
import type { RoutingConfig } from '../src/shared/routing.ts';
import { chatCompletion, FakeUpstream, json } from './helpers/fake-upstream.ts';
import { fastSimulator, startTestEngine, type TestEngine } from './helpers/test-engine.ts';
import { until } from './helpers/waiting.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

const REFUSAL = "Budget 'x-tokens' (tag 'x', 10 tokens per day) is exhausted.";

async function setup(routing: Partial<RoutingConfig>, clock?: ManualClock, config: Record<string, unknown> = {}): Promise<{ a: FakeUpstream; sluice: TestEngine }> {
  const a = new FakeUpstream();
  const ua = await a.start();
  cleanups.push(() => a.stop());
  const sluice = await startTestEngine({
    providers: [fastSimulator, { id: 'a', type: 'openai-compatible', baseUrl: ua }],
    config: {
      cache: { ttlSeconds: 60, staleMaxSeconds: 3600 },
      routing: { retry: { attemptsPerTarget: 1, maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 5_000 }, ...routing },
      ...config,
    },
    ...(clock ? { deps: { clock } } : {}),
  });
  cleanups.push(() => sluice.stop());
  return { a, sluice };
}

const team = { name: 'team', targets: [{ provider: 'a', model: 'm1' }] };
const tagBudget = { id: 'x-tokens', scope: 'tag' as const, match: 'x', period: 'day' as const, unit: 'tokens' as const, limit: 10, onExhausted: 'refuse' as const };

const chat = (url: string, content: string, tags?: string) => fetch(`${url}/v1/chat/completions`, {
  method: 'POST', headers: { 'content-type': 'application/json', ...(tags ? { 'x-sluice-tags': tags } : {}) },
  body: JSON.stringify({ model: 'team', messages: [{ role: 'user', content }] }),
});

async function expectRefused(res: Response): Promise<void> {
  expect(res.status).toBe(429);
  const { error } = await res.json() as { error: { code: string; message: string } };
  expect(error).toMatchObject({ code: 'budget_exceeded', message: REFUSAL });
}

describe('a refusing budget, once exhausted', () => {
  it('still serves a cache hit, and refuses with the same 429 what the cache cannot answer', async () => {
    const { a, sluice } = await setup({ aliases: [team], budgets: [tagBudget] });
    expect((await chat(sluice.url, 'hello', 'x')).status).toBe(200); // 12 tokens: the budget is spent

    const hit = await chat(sluice.url, 'hello', 'x');
    expect(hit.status).toBe(200);
    expect(hit.headers.get('x-sluice-cache')).toBe('hit-memory');
    expect(hit.headers.get('x-sluice-provider')).toBe('a');

    await expectRefused(await chat(sluice.url, 'something new', 'x'));
    const [row] = await (await sluice.admin('/admin/api/requests?limit=1')).json() as Array<{ status: number; provider: string; attempts: number }>;
    expect(row).toMatchObject({ status: 429, provider: '', attempts: 0 }); // no provider was called
    await expectRefused(await fetch(`${sluice.url}/v1/chat/completions`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-sluice-tags': 'x', 'cache-control': 'no-store' },
      body: JSON.stringify({ model: 'team', messages: [{ role: 'user', content: 'hello' }] }),
    }));
    expect(a.calls('POST /v1/chat/completions')).toHaveLength(1);

    const explained = await (await sluice.admin('/admin/api/routing/explain', { method: 'POST', body: JSON.stringify({ tags: ['x'], model: 'team', messages: [{ role: 'user', content: 'hello' }] }) })).json() as { targets: string[]; error: unknown; steps: string[] };
    expect(explained.error).toMatchObject({ code: 'budget_exceeded', message: REFUSAL, status: 429 });
    expect(explained.targets).toEqual([]);
    expect(explained.steps.join('\n')).toContain(`refused: ${REFUSAL}`);
  });

  it('serves an expired entry rather than refusing, within the stale limit', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1, 12));
    const { a, sluice } = await setup({ aliases: [team], budgets: [tagBudget] }, clock);
    expect((await chat(sluice.url, 'hello', 'x')).status).toBe(200);
    clock.advance(120_000); // past the 60 s TTL, same day

    const stale = await chat(sluice.url, 'hello', 'x');
    expect(stale.status).toBe(200);
    expect(stale.headers.get('x-sluice-cache')).toBe('stale');
    expect(a.calls('POST /v1/chat/completions')).toHaveLength(1);
  });

  it('serves a request that shares an identical one already in flight', async () => {
    const { a, sluice } = await setup({ aliases: [team], budgets: [tagBudget] });
    expect((await chat(sluice.url, 'spend it', 'x')).status).toBe(200);

    let release!: () => void;
    const held = new Promise<void>((r) => { release = r; });
    let arrived!: () => void;
    const upstreamReached = new Promise<void>((r) => { arrived = r; });
    a.on('POST /v1/chat/completions', async (q, res: ServerResponse) => {
      arrived();
      await held;
      json(res, 200, chatCompletion(String(q.body.model), 'shared'));
    });
    const leader = chat(sluice.url, 'slow one'); // no tag: not under the budget
    await upstreamReached;
    const follower = chat(sluice.url, 'slow one', 'x');
    await until(() => sluice.engine.services.cache!.waiting() === 2, 'the tagged request to join the flight');
    release();
    const [l, f] = await Promise.all([leader, follower]);
    expect(l.status).toBe(200);
    expect(f.status).toBe(200);
    expect(f.headers.get('x-sluice-cache')).toBe('coalesced');
    expect([l.headers.get('x-sluice-attempts'), f.headers.get('x-sluice-attempts')]).toEqual(['1', '0']);
    expect(a.calls('POST /v1/chat/completions')).toHaveLength(2);
    // the follower spent nothing of its own: two upstream calls, two requests in the spend
    const spend = await (await sluice.admin('/admin/api/routing/spend?days=1')).json() as Array<{ provider: string; requests: number }>;
    expect(spend.filter((r) => r.provider === 'a').reduce((n, r) => n + r.requests, 0)).toBe(2);
  });

  it('never lets a refused request upstream: not inside a batch of embeddings, not sentence by sentence', async () => {
    // one batched call in flight at a time: what arrives meanwhile waits to be sent together
    const { a, sluice } = await setup({ aliases: [team], budgets: [tagBudget] }, undefined, { scheduling: { batching: { maxInFlightPerKey: 1, maxWaitMs: 60_000 } } });
    expect((await chat(sluice.url, 'spend it', 'x')).status).toBe(200);
    const post = (path: string, body: object, tags?: string) => fetch(`${sluice.url}${path}`, {
      method: 'POST', headers: { 'content-type': 'application/json', ...(tags ? { 'x-sluice-tags': tags } : {}) }, body: JSON.stringify(body),
    });

    let release!: () => void;
    const held = new Promise<void>((r) => { release = r; });
    const embeddings = a.behaviours['POST /v1/embeddings'];
    a.on('POST /v1/embeddings', async (q, res) => { await held; return embeddings(q, res); });
    const first = post('/v1/embeddings', { model: 'a/emb', input: 'first' });
    await until(() => a.calls('POST /v1/embeddings').length === 1, 'the first call upstream');
    const second = post('/v1/embeddings', { model: 'a/emb', input: 'second' });
    await expectRefused(await post('/v1/embeddings', { model: 'a/emb', input: 'third' }, 'x'));
    release();
    expect((await first).status).toBe(200);
    expect((await second).status).toBe(200);
    expect(a.calls('POST /v1/embeddings').flatMap((c) => c.body.input)).toEqual(['first', 'second']);

    const speech = { model: 'a/tts-1', voice: 'alloy', response_format: 'pcm' };
    expect((await post('/v1/audio/speech', { ...speech, input: 'The train leaves at nine.' })).status).toBe(200);
    const cached = await post('/v1/audio/speech', { ...speech, input: 'The train leaves at nine.' }, 'x');
    expect(cached.status).toBe(200);
    expect(cached.headers.get('x-sluice-cache')).toBe('hit-memory');
    await expectRefused(await post('/v1/audio/speech', { ...speech, input: 'It stops in Leipzig. Do you need a ticket?' }, 'x'));
    expect(a.calls('POST /v1/audio/speech')).toHaveLength(1);
  });
});
