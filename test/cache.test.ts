// Issue 3 end to end: the two-tier cache in front of a fake OpenAI, through real HTTP.
import OpenAI from 'openai';
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/engine/clock.ts';
import { estimatePromptTokens, estimateTextTokens } from '../src/engine/routing/token-estimate.ts';
import { chatCompletion, defaults, FakeUpstream, json, sseChunks } from './helpers/fake-upstream.ts';
import { startTestEngine, type TestEngine } from './helpers/test-engine.ts';

const jsonOf = async (r: Response | Promise<Response>): Promise<any> => (await r).json();
const CHAT = 'POST /v1/chat/completions';
let fake: FakeUpstream;
let clock: ManualClock;
let sluice: TestEngine;
const dirs: string[] = [];

function provider(url: string) {
  return [{ id: 'upstream', type: 'openai-compatible' as const, baseUrl: url, apiKey: 'sk-upstream' }];
}

async function start(config: Record<string, unknown> = {}, dataDir?: string): Promise<TestEngine> {
  return startTestEngine({ providers: provider(fake.url), deps: { clock }, config, dataDir, keepDataDir: dataDir !== undefined });
}

function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(sluice.url + path, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer sk-client', ...headers }, body: JSON.stringify(body) });
}

const ask = (content: string, extra: Record<string, unknown> = {}) => ({ model: 'gpt-test', messages: [{ role: 'user', content }], ...extra });

beforeEach(async () => {
  fake = new FakeUpstream();
  await fake.start();
  clock = new ManualClock();
});

