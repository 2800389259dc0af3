// A request's trace reads in the panel's language: each step the engine writes carries its sentence as
// data (`say`), which the panel's English renders exactly as the engine's own message, and zh-CN in Chinese.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translator } from '../src/renderer/src/i18n/translate.ts';
import { stageLabel, traceText } from '../src/renderer/src/lib/trace-text.ts';
import { FakeUpstream, json } from './helpers/fake-upstream.ts';
import { refusedPort } from './helpers/refused-port.ts';
import { fastSimulator, startTestEngine, type TestEngine } from './helpers/test-engine.ts';

let sluice: TestEngine;
let a: FakeUpstream;

beforeAll(async () => {
  a = new FakeUpstream();
  const ua = await a.start();
  sluice = await startTestEngine({
    providers: [
      fastSimulator,
      { id: 'a', type: 'openai-compatible', baseUrl: ua },
      { id: 'dead', type: 'openai-compatible', baseUrl: `http://127.0.0.1:${await refusedPort()}/v1` },
    ],
    config: {
      cache: { ttlSeconds: 60 },
      routing: {
        aliases: [{ name: 'team', targets: [{ provider: 'dead', model: 'm' }, { provider: 'a', model: 'm1' }] }],
        retry: { attemptsPerTarget: 1, maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 5_000 },
      },
    },
  });
});
afterAll(async () => {
  await sluice.stop();
  await a.stop();
});

type Step = { stage: string; message: string; say?: { id: string } };

async function traceOf(res: Response): Promise<Step[]> {
  await res.arrayBuffer();
  const id = res.headers.get('x-request-id')!;
  const row = await (await sluice.admin(`/admin/api/requests/${id}`)).json() as { detail: { trace: Step[] } };
  return row.detail.trace;
}

const send = (body: object, headers: Record<string, string> = {}) => fetch(`${sluice.url}/v1/chat/completions`, {
  method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body),
});

describe('trace sayings', () => {
  it('say in English what the engine says, and in Chinese otherwise', async () => {
    const steps: Step[] = [];
    // stored in the cache
    steps.push(...await traceOf(await send({ model: 'a/m1', messages: [{ role: 'user', content: 'zero' }] })));
    // a fallback past an unreachable provider: not stored, since the key was made for the first target
    steps.push(...await traceOf(await send({ model: 'team', messages: [{ role: 'user', content: 'one' }] })));
    // no-store
    steps.push(...await traceOf(await send({ model: 'team', messages: [{ role: 'user', content: 'two' }] }, { 'cache-control': 'no-store' })));
    // a stream that reports no usage: tokens are estimated
    a.on('POST /v1/chat/completions', (_q, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end('data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m1","choices":[{"index":0,"delta":{"content":"hi"},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n');
    });
    steps.push(...await traceOf(await send({ model: 'a/m1', stream: true, messages: [{ role: 'user', content: 'three' }] }, { 'cache-control': 'no-store' })));
    // every attempt fails
    a.on('POST /v1/chat/completions', (_q, res) => json(res, 503, { error: { message: 'overloaded' } }));
    steps.push(...await traceOf(await send({ model: 'team', messages: [{ role: 'user', content: 'four' }] })));

    const ids = new Set(steps.map((s) => s.say?.id));
    for (const id of ['route.resolved', 'retry.failed', 'retry.answered', 'cache.stored', 'cache.notStored.otherTarget', 'cache.bypass.noStore', 'record.estimated', 'retry.allFailed']) {
      expect(ids, id).toContain(id);
    }
    const en = translator('en');
    const zh = translator('zh-CN');
    for (const step of steps) {
      expect(step.say, step.message).toBeDefined();
      expect(traceText(en, step)).toBe(step.message);
      if (step.say!.id !== 'route.resolved') expect(traceText(zh, step), step.message).toMatch(/[\u4e00-\u9fff]/);
      expect(stageLabel(zh, step.stage)).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('falls back to the message for a step without a sentence the panel knows', () => {
    const zh = translator('zh-CN');
    expect(traceText(zh, { message: 'something new' })).toBe('something new');
    expect(traceText(zh, { message: 'odd', say: { id: 'not.a.saying' } })).toBe('odd');
    expect(stageLabel(zh, 'future-stage')).toBe('future-stage');
  });
});
