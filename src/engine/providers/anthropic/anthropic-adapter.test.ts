import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock.ts';
import { defaultDeps } from '../../deps.ts';
import { silentLogger } from '../../logger.ts';
import type { UpstreamResponse } from '../provider.ts';
import { anthropicFactory } from './anthropic-adapter.ts';

interface Seen { path: string; headers: IncomingMessage['headers']; body: any }
const seen: Seen[] = [];
let server: Server;
let baseUrl: string;
let dataDir: string;

function sse(res: ServerResponse, events: Array<[string, unknown]>, cutAfter?: number): void {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  events.forEach(([name, data], i) => {
    if (cutAfter !== undefined && i > cutAfter) return;
    // split each event in two writes to exercise re-assembly
    const text = `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
    res.write(text.slice(0, 7));
    res.write(text.slice(7));
  });
  res.end();
}

const streamEvents: Array<[string, unknown]> = [
  ['message_start', { type: 'message_start', message: { id: 'msg_s', type: 'message', role: 'assistant', model: 'claude-sonnet-4', content: [], usage: { input_tokens: 12, output_tokens: 1 } } }],
  ['ping', { type: 'ping' }],
  ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '' } }],
  ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Hmm.' } }],
  ['content_block_stop', { type: 'content_block_stop', index: 0 }],
  ['content_block_start', { type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } }],
  ['content_block_delta', { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'Hel' } }],
  ['content_block_delta', { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'lo' } }],
  ['content_block_stop', { type: 'content_block_stop', index: 1 }],
  ['content_block_start', { type: 'content_block_start', index: 2, content_block: { type: 'tool_use', id: 'toolu_9', name: 'weather', input: {} } }],
  ['content_block_delta', { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: '{"city":' } }],
  ['content_block_delta', { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: '"Paris"}' } }],
  ['content_block_stop', { type: 'content_block_stop', index: 2 }],
  ['message_delta', { type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 30 } }],
  ['message_stop', { type: 'message_stop' }],
];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'sluice-anthropic-'));
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
      const prompt = body.messages?.[0]?.content?.[0]?.text ?? '';
      if (prompt === 'overload') {
        res.writeHead(529, { 'content-type': 'application/json', 'retry-after': '3' });
        res.end(JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }));
      } else if (prompt === 'bad') {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ type: 'error', error: { type: 'invalid_request_error', message: 'max_tokens: too large' } }));
      } else if (body.stream && prompt === 'cut') {
        sse(res, streamEvents, 6);
      } else if (body.stream) {
        sse(res, streamEvents);
      } else {
        res.writeHead(200, { 'content-type': 'application/json', 'request-id': 'req_1' });
        res.end(JSON.stringify({
          id: 'msg_1', type: 'message', role: 'assistant', model: body.model,
          content: [{ type: 'text', text: 'Bonjour' }], stop_reason: 'end_turn', usage: { input_tokens: 7, output_tokens: 2 },
        }));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(dataDir, { recursive: true, force: true });
});

function adapter(url = baseUrl) {
  return anthropicFactory({ id: 'anthropic', type: 'anthropic', baseUrl: url, apiKey: 'sk-ant-test-key' }, defaultDeps(dataDir, { clock: new ManualClock(Date.UTC(2026, 0, 1)), logger: silentLogger }));
}

const callCtx = () => ({ signal: new AbortController().signal, requestId: 'r1' });

async function text(res: UpstreamResponse): Promise<string> {
  if (res.body.kind !== 'sse') throw new Error('expected sse');
  let out = '';
  for await (const c of res.body.stream) out += Buffer.from(c).toString();
  return out;
}

describe('AnthropicAdapter', () => {
  it('sends a translated request with Anthropic headers and returns an OpenAI completion', async () => {
    const a = adapter();
    try {
      const res = await a.chat!({ model: 'claude-sonnet-4', messages: [{ role: 'system', content: 'Be French.' }, { role: 'user', content: 'Hello' }] }, callCtx());
      const last = seen.at(-1)!;
      expect(last.path).toBe('/v1/messages');
      expect(last.headers['x-api-key']).toBe('sk-ant-test-key');
      expect(last.headers['anthropic-version']).toBe('2023-06-01');
      expect(last.headers.authorization).toBeUndefined();
      expect(last.body).toMatchObject({ system: 'Be French.', max_tokens: 4096, messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }] });
      expect(res.body.kind).toBe('json');
      const json = (res.body as { json: any }).json;
      expect(json).toMatchObject({
        object: 'chat.completion', model: 'claude-sonnet-4', created: Date.UTC(2026, 0, 1) / 1000,
        choices: [{ message: { role: 'assistant', content: 'Bonjour' }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 7, completion_tokens: 2, total_tokens: 9 },
      });
      expect(JSON.parse((res.body as { bytes: Buffer }).bytes.toString())).toEqual(json);
      expect(res.headers['x-request-id']).toBe('req_1');
    } finally { await a.close(); }
  });

  it('turns a streamed answer into OpenAI chunks ending with [DONE]', async () => {
    const a = adapter();
    try {
      const res = await a.chat!({ model: 'claude-sonnet-4', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'Hi' }] }, callCtx());
      const raw = await text(res);
      expect(raw.endsWith('data: [DONE]\n\n')).toBe(true);
      const chunks = raw.split('\n\n').filter((l) => l.startsWith('data: {')).map((l) => JSON.parse(l.slice(6)));
      expect(chunks.every((c) => c.object === 'chat.completion.chunk' && c.id === 'msg_s')).toBe(true);
      expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: '' });
      const deltas = chunks.flatMap((c) => c.choices.map((ch: any) => ch.delta));
      expect(deltas.map((d) => d.content ?? '').join('')).toBe('Hello');
      expect(deltas.map((d) => d.reasoning_content ?? '').join('')).toBe('Hmm.');
      const tools = deltas.flatMap((d) => d.tool_calls ?? []);
      expect(tools[0]).toEqual({ index: 0, id: 'toolu_9', type: 'function', function: { name: 'weather', arguments: '' } });
      expect(tools.map((t) => t.function.arguments).join('')).toBe('{"city":"Paris"}');
      const finish = chunks.find((c) => c.choices[0]?.finish_reason);
      expect(finish.choices[0].finish_reason).toBe('tool_calls');
      const usageChunk = chunks.at(-1);
      expect(usageChunk.choices).toEqual([]);
      expect(usageChunk.usage).toEqual({ prompt_tokens: 12, completion_tokens: 30, total_tokens: 42 });
    } finally { await a.close(); }
  });

  it('fails a stream that ends before message_stop', async () => {
    const a = adapter();
    try {
      const res = await a.chat!({ model: 'c', stream: true, messages: [{ role: 'user', content: 'cut' }] }, callCtx());
      await expect(text(res)).rejects.toMatchObject({ code: 'SLUICE_UPSTREAM_STREAM_INCOMPLETE', message: expect.stringContaining('no message_stop') });
    } finally { await a.close(); }
  });

  it('maps upstream errors: 529 overloaded (retryable, Retry-After) and 400 with its message', async () => {
    const a = adapter();
    try {
      await expect(a.chat!({ model: 'c', messages: [{ role: 'user', content: 'overload' }] }, callCtx()))
        .rejects.toMatchObject({ code: 'SLUICE_UPSTREAM_HTTP', upstreamStatus: 529, retryAfterMs: 3000, message: expect.stringContaining('Overloaded') });
      await expect(a.chat!({ model: 'c', messages: [{ role: 'user', content: 'bad' }] }, callCtx()))
        .rejects.toMatchObject({ upstreamStatus: 400, status: 400, message: expect.stringContaining('max_tokens: too large') });
    } finally { await a.close(); }
  });

  it('reports a refused connection as unreachable', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const a = adapter(`http://127.0.0.1:${port}`);
    try {
      await expect(a.chat!({ model: 'c', messages: [{ role: 'user', content: 'x' }] }, callCtx())).rejects.toMatchObject({ code: 'SLUICE_UPSTREAM_UNREACHABLE' });
    } finally { await a.close(); }
  });

  it('lists models and serves chat only', async () => {
    const a = adapter(`${baseUrl}/v1/`);
    try {
      expect(await a.listModels()).toEqual([{ id: 'claude-sonnet-4', object: 'model', created: 1747872000, owned_by: 'anthropic', display_name: 'Claude Sonnet 4' }]);
      expect([...a.endpoints]).toEqual(['chat']);
    } finally { await a.close(); }
  });
});
