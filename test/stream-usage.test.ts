// A streamed chat answer whose client did not ask for stream_options.include_usage carries no usage.
// Its tokens and cost are then estimated from the text that passed, so the request log, spend and
// budgets still see it; a client that asked gets the upstream's exact figures.
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
