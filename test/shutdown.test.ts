// Stopping the engine (SIGINT, SIGTERM, quitting the app) while requests are running: what finishes
// within the grace period is answered whole; what is still running after it is told Sluice is
// shutting down (an SSE error event for a stream, a 503 otherwise) instead of being cut without a word.
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import type { RequestSummary } from '../src/shared/events.ts';
import { FakeUpstream, sseChunks } from './helpers/fake-upstream.ts';
import { startTestEngine, type TestEngine } from './helpers/test-engine.ts';

const GRACE_MS = 300;
let fake: FakeUpstream;
let sluice: TestEngine;
let stopped: Promise<void> | null = null;

afterEach(async () => {
  await (stopped ?? sluice.stop());
  stopped = null;
  await fake.stop();
});

/** An engine in front of an upstream that streams `pieces` one every `everyMs`, or never answers a plain request. */
async function setup(everyMs: number, pieces: number): Promise<OpenAI> {
  fake = new FakeUpstream();
  await fake.start();
  fake.on('POST /v1/chat/completions', (req, res) => {
    if (!req.body.stream) return; // a plain request that never gets its answer
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const chunks = sseChunks(String(req.body.model), Array.from({ length: pieces }, (_, i) => `w${i} `));
    res.write(chunks.shift());
    const t = setInterval(() => {
      const c = chunks.shift();
      if (c) res.write(c);
      if (!chunks.length) { clearInterval(t); res.end(); }
    }, everyMs);
    res.on('close', () => clearInterval(t));
  });
  sluice = await startTestEngine({
    providers: [{ id: 'up', type: 'openai-compatible', baseUrl: fake.url }],
    config: { server: { shutdownGraceMs: GRACE_MS }, cache: { enabled: false }, routing: { retry: { attemptsPerTarget: 1, maxAttempts: 1 } } },
  });
  return new OpenAI({ baseURL: `${sluice.url}/v1`, apiKey: 'sk-client', maxRetries: 0 });
}

/** The request log's record of each request, as the engine tells it. */
function recorded(): RequestSummary[] {
  const seen: RequestSummary[] = [];
  sluice.engine.events.subscribe((e) => { if (e.type === 'request') seen.push(e.request); });
  return seen;
}

async function readAll(stream: AsyncIterable<OpenAI.Chat.Completions.ChatCompletionChunk>): Promise<{ text: string; finish: string | null; error: unknown }> {
  let text = '';
  let finish: string | null = null;
  try {
    for await (const c of stream) {
      text += c.choices[0]?.delta?.content ?? '';
      finish = c.choices[0]?.finish_reason ?? finish;
    }
    return { text, finish, error: null };
  } catch (error) {
    return { text, finish, error };
  }
}

describe('stopping the engine', () => {
  it('a stream still open after the grace period ends with a server_shutting_down error event the SDK throws', async () => {
    const client = await setup(50, 1_000);
    const seen = recorded();
    const stream = await client.chat.completions.create({ model: 'm', stream: true, messages: [{ role: 'user', content: 'a long one' }] });
    const it = stream[Symbol.asyncIterator]();
    expect((await it.next()).value?.choices[0]?.delta?.role).toBe('assistant');
    const t0 = performance.now();
    stopped = sluice.engine.stop();
    const r = await readAll({ [Symbol.asyncIterator]: () => it });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(GRACE_MS - 20);
    expect(r.text).toMatch(/^w0 w1 /);
    expect(r.finish).toBeNull();
    expect(r.error).toBeInstanceOf(OpenAI.APIError);
    const e = r.error as InstanceType<typeof OpenAI.APIError>;
    expect(e.code).toBe('server_shutting_down');
    expect(e.message).toContain('Sluice is shutting down');
    await stopped;
    expect(seen.at(-1)).toMatchObject({ status: 503, errorCode: 'server_shutting_down' });
  });

  it('a plain request still waiting after the grace period gets a 503 server_shutting_down', async () => {
    const client = await setup(50, 1);
    const seen = recorded();
    const pending = client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'never answered' }] }).catch((e: unknown) => e);
    while (fake.calls('POST /v1/chat/completions').length === 0) await new Promise((r) => setTimeout(r, 5));
    stopped = sluice.engine.stop();
    const err = await pending;
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect((err as InstanceType<typeof OpenAI.APIError>).status).toBe(503);
    expect((err as InstanceType<typeof OpenAI.APIError>).code).toBe('server_shutting_down');
    await stopped;
    expect(seen.at(-1)).toMatchObject({ status: 503, errorCode: 'server_shutting_down' });
  });

  it('a stream that ends within the grace period arrives whole', async () => {
    const client = await setup(20, 5);
    const stream = await client.chat.completions.create({ model: 'm', stream: true, messages: [{ role: 'user', content: 'a short one' }] });
    const it = stream[Symbol.asyncIterator]();
    await it.next();
    stopped = sluice.engine.stop();
    const r = await readAll({ [Symbol.asyncIterator]: () => it });
    expect(r.error).toBeNull();
    expect(r.text).toBe('w0 w1 w2 w3 w4 ');
    expect(r.finish).toBe('stop');
  });
});
