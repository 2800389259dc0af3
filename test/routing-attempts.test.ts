// `x-sluice-attempts` and the request log's `attempts` count the upstream attempts really made, also when
// they all failed or an expired entry was served after them (the cache is on, as by default). Answers
// that never went upstream (cache hits) count none.
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/engine/clock.ts';
import type { RoutingConfig } from '../src/shared/routing.ts';
import { FakeUpstream, json } from './helpers/fake-upstream.ts';
import { refusedPort } from './helpers/refused-port.ts';
import { fastSimulator, lastLogged, postChat, startTestEngine, type TestEngine } from './helpers/test-engine.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

async function setup(routing: Partial<RoutingConfig>, clock?: ManualClock): Promise<{ a: FakeUpstream; sluice: TestEngine }> {
  const a = new FakeUpstream();
  const ua = await a.start();
  cleanups.push(() => a.stop());
  const sluice = await startTestEngine({
    providers: [
      fastSimulator,
      { id: 'a', type: 'openai-compatible', baseUrl: ua },
      { id: 'dead', type: 'openai-compatible', baseUrl: `http://127.0.0.1:${await refusedPort()}/v1` },
    ],
    config: {
      cache: { ttlSeconds: 60, staleMaxSeconds: 3600 },
      routing: {
        retry: { attemptsPerTarget: 1, maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 5_000 },
        breaker: { failureThreshold: 100, windowMs: 60_000, cooldownMs: 60_000 },
        ...routing,
      },
    },
    ...(clock ? { deps: { clock } } : {}),
  });
  cleanups.push(() => sluice.stop());
  return { a, sluice };
}

const chat = postChat;

async function loggedAttempts(sluice: TestEngine): Promise<number> {
  return (await lastLogged(sluice)).attempts;
}

describe('attempts', () => {
  it('counts the attempt on an unreachable provider', async () => {
    const { sluice } = await setup({ aliases: [{ name: 'gone', targets: [{ provider: 'dead', model: 'm' }] }] });
    const res = await chat(sluice.url, 'gone');
    expect(res.status).toBe(502);
    expect(res.headers.get('x-sluice-attempts')).toBe('1');
    expect(await loggedAttempts(sluice)).toBe(1);
  });

  it('counts every attempt on an upstream that keeps answering 503', async () => {
    const { a, sluice } = await setup({
      aliases: [{ name: 'one', targets: [{ provider: 'a', model: 'm1' }] }],
      retry: { attemptsPerTarget: 2, maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 5_000 },
    });
    a.on('POST /v1/chat/completions', (_q, res) => json(res, 503, { error: { message: 'overloaded' } }));
    const res = await chat(sluice.url, 'one');
    expect(res.status).toBe(503);
    expect(res.headers.get('x-sluice-attempts')).toBe('2');
    expect(a.calls('POST /v1/chat/completions')).toHaveLength(2);
    expect(await loggedAttempts(sluice)).toBe(2);
  });

  it('counts the failed attempt behind a stale answer, and none behind a cache hit', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1, 12));
    const { a, sluice } = await setup({ aliases: [{ name: 'one', targets: [{ provider: 'a', model: 'm1' }] }] }, clock);
    expect((await chat(sluice.url, 'one')).headers.get('x-sluice-attempts')).toBe('1');
    const hit = await chat(sluice.url, 'one');
    expect(hit.headers.get('x-sluice-cache')).toBe('hit-memory');
    expect(hit.headers.get('x-sluice-attempts')).toBe('0');

    clock.advance(120_000);
    a.on('POST /v1/chat/completions', (_q, res) => json(res, 500, { error: { message: 'boom' } }));
    const stale = await chat(sluice.url, 'one');
    expect(stale.status).toBe(200);
    expect(stale.headers.get('x-sluice-cache')).toBe('stale');
    expect(stale.headers.get('x-sluice-attempts')).toBe('1');
    expect(await loggedAttempts(sluice)).toBe(1);
  });

  it('counts the failed attempt behind a stale answer to batched embeddings too', async () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1, 12));
    const { a, sluice } = await setup({ aliases: [{ name: 'emb', targets: [{ provider: 'a', model: 'e1' }] }] }, clock);
    const embed = () => fetch(`${sluice.url}/v1/embeddings`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'emb', input: 'the same words' }),
    });
    expect((await embed()).headers.get('x-sluice-attempts')).toBe('1');

    clock.advance(120_000);
    a.on('POST /v1/embeddings', (_q, res) => json(res, 500, { error: { message: 'boom' } }));
    const stale = await embed();
    expect(stale.status).toBe(200);
    expect(stale.headers.get('x-sluice-cache')).toBe('stale');
    expect(stale.headers.get('x-sluice-attempts')).toBe('1');
    expect(await loggedAttempts(sluice)).toBe(1);
  });
});
