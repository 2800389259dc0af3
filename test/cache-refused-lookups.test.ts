// What counts as a cache lookup: a request its provider refuses anyway (a model of another endpoint, a
// voice it lacks) is refused before the cache looks, so it is no miss, no attempt, and logged as cache
// `none`; a request whose upstream fails is one miss, not two (looking for a stale entry is no lookup).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeUpstream, json } from './helpers/fake-upstream.ts';
import { fastSimulator, startTestEngine, type TestEngine } from './helpers/test-engine.ts';

let fake: FakeUpstream;
let sluice: TestEngine;
beforeAll(async () => {
  fake = new FakeUpstream();
  const upstream = await fake.start();
  sluice = await startTestEngine({ providers: [fastSimulator, { id: 'up', type: 'openai-compatible', baseUrl: upstream, models: ['gpt-failing'] }] });
});
afterAll(async () => {
  await sluice.stop();
  await fake.stop();
});

interface Stats { misses: number; hits: number; memory: { misses: number }; disk: { misses: number } }
const stats = async () => (await (await sluice.admin('/admin/api/cache/stats')).json()) as Stats;
const post = (path: string, body: object) => fetch(`${sluice.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const logged = async (id: string | null) => {
  const rows = (await (await sluice.admin('/admin/api/requests?limit=20')).json()) as Array<{ id: string; cache: string; attempts: number; status: number }>;
  return rows.find((r) => r.id === id);
};

describe('cache lookups of refused and failed requests', () => {
  it('a chat model sent to embeddings and an unknown voice are refused before the cache: no miss, cache none, no attempt', async () => {
    const before = await stats();
    const wrongEndpoint = await post('/v1/embeddings', { model: 'sim-chat', input: 'zz' });
    expect(wrongEndpoint.status).toBe(400);
    expect(((await wrongEndpoint.json()) as { error: { code: string } }).error.code).toBe('wrong_endpoint');
    const badVoice = await post('/v1/audio/speech', { model: 'sim-tts', voice: 'nobody', input: 'One sentence. And another.', response_format: 'wav' });
    expect(badVoice.status).toBe(400);
    await badVoice.arrayBuffer();
    const after = await stats();
    expect(after.misses).toBe(before.misses);
    expect(after.memory.misses).toBe(before.memory.misses);
    for (const res of [wrongEndpoint, badVoice]) {
      expect(await logged(res.headers.get('x-request-id'))).toMatchObject({ status: 400, cache: 'none', attempts: 0 });
    }
  });

  it('a request whose upstream fails is one miss', async () => {
    fake.on('POST /v1/chat/completions', (_req, res) => json(res, 500, { error: { message: 'down' } }));
    const before = await stats();
    const res = await post('/v1/chat/completions', { model: 'gpt-failing', messages: [{ role: 'user', content: 'counted once' }] });
    expect(res.status).toBeGreaterThanOrEqual(500);
    await res.arrayBuffer();
    const after = await stats();
    expect(after.misses - before.misses).toBe(1);
    expect(after.memory.misses - before.memory.misses).toBe(1);
  });
});
