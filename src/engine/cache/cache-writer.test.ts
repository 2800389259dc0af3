import { describe, expect, it } from 'vitest';
import { requestContext } from '../../../test/helpers/request-context.ts';
import { ManualClock } from '../clock.ts';
import { silentLogger } from '../logger.ts';
import type { RequestContext } from '../pipeline/context.ts';
import type { CacheEntry } from './cache-entry.ts';
import { CacheWriter } from './cache-writer.ts';
import { SseTextCounter } from '../pipeline/sse-text-count.ts';
import { estimatePromptTokens, estimateTextTokens } from '../routing/token-estimate.ts';

function ctxOf(over: Partial<RequestContext> = {}): RequestContext {
  return requestContext({
    body: { model: 'm', messages: [{ role: 'user', content: 'hi there' }] }, cacheKey: 'k', attempts: 1, served: { provider: 'p', model: 'm' }, ...over,
  });
}

const plan = { key: 'k', endpoint: 'chat' as const, target: { provider: 'p', model: 'm' }, namespace: '', tenant: '', ttlSeconds: 60 };

async function drain(it: AsyncIterable<Uint8Array>): Promise<void> { for await (const _ of it) { /* consume */ } }

function setup() {
  const clock = new ManualClock();
  const stored: CacheEntry[] = [];
  const writer = new CacheWriter({ clock, logger: silentLogger, store: (e) => stored.push(e), costOf: (_c, u) => u.prompt_tokens * 0.001 });
  return { clock, stored, writer };
}

const completion = Buffer.from(JSON.stringify({ id: 'x', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'yo' }, finish_reason: 'stop' }], usage: { prompt_tokens: 4, completion_tokens: 2, total_tokens: 6 } }));

describe('CacheWriter', () => {
  it('stores a planned 200 answer with its TTL, tokens, cost and upstream time', () => {
    const { clock, stored, writer } = setup();
    const ctx = ctxOf();
    writer.plan(ctx, plan);
    const started = clock.monotonic();
    clock.advance(300);
    writer.capture(ctx, { status: 200, headers: { 'content-type': 'application/json' }, body: completion }, started);
    expect(stored).toHaveLength(1);
    expect(stored[0].expiresAt - stored[0].createdAt).toBe(60_000);
    expect(stored[0].meta).toEqual({ requestText: 'hi there', promptTokens: 4, completionTokens: 2, usageEstimated: false, costUsd: 0.004, latencyMs: 300 });
    expect(stored[0].body.equals(completion)).toBe(true);
  });

  it('stores nothing unplanned, non-200, or answered by another target', () => {
    const { stored, writer } = setup();
    writer.capture(ctxOf(), { status: 200, headers: {}, body: completion }, 0);
    const bad = ctxOf();
    writer.plan(bad, plan);
    writer.capture(bad, { status: 429, headers: {}, body: completion }, 0);
    const fallback = ctxOf({ served: { provider: 'other', model: 'm' } });
    writer.plan(fallback, plan);
    writer.capture(fallback, { status: 200, headers: {}, body: completion }, 0);
    expect(stored).toHaveLength(0);
  });

  it('stores no empty audio, and says so in the trace', () => {
    const { stored, writer } = setup();
    const speech = { ...plan, endpoint: 'speech' as const };
    const empty = ctxOf({ endpoint: 'speech', body: { model: 'm', voice: 'v', input: 'Hello.' } });
    writer.plan(empty, speech);
    writer.capture(empty, { status: 200, headers: { 'content-type': 'audio/mpeg' }, body: Buffer.alloc(0) }, 0);
    expect(stored).toHaveLength(0);
    expect(empty.trace.at(-1)).toMatchObject({ stage: 'cache', message: 'not stored: the audio is empty', say: { id: 'cache.notStored.emptyAudio' } });
    const sound = ctxOf({ endpoint: 'speech', body: { model: 'm', voice: 'v', input: 'Hello.' } });
    writer.plan(sound, speech);
    writer.capture(sound, { status: 200, headers: { 'content-type': 'audio/mpeg' }, body: Buffer.from('AUDIO') }, 0);
    expect(stored).toHaveLength(1);
  });

  it('stores a stream only once it completed, as a plain completion', async () => {
    const { stored, writer } = setup();
    const sse = (s: string) => Buffer.from(s);
    const chunk = (delta: object, finish: string | null = null) => `data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    async function* good() { yield sse(chunk({ role: 'assistant', content: 'he' })); yield sse(chunk({ content: 'llo' })); yield sse(chunk({}, 'stop') + 'data: [DONE]\n\n'); }
    async function* cut() { yield sse(chunk({ role: 'assistant', content: 'he' })); }
    for (const source of [cut(), good()]) {
      const ctx = ctxOf({ stream: true });
      writer.plan(ctx, plan);
      const out = writer.capture(ctx, { status: 200, headers: { 'content-type': 'text/event-stream' }, stream: source }, 0);
      await drain(out.stream!);
    }
    expect(stored).toHaveLength(1);
    expect(JSON.parse(stored[0].body.toString()).choices[0].message.content).toBe('hello');
    expect(stored[0].contentType).toBe('application/json');
  });

  it('stores a stream without usage with the estimate the request log makes of it, in the body as OpenAI shapes usage', async () => {
    const { stored, writer } = setup();
    const chunk = (delta: object, finish: string | null = null) => `data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    const events = [chunk({ role: 'assistant', content: 'Caches ' }), chunk({ content: 'keep answers.' }), chunk({}, 'stop'), 'data: [DONE]\n\n'].map((s) => Buffer.from(s));
    async function* source() { yield* events; }
    const ctx = ctxOf({ stream: true });
    writer.plan(ctx, plan);
    await drain(writer.capture(ctx, { status: 200, headers: { 'content-type': 'text/event-stream' }, stream: source() }, 0).stream!);
    const counter = new SseTextCounter();
    for (const e of events) counter.observe(e);
    const prompt = estimatePromptTokens([{ role: 'user', content: 'hi there' }]);
    expect(counter.tokens).toBe(2 + 4); // counted piece by piece, as the stream passed
    expect(JSON.parse(stored[0].body.toString()).usage).toEqual({ prompt_tokens: prompt, completion_tokens: counter.tokens, total_tokens: prompt + counter.tokens });
    expect(stored[0].meta).toMatchObject({ promptTokens: prompt, completionTokens: counter.tokens, usageEstimated: true, costUsd: prompt * 0.001 });
  });

  it('stores a plain answer without usage with an estimate from its text', () => {
    const { stored, writer } = setup();
    const ctx = ctxOf();
    writer.plan(ctx, plan);
    const bare = { id: 'x', object: 'chat.completion', created: 1, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: 'Caches keep answers.' }, finish_reason: 'stop' }] };
    writer.capture(ctx, { status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(bare)) }, 0);
    const prompt = estimatePromptTokens([{ role: 'user', content: 'hi there' }]);
    const completionTokens = estimateTextTokens('Caches keep answers.');
    expect(JSON.parse(stored[0].body.toString())).toEqual({ ...bare, usage: { prompt_tokens: prompt, completion_tokens: completionTokens, total_tokens: prompt + completionTokens } });
    expect(stored[0].meta).toMatchObject({ promptTokens: prompt, completionTokens, usageEstimated: true });
  });
});
