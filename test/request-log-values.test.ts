// The request log's filters work on the whole log: GET /admin/api/requests/values lists what its rows hold
// (a model used once, long before the newest rows), and the status filter takes classes and codes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeUpstream, json } from './helpers/fake-upstream.ts';
import { fastSimulator, postChat, startTestEngine, type TestEngine } from './helpers/test-engine.ts';

let fake: FakeUpstream;
let sluice: TestEngine;
const get = async (path: string) => {
  const res = await sluice.admin(path);
  return { status: res.status, body: (await res.json()) as any };
};

beforeAll(async () => {
  fake = new FakeUpstream();
  fake.on('POST /v1/chat/completions', (req, res) => {
    if (req.body.model === 'limited') return json(res, 429, { error: { message: 'slow down' } });
    if (req.body.model === 'broken') return json(res, 500, { error: { message: 'upstream fell over' } });
    json(res, 200, { id: 'x', object: 'chat.completion', created: 0, model: req.body.model, choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }] });
  });
  const upstream = await fake.start();
  sluice = await startTestEngine({ providers: [fastSimulator, { id: 'up', type: 'openai-compatible', baseUrl: upstream, models: ['rare-model', 'limited', 'broken'] }] });
  // one request each of a model and of failures, then 300 others: the early ones are far from the newest rows
  expect((await postChat(sluice.url, 'up/rare-model')).status).toBe(200);
  expect((await postChat(sluice.url, 'up/limited')).status).toBe(429);
  expect((await postChat(sluice.url, 'up/broken')).status).toBe(500);
  expect((await postChat(sluice.url, 'no-such-model')).status).toBe(404);
  for (let i = 0; i < 300; i += 50) {
    const batch = await Promise.all(Array.from({ length: 50 }, (_, j) => postChat(sluice.url, 'sim-fast', `question ${i + j}`)));
    expect(batch.every((r) => r.status === 200)).toBe(true);
  }
}, 60_000);
afterAll(async () => {
  await sluice.stop();
  await fake.stop();
});

describe('GET /admin/api/requests/values', () => {
  it('lists the models, providers, statuses and cache results of the whole log, a model used once 300 requests ago included', async () => {
    const newest = await get('/admin/api/requests?limit=100');
    expect(newest.body.map((r: { model: string }) => r.model)).not.toContain('rare-model');
    const { status, body } = await get('/admin/api/requests/values');
    expect(status).toBe(200);
    // an unknown model too: the log keeps the name a refused request asked for
    expect(body.model).toEqual(['broken', 'limited', 'no-such-model', 'rare-model', 'sim-fast']);
    expect(body.requestedModel).toEqual(['no-such-model', 'sim-fast', 'up/broken', 'up/limited', 'up/rare-model']);
    expect(body.provider).toEqual(['simulator', 'up']);
    expect(body.endpoint).toEqual(['chat']);
    expect(body.status).toEqual([200, 404, 429, 500]);
    expect(body.cache).toEqual(expect.arrayContaining(['miss', 'none']));
    expect(body.truncated).toEqual([]);
    const found = await get('/admin/api/requests?model=rare-model');
    expect(found.body).toHaveLength(1);
    expect(found.body[0]).toMatchObject({ model: 'rare-model', provider: 'up', status: 200 });
    expect((await get('/admin/api/requests?model=no-such-model')).body).toHaveLength(1);
  });

  it('follows new requests, and keeps to a limit per field naming the fields it cut', async () => {
    expect((await postChat(sluice.url, 'sim-chat')).status).toBe(200);
    expect((await get('/admin/api/requests/values')).body.model).toContain('sim-chat');
    const { body } = await get('/admin/api/requests/values?limit=2');
    expect(body.model).toHaveLength(2);
    expect(body.model).toContain('sim-chat');
    expect(body.truncated).toEqual(['model', 'requestedModel', 'status']);
  });

  it('refuses what it cannot read with a 400 naming the parameter', async () => {
    for (const [q, param] of [['model=sim-fast', 'model'], ['limit=0', 'limit'], ['limit=abc', 'limit'], ['limit=1001', 'limit']]) {
      const { status, body } = await get(`/admin/api/requests/values?${q}`);
      expect(status, q).toBe(400);
      expect(body.error.param, q).toBe(param);
    }
    expect((await get('/admin/api/requests/values?model=x')).body.error.message).toContain("Unknown parameter 'model'");
  });
});

describe('the status filter of GET /admin/api/requests', () => {
  const statuses = async (filter: string) => {
    const { status, body } = await get(`/admin/api/requests?limit=1000&status=${filter}`);
    expect(status, filter).toBe(200);
    return [...new Set(body.map((r: { status: number }) => r.status))].sort();
  };

  it('takes a class (2xx, 4xx, 5xx), one code (429), ok and error', async () => {
    expect(await statuses('2xx')).toEqual([200]);
    expect(await statuses('4xx')).toEqual([404, 429]);
    expect(await statuses('429')).toEqual([429]);
    expect(await statuses('5xx')).toEqual([500]);
    expect(await statuses('error')).toEqual([404, 429, 500]);
    expect(await statuses('ok')).toEqual([200]);
    const limited = (await get('/admin/api/requests?status=429')).body;
    expect(limited).toHaveLength(1);
    expect(limited[0].model).toBe('limited');
  });

  it('refuses a status it cannot read with a 400 naming status', async () => {
    for (const q of ['6xx', '2XX', 'xx', '42', '600', 'success']) {
      const { status, body } = await get(`/admin/api/requests?status=${q}`);
      expect(status, q).toBe(400);
      expect(body.error.param, q).toBe('status');
      expect(body.error.message, q).toContain('4xx');
    }
  });
});
