// The Anthropic provider through the whole engine, driven with the official openai SDK against a
// fake Anthropic Messages server: plain and streamed answers, usage priced, the key never shown.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fastSimulator, startTestEngine, type TestEngine } from './helpers/test-engine.ts';

const KEY = 'sk-ant-test-secret-key-42';
const seen: Array<{ path: string; headers: IncomingMessage['headers']; body: any }> = [];
let server: Server;
let sluice: TestEngine;
let client: OpenAI;

function sse(res: ServerResponse, model: string): void {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const events: Array<[string, unknown]> = [
    ['message_start', { type: 'message_start', message: { id: 'msg_s', type: 'message', role: 'assistant', model, content: [], usage: { input_tokens: 1000, output_tokens: 1 } } }],
    ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }],
    ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hel' } }],
    ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'lo' } }],
    ['content_block_stop', { type: 'content_block_stop', index: 0 }],
    ['message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 1000 } }],
    ['message_stop', { type: 'message_stop' }],
  ];
  for (const [name, data] of events) res.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
  res.end();
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => { raw += c; });
    req.on('end', () => {
      const body = raw ? JSON.parse(raw) : null;
      seen.push({ path: req.url ?? '', headers: req.headers, body });
      if (req.url?.startsWith('/v1/models')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ data: [{ id: 'claude-sonnet-4', display_name: 'Claude Sonnet 4', created_at: '2025-05-22T00:00:00Z' }] }));
        return;
      }
      if (body.stream) return sse(res, body.model);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({
        id: 'msg_1', type: 'message', role: 'assistant', model: body.model,
        content: [{ type: 'text', text: 'Bonjour' }], stop_reason: 'end_turn', usage: { input_tokens: 1_000_000, output_tokens: 0 },
      }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  sluice = await startTestEngine({
    providers: [fastSimulator, { id: 'claude', type: 'anthropic', baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, apiKey: KEY, models: ['claude-sonnet-4'] }],
    config: { cache: { enabled: false } },
  });
  client = new OpenAI({ baseURL: `${sluice.url}/v1`, apiKey: 'sk-client', maxRetries: 0 });
});

afterAll(async () => {
  await sluice?.stop();
  await new Promise((r) => server.close(r));
});

describe('Anthropic through the engine', () => {
  it('answers a plain chat completion, translated, with its cost from the price table', async () => {
    const { data, response } = await client.chat.completions.create({ model: 'claude-sonnet-4', messages: [{ role: 'user', content: 'Salut' }] }).withResponse();
    expect(data.choices[0].message.content).toBe('Bonjour');
    expect(data.usage?.prompt_tokens).toBe(1_000_000);
    expect(response.headers.get('x-sluice-provider')).toBe('claude');
    const call = seen.at(-1)!;
    expect(call.path).toBe('/v1/messages');
    expect(call.headers['x-api-key']).toBe(KEY);
    expect(call.body.messages[0].content[0].text).toBe('Salut');
    const rows = await (await sluice.admin('/admin/api/requests?limit=1')).json() as Array<{ costUsd: number }>;
    expect(rows[0].costUsd).toBeCloseTo(3, 6); // 1M input tokens of claude-sonnet-4 at $3 / M
  });

  it('streams, translated to OpenAI chunks', async () => {
    const stream = await client.chat.completions.create({ model: 'claude/claude-sonnet-4', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'Hi' }] });
    let text = '';
    let usage: { prompt_tokens: number; completion_tokens: number } | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe('Hello');
    expect(usage).toMatchObject({ prompt_tokens: 1000, completion_tokens: 1000 });
  });

  it('never shows the key in what routing returns', async () => {
    const pages = await Promise.all(['/admin/api/routing', '/admin/api/routing/health', '/admin/api/routing/export'].map(async (p) => (await sluice.admin(p)).text()));
    for (const p of pages) expect(p).not.toContain(KEY);
    const doc = JSON.parse(pages[0]) as { effective: { aliases: Array<{ name: string; targets: Array<{ provider: string; model: string }> }> } };
    // with a priced provider configured, the default aliases point at it rather than at the simulator
    expect(doc.effective.aliases.find((a) => a.name === 'smart')?.targets).toEqual([{ provider: 'claude', model: 'claude-sonnet-4' }]);
  });
});
