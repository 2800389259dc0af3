// Embeddings micro-batching through a real Sluice: many callers, few upstream calls, each caller
// its own vectors; a bad input or a caller who leaves hurts nobody else; light load is not delayed.
// The engine runs on a ManualClock, so the batch window only ends when a slot frees, never by time.
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/engine/clock.ts';
import type { EngineEvent } from '../src/shared/events.ts';
import type { SchedulingStatsView } from '../src/shared/scheduling.ts';
import { FakeUpstream, json } from './helpers/fake-upstream.ts';
import { startTestEngine, type TestEngine } from './helpers/test-engine.ts';
import { until } from './helpers/waiting.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

/** The fake's vector for an input: derived from its text, so a caller can check it got its own. */
const vectorOf = (s: string) => [s.length, Number(/\d+/.exec(s)?.[0] ?? -1), 0.25];

async function setup(batching: object = {}) {
  const fake = new FakeUpstream();
  const gates: Array<() => void> = [];
  let gated = false;
  fake.on('POST /v1/embeddings', async (req, res) => {
    if (gated) await new Promise<void>((r) => gates.push(r));
    const inputs: string[] = Array.isArray(req.body.input) ? req.body.input : [req.body.input];
    if (inputs.some((s) => s.includes('BAD'))) return json(res, 400, { error: { message: 'This input is not allowed.', type: 'invalid_request_error' } });
    json(res, 200, {
      object: 'list', model: req.body.model,
      data: inputs.map((s, index) => ({ object: 'embedding', index, embedding: vectorOf(s) })),
      usage: { prompt_tokens: inputs.length * 3, total_tokens: inputs.length * 3 },
    });
  });
  const upstream = await fake.start();
  cleanups.push(() => fake.stop());
  const clock = new ManualClock();
  const sluice = await startTestEngine({
    providers: [{ id: 'up', type: 'openai-compatible', baseUrl: upstream, models: ['emb'] }],
    config: { scheduling: { batching: { maxInFlightPerKey: 1, maxWaitMs: 60_000, ...batching } } },
    deps: { clock },
  });
  cleanups.push(() => sluice.stop());
  const client = new OpenAI({ baseURL: `${sluice.url}/v1`, apiKey: 'sk-client', maxRetries: 0, defaultHeaders: { 'cache-control': 'no-store' } });
  const gate = { hold: () => { gated = true; }, waiting: () => gates.length, releaseAll: () => { gated = false; for (const g of gates.splice(0)) g(); } };
  return { fake, sluice, client, clock, gate };
}

const embed = (client: OpenAI, input: string | string[], signal?: AbortSignal) =>
  client.embeddings.create({ model: 'emb', input, encoding_format: 'float' }, { signal }).withResponse();

/** Wait until `n` requests wait for batch-mates (the admin API's view). */
async function untilPending(sluice: TestEngine, n: number): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const stats = await (await sluice.admin('/admin/api/scheduling/stats')).json() as SchedulingStatsView;
    if (stats.batches.reduce((k, b) => k + b.pending, 0) === n) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`timed out waiting for ${n} pending requests`);
}

const inputsOf = (body: any): string[] => (Array.isArray(body.input) ? body.input : [body.input]);