afterEach(async () => {
  await sluice?.stop();
  await fake.stop();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('exact cache', () => {
  beforeEach(async () => { sluice = await start(); });

  it('answers the same request a second time from memory, byte for byte, with an age', async () => {
    const a = await post('/v1/chat/completions', ask('hello'));
    const first = Buffer.from(await a.arrayBuffer());
    expect(a.headers.get('x-sluice-cache')).toBe('miss');
    clock.advance(5_000);
    const b = await post('/v1/chat/completions', ask('hello'));
    const second = Buffer.from(await b.arrayBuffer());
    expect(b.status).toBe(200);
    expect(b.headers.get('x-sluice-cache')).toBe('hit-memory');
    expect(b.headers.get('age')).toBe('5');
    expect(b.headers.get('content-type')).toBe('application/json');
    expect(b.headers.get('x-sluice-provider')).toBe('upstream');
    expect(second.equals(first)).toBe(true);
    expect(fake.calls(CHAT)).toHaveLength(1);
  });

  it('keeps different prompts, namespaces and tenants apart', async () => {
    await post('/v1/chat/completions', ask('one'));
    expect((await post('/v1/chat/completions', ask('two'))).headers.get('x-sluice-cache')).toBe('miss');
    const ns = await post('/v1/chat/completions', ask('one'), { 'x-sluice-cache-namespace': 'team-b' });
    expect(ns.headers.get('x-sluice-cache')).toBe('miss');
    const nsAgain = await post('/v1/chat/completions', ask('one'), { 'x-sluice-cache-namespace': 'team-b' });
    expect(nsAgain.headers.get('x-sluice-cache')).toBe('hit-memory');
    const tenant = await post('/v1/chat/completions', ask('one'), { authorization: 'Bearer sk-someone-else' });
    expect(tenant.headers.get('x-sluice-cache')).toBe('miss');
    expect(fake.calls(CHAT)).toHaveLength(4);
  });

  it('Cache-Control: no-cache skips the read and refreshes the entry', async () => {
    await post('/v1/chat/completions', ask('news'));
    fake.on(CHAT, (req, res) => json(res, 200, chatCompletion(String(req.body.model), 'fresh news')));
    const r = await post('/v1/chat/completions', ask('news'), { 'cache-control': 'no-cache' });
    expect(r.headers.get('x-sluice-cache')).toBe('refresh');
    expect((await jsonOf(r)).choices[0].message.content).toBe('fresh news');
    const later = await post('/v1/chat/completions', ask('news'));
    expect(later.headers.get('x-sluice-cache')).toBe('hit-memory');
    expect((await jsonOf(later)).choices[0].message.content).toBe('fresh news');
  });

  it('Cache-Control: no-store neither reads nor writes', async () => {
    await post('/v1/chat/completions', ask('secret'));
    const r = await post('/v1/chat/completions', ask('secret'), { 'cache-control': 'no-store' });
    expect(r.headers.get('x-sluice-cache')).toBe('bypass');
    const other = await post('/v1/chat/completions', ask('never kept'), { 'cache-control': 'no-store' });
    expect(other.headers.get('x-sluice-cache')).toBe('bypass');
    expect((await post('/v1/chat/completions', ask('never kept'))).headers.get('x-sluice-cache')).toBe('miss');
    expect(fake.calls(CHAT)).toHaveLength(4);
  });

  it('x-sluice-cache-ttl sets how long an entry is fresh', async () => {
    await post('/v1/chat/completions', ask('short'), { 'x-sluice-cache-ttl': '10' });
    clock.advance(9_000);
    expect((await post('/v1/chat/completions', ask('short'))).headers.get('x-sluice-cache')).toBe('hit-memory');
    clock.advance(2_000);
    expect((await post('/v1/chat/completions', ask('short'))).headers.get('x-sluice-cache')).toBe('miss');
    expect(fake.calls(CHAT)).toHaveLength(2);
  });

  it('never caches an error answer or a stream that broke off', async () => {
    fake.on(CHAT, (_req, res) => json(res, 500, { error: { message: 'boom', type: 'server_error' } }));
    expect((await post('/v1/chat/completions', ask('fails'))).status).toBe(500);
    fake.on(CHAT, (req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (const c of sseChunks(String(req.body.model), ['partial']).slice(0, 2)) res.write(c);
      res.end(); // no finish_reason, no [DONE]
    });
    const cut = await post('/v1/chat/completions', ask('fails', { stream: true }));
    await cut.text();
    fake.behaviours[CHAT] = defaults[CHAT];
    const plain = await post('/v1/chat/completions', ask('fails'));
    expect(plain.status).toBe(200);
    expect(plain.headers.get('x-sluice-cache')).toBe('miss');
    expect(fake.calls(CHAT)).toHaveLength(3);
  });

  it('caches embeddings and speech byte for byte with their Content-Type and length', async () => {
    const emb = { model: 'embed-test', input: ['abc', 'de'] };
    const e1 = Buffer.from(await (await post('/v1/embeddings', emb)).arrayBuffer());
    const e2r = await post('/v1/embeddings', emb);
    const e2 = Buffer.from(await e2r.arrayBuffer());
    expect(e2r.headers.get('x-sluice-cache')).toBe('hit-memory');
    expect(e2r.headers.get('content-type')).toBe('application/json');
    expect(e2.equals(e1)).toBe(true);
    const speech = { model: 'tts-test', voice: 'alloy', input: 'Hello there' };
    const s1 = Buffer.from(await (await post('/v1/audio/speech', speech)).arrayBuffer());
    const s2r = await post('/v1/audio/speech', speech);
    const s2 = Buffer.from(await s2r.arrayBuffer());
    expect(s2r.headers.get('x-sluice-cache')).toBe('hit-memory');
    expect(s2r.headers.get('content-type')).toBe('audio/mpeg');
    expect(s2r.headers.get('content-length')).toBe(String(s1.length));
    expect(s2.equals(s1)).toBe(true);
    expect(fake.calls('POST /v1/embeddings')).toHaveLength(1);
    expect(fake.calls('POST /v1/audio/speech')).toHaveLength(1);
  });
});

describe('streams and the cache', () => {
  beforeEach(async () => { sluice = await start(); });

  it('replays a cached answer as a proper SSE stream the openai SDK reassembles', async () => {
    const toolCalls = [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris","unit":"celsius"}' } }];
    fake.on(CHAT, (req, res) => json(res, 200, {
      id: 'chatcmpl-tools', object: 'chat.completion', created: 1_700_000_000, model: req.body.model,
      choices: [{ index: 0, message: { role: 'assistant', content: 'Let me check the weather for you in Paris.', tool_calls: toolCalls }, finish_reason: 'tool_calls' }],
      usage: { prompt_tokens: 11, completion_tokens: 22, total_tokens: 33 },
    }));
    await post('/v1/chat/completions', ask('weather?'));
    const client = new OpenAI({ baseURL: `${sluice.url}/v1`, apiKey: 'sk-client', maxRetries: 0 });
    const { data: stream, response } = await client.chat.completions
      .create({ ...ask('weather?'), stream: true, stream_options: { include_usage: true } } as OpenAI.ChatCompletionCreateParamsStreaming)
      .withResponse();
    expect(response.headers.get('x-sluice-cache')).toBe('hit-memory');
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    let text = '';
    let finish: string | null = null;
    let usage: unknown = null;
    const args: string[] = [];
    let name = '';
    let chunks = 0;
    for await (const c of stream) {
      chunks++;
      text += c.choices[0]?.delta?.content ?? '';
      finish = c.choices[0]?.finish_reason ?? finish;
      for (const t of c.choices[0]?.delta?.tool_calls ?? []) { if (t.function?.name) name = t.function.name; args.push(t.function?.arguments ?? ''); }
      if (c.usage) usage = c.usage;
    }
    expect(chunks).toBeGreaterThan(3);
    expect(text).toBe('Let me check the weather for you in Paris.');
    expect(name).toBe('get_weather');
    expect(args.join('')).toBe('{"city":"Paris","unit":"celsius"}');
    expect(finish).toBe('tool_calls');
    expect(usage).toEqual({ prompt_tokens: 11, completion_tokens: 22, total_tokens: 33 });
    const raw = await (await post('/v1/chat/completions', ask('weather?', { stream: true }))).text();
    expect(raw.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(raw).not.toContain('"usage"');
    expect(fake.calls(CHAT)).toHaveLength(1);
  });

  it('a complete streamed answer serves later plain requests', async () => {
    const s = await post('/v1/chat/completions', ask('stream first', { stream: true }));
    expect(s.headers.get('x-sluice-cache')).toBe('miss');
    await s.text();
    const p = await post('/v1/chat/completions', ask('stream first'));
    expect(p.headers.get('x-sluice-cache')).toBe('hit-memory');
    const body = await jsonOf(p);
    expect(body.object).toBe('chat.completion');
    expect(body.choices[0].message).toMatchObject({ role: 'assistant', content: 'echo: "stream first"' });
    expect(body.choices[0].finish_reason).toBe('stop');
    expect(fake.calls(CHAT)).toHaveLength(1);
  });

  it('a plain answer serves later streamed requests', async () => {
    await post('/v1/chat/completions', ask('plain first'));
    const client = new OpenAI({ baseURL: `${sluice.url}/v1`, apiKey: 'sk-client', maxRetries: 0 });
    const stream = await client.chat.completions.create({ ...ask('plain first'), stream: true } as OpenAI.ChatCompletionCreateParamsStreaming);
    let text = '';
    for await (const c of stream) text += c.choices[0]?.delta?.content ?? '';
    expect(text).toBe('echo: "plain first"');
    expect(fake.calls(CHAT)).toHaveLength(1);
  });
});

describe('policies', () => {
  it("mode 'deterministic' caches only deterministic requests", async () => {
    sluice = await start({ cache: { mode: 'deterministic' } });
    const warm = ask('creative', { temperature: 0.9 });
    await post('/v1/chat/completions', warm);
    const again = await post('/v1/chat/completions', warm);
    expect(again.headers.get('x-sluice-cache')).toBe('bypass');
    await post('/v1/chat/completions', ask('exact', { temperature: 0 }));
    expect((await post('/v1/chat/completions', ask('exact', { temperature: 0 }))).headers.get('x-sluice-cache')).toBe('hit-memory');
    expect(fake.calls(CHAT)).toHaveLength(3);
  });

  it('per-model overrides turn caching off or change the TTL by glob', async () => {
    sluice = await start({ cache: { perModel: [{ model: 'live-*', enabled: false }, { model: 'gpt-*', ttlSeconds: 60 }] } });
    await post('/v1/chat/completions', { ...ask('x'), model: 'live-feed' });
    expect((await post('/v1/chat/completions', { ...ask('x'), model: 'live-feed' })).headers.get('x-sluice-cache')).toBe('bypass');
    await post('/v1/chat/completions', ask('y'));
    clock.advance(61_000);
    expect((await post('/v1/chat/completions', ask('y'))).headers.get('x-sluice-cache')).toBe('miss');
  });

  it('caching disabled in the config bypasses the cache', async () => {
    sluice = await start({ cache: { enabled: false } });
    await post('/v1/chat/completions', ask('x'));
    expect((await post('/v1/chat/completions', ask('x'))).headers.get('x-sluice-cache')).toBe('bypass');
    expect(fake.calls(CHAT)).toHaveLength(2);
  });

  it('serves an expired entry when the upstream fails, within the stale limit', async () => {
    sluice = await start({ cache: { ttlSeconds: 60, staleMaxSeconds: 3600 } });
    const first = await (await post('/v1/chat/completions', ask('weather'))).text();
    clock.advance(120_000);
    fake.on(CHAT, (_req, res) => json(res, 503, { error: { message: 'overloaded', type: 'server_error' } }));
    const r = await post('/v1/chat/completions', ask('weather'));
    expect(r.status).toBe(200);
    expect(r.headers.get('x-sluice-cache')).toBe('stale');
    expect(r.headers.get('age')).toBe('120');
    expect(await r.text()).toBe(first);
    clock.advance(3600_000);
    expect((await post('/v1/chat/completions', ask('weather'))).status).toBe(503);
  });

  it('does not serve stale when serveStale is off', async () => {
    sluice = await start({ cache: { ttlSeconds: 60, serveStale: false } });
    await post('/v1/chat/completions', ask('weather'));
    clock.advance(120_000);
    fake.on(CHAT, (_req, res) => json(res, 503, { error: { message: 'overloaded', type: 'server_error' } }));
    const r = await post('/v1/chat/completions', ask('weather'));
    expect(r.status).toBe(503);
  });
});

describe('disk tier', () => {
  it('serves from disk after a restart on the same data dir', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sluice-cache-test-'));
    dirs.push(dataDir);
    sluice = await start({}, dataDir);
    const first = Buffer.from(await (await post('/v1/chat/completions', ask('persist me'))).arrayBuffer());
    const speech = { model: 'tts-test', voice: 'nova', input: 'kept on disk' };
    const audio = Buffer.from(await (await post('/v1/audio/speech', speech)).arrayBuffer());
    await sluice.stop();
    sluice = await start({}, dataDir);
    clock.advance(3_000);
    const r = await post('/v1/chat/completions', ask('persist me'));
    expect(r.headers.get('x-sluice-cache')).toBe('hit-disk');
    expect(r.headers.get('age')).toBe('3');
    expect(Buffer.from(await r.arrayBuffer()).equals(first)).toBe(true);
    const s = await post('/v1/audio/speech', speech);
    expect(s.headers.get('x-sluice-cache')).toBe('hit-disk');
    expect(s.headers.get('content-type')).toBe('audio/mpeg');
    expect(Buffer.from(await s.arrayBuffer()).equals(audio)).toBe(true);
    expect((await post('/v1/chat/completions', ask('persist me'))).headers.get('x-sluice-cache')).toBe('hit-memory');
    expect(fake.calls(CHAT)).toHaveLength(1);
  });

  it('answers from an entry an older version stored without usage with an estimate, and keeps it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sluice-cache-test-'));
    dirs.push(dataDir);
    sluice = await start({}, dataDir);
    const client = () => new OpenAI({ baseURL: `${sluice.url}/v1`, apiKey: 'sk-client', maxRetries: 0 });
    const question = { model: 'gpt-test', messages: [{ role: 'user' as const, content: 'stored long ago' }] };
    for await (const _ of await client().chat.completions.create({ ...question, stream: true })) { /* drain */ }
    await sluice.stop();
    // what a version-1 cache.db holds for such a stream: no usage in the body, 0 + 0 tokens
    const db = new Database(join(dataDir, 'cache.db'));
    const row = db.prepare('SELECT key, body FROM cache_entries').get() as { key: string; body: Buffer };
    const { usage: _usage, ...completion } = JSON.parse(row.body.toString());
    const body = Buffer.from(JSON.stringify(completion));
    db.prepare('UPDATE cache_entries SET body = ?, checksum = ?, size = ?, prompt_tokens = 0, completion_tokens = 0, cost_usd = 0 WHERE key = ?')
      .run(body, createHash('sha256').update(body).digest(), body.length, row.key);
    db.exec('ALTER TABLE cache_entries DROP COLUMN usage_estimated');
    db.pragma('user_version = 1');
    db.close();

    sluice = await start({}, dataDir);
    const prompt = estimatePromptTokens(question.messages);
    const completionTokens = estimateTextTokens('echo: "stored long ago"');
    const usage = { prompt_tokens: prompt, completion_tokens: completionTokens, total_tokens: prompt + completionTokens };
    const { data: plain, response } = await client().chat.completions.create(question).withResponse();
    expect(response.headers.get('x-sluice-cache')).toBe('hit-disk');
    expect(plain.usage).toEqual(usage);
    const saved = async () => (await jsonOf(sluice.admin('/admin/api/cache/stats'))).saved.tokens as number;
    const before = await saved();
    const chunks = [];
    for await (const c of await client().chat.completions.create({ ...question, stream: true, stream_options: { include_usage: true } })) chunks.push(c);
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage });
    expect(await saved()).toBe(before + usage.total_tokens);
    const entries = await jsonOf(sluice.admin('/admin/api/cache/entries'));
    expect(entries.items).toEqual([expect.objectContaining({ promptTokens: prompt, completionTokens, usageEstimated: true })]);
    expect(fake.calls(CHAT)).toHaveLength(1);
  });
});
