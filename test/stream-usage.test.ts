// A streamed chat answer whose client did not ask for stream_options.include_usage carries no usage.
// Its tokens and cost are then estimated from the text that passed, so the request log, spend and
// budgets still see it; a client that asked gets the upstream's exact figures. Cached, such an answer
// keeps that estimate, so the requests it answers later report usage as the openai SDK expects.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fastSimulator, startTestEngine, type TestEngine } from './helpers/test-engine.ts';

let sluice: TestEngine;

beforeAll(async () => {
  sluice = await startTestEngine({ providers: [fastSimulator] });
  // a price for the simulator's model, so the estimate shows up as spend too
  const res = await sluice.admin('/admin/api/routing/prices', { method: 'PUT', body: JSON.stringify({ 'sim-chat': { input: 1, output: 2 } }) });
  expect(res.status).toBeLessThan(300);
});
afterAll(() => sluice.stop());

async function streamed(content: string, includeUsage: boolean): Promise<{ id: string; text: string }> {
  const res = await fetch(`${sluice.url}/v1/chat/completions`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
    body: JSON.stringify({ model: 'sim-chat', stream: true, messages: [{ role: 'user', content }], ...(includeUsage ? { stream_options: { include_usage: true } } : {}) }),
  });
  expect(res.status).toBe(200);
  return { id: res.headers.get('x-request-id')!, text: await res.text() };
}

async function logged(id: string) {
  return (await (await sluice.admin(`/admin/api/requests/${id}`)).json()) as {
    promptTokens: number; completionTokens: number; costUsd: number; detail: { trace: Array<{ stage: string; message: string }> };
  };
}

describe('usage of a streamed answer', () => {
  it('is estimated from the streamed text when the stream carries none', async () => {
    const { id, text } = await streamed('Tell me about caching, please.', false);
    expect(text).not.toContain('"usage":{');
    const row = await logged(id);
    expect(row.promptTokens).toBeGreaterThan(5);
    expect(row.completionTokens).toBeGreaterThan(10);
    expect(row.costUsd).toBeCloseTo((row.promptTokens * 1 + row.completionTokens * 2) / 1e6, 12);
    expect(row.detail.trace.map((t) => t.message).join('\n')).toContain('tokens and cost are estimated');
  });

  it('is the upstream’s own when the client asked for it', async () => {
    const { id, text } = await streamed('Tell me about caching, please.', true);
    const reported = JSON.parse(/data: (\{[^\n]*"usage":\{[^\n]*)\n/.exec(text)![1]) as { usage: { prompt_tokens: number; completion_tokens: number } };
    const row = await logged(id);
    expect(row.promptTokens).toBe(reported.usage.prompt_tokens);
    expect(row.completionTokens).toBe(reported.usage.completion_tokens);
    expect(row.detail.trace.map((t) => t.message).join('\n')).not.toContain('estimated');
  });
});

describe('a cached streamed answer that carried no usage', () => {
  const ask = (content: string) => ({ model: 'sim-chat', messages: [{ role: 'user' as const, content }] });
  const savedTokens = async () => ((await (await sluice.admin('/admin/api/cache/stats')).json()) as { saved: { tokens: number; costUsd: number } }).saved;

  it('answers later requests with the usage the request log estimated, and counts it as saved', async () => {
    const client = new OpenAI({ baseURL: `${sluice.url}/v1`, apiKey: 'sk-client', maxRetries: 0 });
    const question = ask('What does a cache keep, and for how long?');
    // the openai SDK does not ask for stream_options.include_usage by default
    const { data: first, response } = await client.chat.completions.create({ ...question, stream: true }).withResponse();
    expect(response.headers.get('x-sluice-cache')).toBe('miss');
    for await (const c of first) expect(c.usage ?? null).toBeNull();
    const row = await logged(response.headers.get('x-request-id')!);
    expect(row.completionTokens).toBeGreaterThan(10);
    const usage = { prompt_tokens: row.promptTokens, completion_tokens: row.completionTokens, total_tokens: row.promptTokens + row.completionTokens };
    const before = await savedTokens();

    const { data: plain, response: plainResponse } = await client.chat.completions.create(question).withResponse();
    expect(plainResponse.headers.get('x-sluice-cache')).toBe('hit-memory');
    expect(plain.usage).toEqual(usage);
    expect(plain.usage!.total_tokens).toBe(row.promptTokens + row.completionTokens);

    const { data: again, response: againResponse } = await client.chat.completions
      .create({ ...question, stream: true, stream_options: { include_usage: true } }).withResponse();
    expect(againResponse.headers.get('x-sluice-cache')).toBe('hit-memory');
    const chunks = [];
    for await (const c of again) chunks.push(c);
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage });
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);

    const after = await savedTokens();
    expect(after.tokens - before.tokens).toBe(2 * usage.total_tokens);
    expect(after.costUsd - before.costUsd).toBeCloseTo(2 * row.costUsd, 12);
    const entries = (await (await sluice.admin('/admin/api/cache/entries?text=for%20how%20long')).json()) as { items: Array<Record<string, unknown>> };
    expect(entries.items).toEqual([expect.objectContaining({ promptTokens: row.promptTokens, completionTokens: row.completionTokens, usageEstimated: true, hits: 2 })]);
  });
});