describe('embeddings batching through Sluice', () => {
  it('20 concurrent single-input requests reach the upstream as a few calls; each caller gets its own vectors', async () => {
    const { fake, client, gate, sluice } = await setup();
    // The upstream holds its answers until all 20 have arrived, so arrival order cannot matter.
    gate.hold();
    const texts = Array.from({ length: 20 }, (_, i) => `text number ${i}${'x'.repeat(i)}`);
    const pending = Promise.all(texts.map((t) => embed(client, t)));
    await until(() => gate.waiting() === 1, 'the first call');
    await untilPending(sluice, 19);
    gate.releaseAll();
    const answers = await pending;
    const calls = fake.calls('POST /v1/embeddings');
    expect(calls.length).toBe(2);
    expect(calls.flatMap((c) => inputsOf(c.body)).sort()).toEqual([...texts].sort());
    answers.forEach(({ data }, i) => {
      expect(data.data).toHaveLength(1);
      expect(data.data[0].index).toBe(0);
      expect(data.data[0].embedding).toEqual(vectorOf(texts[i]));
    });
    expect(answers.map((a) => a.response.headers.get('x-sluice-batch')).sort()).toEqual(['1', ...Array(19).fill('19')]);
    // each caller's share of the usage (by its estimated size) sums to what the upstream charged
    const batched = answers.filter((a) => a.response.headers.get('x-sluice-batch') === '19');
    expect(batched.at(-1)!.data.usage.total_tokens).toBeGreaterThan(batched[0].data.usage.total_tokens);
    const totalShare = answers.reduce((n, a) => n + a.data.usage.total_tokens, 0);
    expect(totalShare).toBe(20 * 3);
  });

  it('a caller with several inputs gets them back in order, indexed from 0', async () => {
    const { client, gate, sluice } = await setup();
    gate.hold();
    const first = embed(client, 'alone 1');
    await until(() => gate.waiting() === 1, 'the first call');
    const many = embed(client, ['multi 7', 'multi 8', 'multi 9']);
    const single = embed(client, 'single 5');
    await untilPending(sluice, 2);
    gate.releaseAll();
    const [m, s] = await Promise.all([many, single, first]);
    expect(m.data.data.map((d) => d.embedding)).toEqual([vectorOf('multi 7'), vectorOf('multi 8'), vectorOf('multi 9')]);
    expect(m.data.data.map((d) => d.index)).toEqual([0, 1, 2]);
    expect(s.data.data[0].embedding).toEqual(vectorOf('single 5'));
  });

  it('one bad input fails only its own caller', async () => {
    const { client, fake, gate, sluice } = await setup();
    gate.hold();
    const blocker = embed(client, 'blocker 0');
    await until(() => gate.waiting() === 1, 'the first call');
    const texts = ['good 1', 'good 2', 'BAD 3', 'good 4', 'good 5'];
    const settled = texts.map((t) => embed(client, t).then((r) => ({ ok: true as const, r }), (e) => ({ ok: false as const, e })));
    await untilPending(sluice, 5);
    gate.releaseAll();
    await blocker;
    const results = await Promise.all(settled);
    results.forEach((res, i) => {
      if (texts[i].startsWith('BAD')) {
        expect(res.ok).toBe(false);
        expect((res as { e: any }).e.status).toBe(400);
      } else {
        expect(res.ok).toBe(true);
        expect((res as { r: any }).r.data.data[0].embedding).toEqual(vectorOf(texts[i]));
      }
    });
    // the whole batch was tried first, then the bad one was isolated
    expect(fake.calls('POST /v1/embeddings').some((c) => inputsOf(c.body).length === 5)).toBe(true);
  });

  it('a caller who leaves while its batch is upstream does not hurt its batch-mates', async () => {
    const { client, fake, gate, sluice } = await setup();
    const closed: string[] = [];
    const off = sluice.engine.events.subscribe((e: EngineEvent) => { if (e.type === 'request' && e.request.errorCode === 'client_closed') closed.push(e.request.id); });
    cleanups.push(async () => off());
    gate.hold();
    const blocker = embed(client, 'blocker 0');
    await until(() => gate.waiting() === 1, 'the first call');
    const leaving = new AbortController();
    const b = embed(client, 'stay 1');
    const c = embed(client, 'leave 2', leaving.signal).catch((e) => e);
    const d = embed(client, 'stay 3');
    await untilPending(sluice, 3);
    gate.releaseAll();
    gate.hold();
    await blocker;
    await until(() => gate.waiting() === 1, 'the batched call');
    expect(inputsOf(fake.calls('POST /v1/embeddings').at(-1)!.body)).toEqual(['stay 1', 'leave 2', 'stay 3']);
    leaving.abort();
    await until(() => closed.length === 1, 'Sluice to see the caller leave');
    gate.releaseAll();
    const [rb, rd] = await Promise.all([b, d]);
    expect(rb.data.data[0].embedding).toEqual(vectorOf('stay 1'));
    expect(rd.data.data[0].embedding).toEqual(vectorOf('stay 3'));
    expect(rb.response.headers.get('x-sluice-batch')).toBe('3');
    expect(await c).toBeInstanceOf(Error);
    expect(fake.calls('POST /v1/embeddings')).toHaveLength(2);
  });

  it('light load is not held back by the batch window', async () => {
    // maxWaitMs is a minute on a clock that never moves: a request that waited for the window would never finish.
    const { client, fake } = await setup({ maxInFlightPerKey: 4 });
    for (let i = 0; i < 5; i++) {
      const { data, response } = await embed(client, `one at a time ${i}`);
      expect(data.data[0].embedding).toEqual(vectorOf(`one at a time ${i}`));
      expect(response.headers.get('x-sluice-batch')).toBe('1');
    }
    expect(fake.calls('POST /v1/embeddings').map((c) => inputsOf(c.body).length)).toEqual([1, 1, 1, 1, 1]);
  });

  it('requests for different tenants or dimensions never share a call', async () => {
    const { sluice, fake, gate } = await setup();
    gate.hold();
    const post = (key: string, input: string, extra: object = {}) => fetch(`${sluice.url}/v1/embeddings`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}`, 'cache-control': 'no-store' },
      body: JSON.stringify({ model: 'emb', input, ...extra }),
    });
    const blocker = post('k1', 'blocker 0');
    await until(() => gate.waiting() === 1, 'the first call');
    const rest = [post('k1', 'a 1'), post('k2', 'b 2'), post('k1', 'c 3', { dimensions: 2 }), post('k1', 'd 4')];
    // 'b 2' and 'c 3' have a group of their own with nothing in flight: they go at once
    await untilPending(sluice, 2);
    await until(() => gate.waiting() === 3, 'the calls of the other groups');
    gate.releaseAll();
    await blocker;
    for (const r of await Promise.all(rest)) expect(r.status).toBe(200);
    const groups = fake.calls('POST /v1/embeddings').slice(1).map((c) => inputsOf(c.body).sort().join(','));
    expect(groups.sort()).toEqual(['a 1,d 4', 'b 2', 'c 3']);
  });
});
