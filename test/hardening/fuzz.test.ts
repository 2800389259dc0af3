// Bad input, generated: more than 10,000 bodies and header sets from fast-check against every
// proxy endpoint and every admin route (with the token). Whatever arrives, Sluice answers with a
// status below 500 (the input is at fault, not Sluice), in bounded time, and keeps answering.
// Then the classics by hand: invalid UTF-8, deep nesting, huge numbers, duplicate keys, slowloris.
import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, defaultConfig, defaultDeps, silentLogger, type Engine } from '../../src/engine/index.ts';
import { adminRoutes } from '../../src/shared/admin-api.ts';
import { fastSimulator } from '../helpers/test-engine.ts';

const TOKEN = 'fuzz-admin-token-0123456789';
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const PER_REQUEST_MS = 10_000;
const HEADERS_TIMEOUT_MS = 600;

let engine: Engine;
let url: string;
let dataDir: string;
let pool: Pool;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'sluice-fuzz-'));
  const config = defaultConfig();
  config.server.port = 0;
  config.server.shutdownGraceMs = 1_000;
  config.providers = [fastSimulator];
  engine = createEngine(config, defaultDeps(dataDir, { logger: silentLogger }), { detectLocal: false, adminToken: TOKEN, headersTimeoutMs: HEADERS_TIMEOUT_MS });
  url = await engine.start();
  pool = new Pool(url, { connections: 8 });
});
afterAll(async () => {
  await pool.close();
  await engine.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

interface Case { method: string; path: string; headers: Record<string, string>; body?: string | Buffer }
interface Failure { status: number | string; method: string; path: string; headers: Record<string, string>; body: string; answer: string }

/** Fire the cases 8 at a time; collect every 5xx, transport error and timeout. */
async function fire(cases: Case[]): Promise<{ failures: Failure[]; statuses: Map<number, number> }> {
  const failures: Failure[] = [];
  const statuses = new Map<number, number>();
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const c = cases[next++];
      try {
        const res = await pool.request({ method: c.method as 'GET', path: c.path, headers: c.headers, body: c.body, signal: AbortSignal.timeout(PER_REQUEST_MS) });
        const text = await res.body.text();
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        // Not the input's doing: the engine paused by a fuzzed admin call, or the panel not built in this checkout.
        const state = (res.statusCode === 503 && text.includes('"paused"')) || (res.statusCode === 503 && c.path.startsWith('/ui'));
        if (res.statusCode >= 500 && !state) failures.push({ status: res.statusCode, ...c, body: String(c.body ?? '').slice(0, 300), answer: text.slice(0, 300) });
        if (res.statusCode >= 400 && !/^application\/json/.test(String(res.headers['content-type'] ?? '')) && c.method !== 'HEAD' && !c.path.startsWith('/ui')) {
          failures.push({ status: `${res.statusCode} without a JSON error`, ...c, body: String(c.body ?? '').slice(0, 300), answer: text.slice(0, 300) });
        }
      } catch (err) {
        failures.push({ status: String((err as Error).name), ...c, body: String(c.body ?? '').slice(0, 300), answer: String((err as Error).message) });
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return { failures, statuses };
}

async function stillServing(): Promise<void> {
  await fetch(`${url}/admin/api/engine/pause`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` }, body: '{"paused":false}' });
  const health = await fetch(`${url}/healthz`);
  expect(health.status).toBe(200);
  const res = await fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'sim-chat', messages: [{ role: 'user', content: 'still there?' }] }) });
  expect(res.status).toBe(200);
  expect(((await res.json()) as { choices: Array<{ message: { content: string } }> }).choices[0].message.content.length).toBeGreaterThan(0);
}

// ---- generators -------------------------------------------------------------------------------

const anyJson = fc.jsonValue({ maxDepth: 4 });
/** Usually the right type, sometimes anything at all. */
const or = <T,>(good: fc.Arbitrary<T>) => fc.oneof({ weight: 3, arbitrary: good }, { weight: 1, arbitrary: anyJson });
const text = fc.string({ maxLength: 40, unit: 'grapheme' });
const smallInt = fc.oneof(fc.integer({ min: -5, max: 4096 }), fc.constantFrom(0, -1, 2 ** 31, 2 ** 53, Number.MAX_SAFE_INTEGER, 1e21));
const num = fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(0, -0, 2, 1e308, -1e308, 5e-324));
const message = fc.record({
  role: or(fc.constantFrom('system', 'user', 'assistant', 'tool', 'developer', 'function', 'root')),
  content: or(fc.oneof(text, fc.array(fc.record({ type: or(fc.constantFrom('text', 'image_url', 'input_audio')), text: or(text) }, { requiredKeys: [] }), { maxLength: 3 }))),
  name: or(text), tool_call_id: or(text),
}, { requiredKeys: [] });

/** A valid body, a valid body with one field replaced by anything (or removed), or a record of anything-ish fields. */
function around(valid: fc.Arbitrary<Record<string, unknown>>, noisy: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<Record<string, unknown>> {
  const keys = fc.string({ maxLength: 8 });
  const mutated = fc.tuple(valid, fc.nat(), fc.option(anyJson, { nil: undefined, freq: 4 }), keys).map(([v, i, value, extra]) => {
    const names = [...Object.keys(v), extra];
    const name = names[i % names.length];
    const out: Record<string, unknown> = { ...v };
    if (value === undefined) delete out[name]; else out[name] = value;
    return out;
  });
  return fc.oneof({ weight: 2, arbitrary: valid }, { weight: 5, arbitrary: mutated }, { weight: 3, arbitrary: noisy });
}

const validMessage = fc.record({ role: fc.constantFrom('system', 'user', 'assistant', 'developer'), content: text }).map((m) => (m.role === 'assistant' ? m : m));
const validChat = fc.record({
  model: fc.constantFrom('sim-chat', 'sim-fast', 'sim-reasoner', 'simulator/sim-chat'),
  messages: fc.array(validMessage, { minLength: 1, maxLength: 4 }).map((ms) => [...ms, { role: 'user', content: 'last' }]),
  stream: fc.boolean(), temperature: fc.double({ min: 0, max: 2, noNaN: true }), n: fc.integer({ min: 1, max: 3 }),
  max_tokens: fc.integer({ min: 1, max: 512 }), seed: fc.integer(), stream_options: fc.record({ include_usage: fc.boolean() }),
  stop: fc.oneof(text, fc.array(text, { maxLength: 4 })), user: text,
  tools: fc.constant([{ type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: {} } } }]),
}, { requiredKeys: ['model', 'messages'] });
const noisyChat = fc.record({
  model: or(fc.constantFrom('sim-chat', 'auto', '', 'nope', 'sim-embed', 'sim-tts')),
  messages: or(fc.array(message, { maxLength: 4 })),
  stream: or(fc.boolean()), temperature: or(num), top_p: or(num), n: or(fc.integer({ min: -2, max: 8 })), seed: or(smallInt),
  max_tokens: or(fc.integer({ min: -2, max: 2048 })), stop: or(fc.oneof(text, fc.array(text, { maxLength: 5 }))),
  tool_choice: anyJson, response_format: anyJson, logit_bias: anyJson, presence_penalty: or(num),
}, { requiredKeys: [] });
const chatBody = around(validChat, noisyChat);

const validEmbeddings = fc.record({
  model: fc.constantFrom('sim-embed', 'simulator/sim-embed'),
  input: fc.oneof(text, fc.array(text, { minLength: 1, maxLength: 6 })), encoding_format: fc.constantFrom('float', 'base64'), dimensions: fc.integer({ min: 1, max: 64 }),
}, { requiredKeys: ['model', 'input'] });
const noisyEmbeddings = fc.record({
  model: or(fc.constantFrom('sim-embed', 'sim-chat', '', 'nope')),
  input: or(fc.oneof(text, fc.array(text, { maxLength: 6 }), fc.array(fc.integer({ min: -1, max: 100_000 }), { maxLength: 6 }), fc.array(fc.array(fc.integer(), { maxLength: 4 }), { maxLength: 3 }))),
  encoding_format: or(fc.constantFrom('float', 'base64', 'binary')), dimensions: or(smallInt), user: or(text),
}, { requiredKeys: [] });
const embeddingsBody = around(validEmbeddings, noisyEmbeddings);

/** Mostly short inputs: a 4,000-character input is legitimately ~12 MB of audio and a second of work. */
const speechInput = fc.oneof({ weight: 150, arbitrary: text }, { weight: 1, arbitrary: fc.string({ minLength: 4000, maxLength: 4200 }) });
const validSpeech = fc.record({
  model: fc.constantFrom('sim-tts', 'simulator/sim-tts'), input: fc.string({ minLength: 1, maxLength: 60 }), voice: fc.constantFrom('alloy', 'nova', 'echo'),
  response_format: fc.constantFrom('wav', 'pcm'), speed: fc.double({ min: 0.25, max: 4, noNaN: true }),
}, { requiredKeys: ['model', 'input', 'voice'] });
const noisySpeech = fc.record({
  model: or(fc.constantFrom('sim-tts', 'sim-chat', '', 'tts-1')),
  input: or(speechInput), voice: or(fc.constantFrom('alloy', 'nova', '', 'x'.repeat(300))),
  response_format: or(fc.constantFrom('wav', 'pcm', 'mp3', 'opus', 'flac', 'aac', 'exe')), speed: or(num), instructions: or(text),
  text: or(text), format: anyJson,
}, { requiredKeys: [] });
const speechBody = around(validSpeech, noisySpeech);

const headerValue = fc.string({ maxLength: 60, unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) });
const headersArb = fc.record({
  'content-type': fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', ''),
  'cache-control': fc.oneof(headerValue, fc.constantFrom('no-cache', 'no-store', 'max-age=0, no-store')),
  'x-sluice-cache-ttl': fc.oneof(headerValue, fc.constantFrom('0', '-1', '99999999999', '1e9', '60')),
  'x-sluice-cache-namespace': headerValue, 'x-sluice-priority': fc.oneof(headerValue, fc.constantFrom('high', 'low')),
  'x-sluice-tags': headerValue, 'x-sluice-client': headerValue, authorization: fc.oneof(headerValue, headerValue.map((v) => `Bearer ${v}`)),
  'x-api-key': headerValue, accept: headerValue, 'accept-encoding': fc.constantFrom('gzip', 'br', 'identity', '*'),
}, { requiredKeys: [] }).map((h) => Object.fromEntries(Object.entries(h).filter(([, v]) => v !== '')) as Record<string, string>);

/** A body: usually the JSON of a generated object, sometimes that text damaged, sometimes raw bytes. */
function bodyOf(obj: fc.Arbitrary<unknown>): fc.Arbitrary<string | Buffer> {
  return fc.oneof(
    { weight: 8, arbitrary: obj.map((o) => JSON.stringify(o)) },
    { weight: 1, arbitrary: fc.tuple(obj, fc.nat(), fc.nat()).map(([o, a, b]) => { const s = JSON.stringify(o); const i = a % (s.length + 1); return s.slice(0, i) + s.slice(i + (b % 4)); }) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((u) => Buffer.from(u)) },
  );
}

function sample<T>(arb: fc.Arbitrary<T>, n: number, offset: number): T[] {
  return fc.sample(arb, { numRuns: n, seed: SEED + offset });
}

function proxyCases(paths: string[], body: fc.Arbitrary<unknown>, n: number, offset: number): Case[] {
  return sample(fc.tuple(fc.constantFrom(...paths), bodyOf(body), headersArb), n, offset).map(([path, b, headers]) => ({ method: 'POST', path, headers, body: b }));
}

function report(failures: Failure[]): string {
  return `seed ${SEED} (rerun with FUZZ_SEED=${SEED}); ${failures.length} failures, first ones:\n` + JSON.stringify(failures.slice(0, 5), null, 2);
}

let total = 0;

describe(`fuzzing every endpoint (seed ${SEED})`, () => {
  it('chat completions: 4,000 generated bodies and headers, never a 5xx, never a hang', { timeout: 60_000 }, async () => {
    const cases = proxyCases(['/v1/chat/completions', '/chat/completions', '/llm/chat/completions'], chatBody, 4_000, 1);
    const { failures, statuses } = await fire(cases);
    total += cases.length;
    expect(failures, report(failures)).toEqual([]);
    expect(statuses.get(200) ?? 0, 'some generated bodies are valid and answered').toBeGreaterThan(50);
    expect([...statuses.keys()].some((s) => s >= 400 && s < 500)).toBe(true);
    await stillServing();
  });

  it('embeddings: 1,500', { timeout: 60_000 }, async () => {
    const cases = proxyCases(['/v1/embeddings', '/embeddings'], embeddingsBody, 1_500, 2);
    const { failures, statuses } = await fire(cases);
    total += cases.length;
    expect(failures, report(failures)).toEqual([]);
    expect(statuses.get(200) ?? 0).toBeGreaterThan(20);
    await stillServing();
  });

  it('speech (OpenAI and legacy paths): 1,000', { timeout: 60_000 }, async () => {
    const cases = proxyCases(['/v1/audio/speech', '/tts/synthesize'], speechBody, 1_000, 3);
    const { failures, statuses } = await fire(cases);
    total += cases.length;
    expect(failures, report(failures)).toEqual([]);
    expect(statuses.get(200) ?? 0).toBeGreaterThan(5);
    await stillServing();
  });

  it('other paths, methods and request targets: 1,000', { timeout: 60_000 }, async () => {
    const pathArb = fc.oneof(
      fc.constantFrom('/v1/models', '/models', '/v1/models/sim-chat', '/healthz', '/', '/ui/', '/ui/../../etc/passwd', '/v1/models/%00', '/v1/models/%E0%A4%A', '/v1/chat/completions/', '//v1//models'),
      fc.webPath().map((p) => p || '/'),
      fc.webPath().map((p) => '/v1/models/' + encodeURIComponent(p)),
    );
    const cases = sample(fc.tuple(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'), pathArb, headersArb, fc.option(bodyOf(anyJson), { nil: undefined })), 1_000, 4)
      .map(([method, path, headers, body]) => ({ method, path, headers, body: method === 'GET' || method === 'HEAD' ? undefined : body }));
    const { failures } = await fire(cases);
    total += cases.length;
    expect(failures, report(failures)).toEqual([]);
    await stillServing();
  });

  it('the admin API, with the token: 3,000 across every route', { timeout: 60_000 }, async () => {
    const routes = Object.values(adminRoutes).filter((r) => !/\/(engine\/pause|loadtests$|webhook)/.test(r.path));
    const param = fc.oneof(fc.constantFrom('x', 'sim-chat', 'simulator2', '0', '-1', '%00', '..%2F..', 'a'.repeat(300)), fc.string({ maxLength: 20 }).map(encodeURIComponent));
    const query = fc.dictionary(fc.constantFrom('limit', 'before', 'model', 'provider', 'status', 'cache', 'text', 'offset', 'range', 'window', 'q', 'endpoint', 'namespace'),
      fc.oneof(fc.constantFrom('-1', '0', '1e309', 'NaN', 'ok', 'error', '%', '_', "'; DROP TABLE request_log; --"), fc.string({ maxLength: 12 })), { maxKeys: 3 });
    const cases = sample(fc.tuple(fc.constantFrom(...routes), param, query, bodyOf(anyJson)), 3_000, 5).map(([r, p, q, body]) => {
      const qs = new URLSearchParams(q).toString();
      return {
        method: r.method, path: r.path.replace(/:(\w+)/g, p) + (qs ? `?${qs}` : ''),
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: r.method === 'GET' || r.method === 'DELETE' ? undefined : body,
      };
    });
    const { failures, statuses } = await fire(cases);
    total += cases.length;
    expect(failures, report(failures)).toEqual([]);
    expect(statuses.get(200) ?? 0).toBeGreaterThan(100);
    await stillServing();
  });

  it('ran more than 10,000 generated requests in all', () => {
    expect(total).toBeGreaterThanOrEqual(10_000);
  });
});

// ---- the classics -----------------------------------------------------------------------------

async function raw(body: string | Buffer, path = '/v1/chat/completions'): Promise<{ status: number; json: any }> {
  const res = await pool.request({ method: 'POST', path, headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(PER_REQUEST_MS) });
  const text = await res.body.text();
  return { status: res.statusCode, json: JSON.parse(text) };
}

describe('hand-made bad input', () => {
  const valid = { model: 'sim-chat', messages: [{ role: 'user', content: 'hi' }] };

  it('invalid UTF-8 in the body is a 400, wherever it sits', async () => {
    for (const bad of [Buffer.from([0xff, 0xfe]), Buffer.from([0xc3, 0x28]), Buffer.concat([Buffer.from('{"model":"sim-chat","messages":[{"role":"user","content":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}]}')])]) {
      const r = await raw(bad);
      expect(r.status).toBe(400);
      expect(r.json.error.code).toBe('invalid_json');
    }
  });

  it('deeply nested JSON (100,000 levels) is a 400 without blowing the stack', async () => {
    for (const deep of ['['.repeat(100_000) + ']'.repeat(100_000), `{"model":"sim-chat","messages":${'['.repeat(50_000)}${']'.repeat(50_000)}}`, '{"a":'.repeat(20_000) + '1' + '}'.repeat(20_000)]) {
      const r = await raw(deep);
      expect(r.status).toBe(400);
    }
  });

  it('huge numbers are refused by range, not by a crash', async () => {
    for (const [field, value] of [['max_tokens', '1e400'], ['max_tokens', '123456789012345678901234567890'], ['temperature', '1e308'], ['temperature', '-1e400'], ['n', '1e20'], ['max_tokens', '10000001']]) {
      const r = await raw(`{"model":"sim-chat","messages":[{"role":"user","content":"hi"}],"${field}":${value}}`);
      expect(r.status, `${field}: ${value}`).toBe(400);
      expect(r.json.error.param).toBe(field);
    }
    const emb = await raw('{"model":"sim-embed","input":[1e400, 99999999999999999999]}', '/v1/embeddings');
    expect(emb.status).toBeLessThan(500);
  });

  it('duplicate keys: the last one wins, as in JSON.parse, and the request is answered consistently', async () => {
    const r = await raw('{"model":"nope","model":"sim-chat","messages":[],"messages":[{"role":"user","content":"dup"}]}');
    expect(r.status).toBe(200);
    expect(r.json.model).toBe('sim-chat');
    const bad = await raw('{"model":"sim-chat","model":"nope","messages":[{"role":"user","content":"dup"}]}');
    expect(bad.status).toBe(404);
  });

  it('__proto__ and constructor keys do not pollute anything', async () => {
    const r = await raw('{"model":"sim-chat","messages":[{"role":"user","content":"p"}],"__proto__":{"polluted":true,"model":"nope"},"constructor":{"prototype":{"polluted":true}}}');
    expect(r.status).toBeLessThan(500);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
    await stillServing();
  });

  it('lone surrogates, NULs and a body just under the limit', async () => {
    expect((await raw(JSON.stringify({ ...valid, messages: [{ role: 'user', content: 'a\ud800b\u0000c' }] }))).status).toBe(200);
    const limit = engine.config.server.bodyLimitBytes;
    const big = JSON.stringify({ ...valid, messages: [{ role: 'user', content: 'x'.repeat(limit - 200) }] });
    expect(Buffer.byteLength(big)).toBeLessThanOrEqual(limit);
    expect((await raw(big)).status).toBeLessThan(500);
    expect((await raw(big + ' '.repeat(400))).status).toBe(413);
  });

  it('slowloris: a client that sends its headers slowly is cut off, and others are served meanwhile', { timeout: 15_000 }, async () => {
    const { port } = new URL(url);
    const sock = connect(Number(port), '127.0.0.1');
    await new Promise<void>((r) => sock.once('connect', () => r()));
    const t0 = performance.now();
    const closed = new Promise<number>((r) => sock.once('close', () => r(performance.now() - t0)));
    let answer = '';
    sock.on('data', (d) => { answer += d; });
    sock.on('error', () => {});
    sock.write('POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    const drip = setInterval(() => { if (!sock.destroyed) sock.write('x-drip: 1\r\n'); }, 100);
    await stillServing();
    const ms = await closed;
    clearInterval(drip);
    expect(ms).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 50);
    expect(ms).toBeLessThan(HEADERS_TIMEOUT_MS + 3_000);
    expect(answer).toMatch(/^HTTP\/1\.1 (408|400)/);
    await stillServing();
  });

  it('a client that opens 200 idle connections does not stop others being served', { timeout: 15_000 }, async () => {
    const { port } = new URL(url);
    const socks = await Promise.all(Array.from({ length: 200 }, () => new Promise<ReturnType<typeof connect>>((r) => { const s = connect(Number(port), '127.0.0.1', () => r(s)); s.on('error', () => {}); })));
    await stillServing();
    for (const s of socks) s.destroy();
  });
});

describe('a client that sends its body slowly', () => {
  it('is cut off after requestTimeoutMs, while a response streaming longer than that is not', { timeout: 20_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-slowbody-'));
    const config = defaultConfig();
    config.server.port = 0;
    config.server.shutdownGraceMs = 500;
    config.providers = [{ ...fastSimulator, options: { ttftMs: 10, tokensPerSecond: 40, failureRate: 0, extraLatencyMs: 0 } }];
    const slow = createEngine(config, defaultDeps(dir, { logger: silentLogger }), { detectLocal: false, adminToken: TOKEN, headersTimeoutMs: 500, requestTimeoutMs: 1_200 });
    const base = await slow.start();
    try {
      const { port } = new URL(base);
      const sock = connect(Number(port), '127.0.0.1');
      sock.on('error', () => {});
      let answer = '';
      sock.on('data', (d) => { answer += d; });
      await new Promise<void>((r) => sock.once('connect', () => r()));
      const t0 = performance.now();
      const closed = new Promise<number>((r) => sock.once('close', () => r(performance.now() - t0)));
      sock.write('POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{');
      const drip = setInterval(() => { if (!sock.destroyed) sock.write(' '); }, 100);
      const ms = await closed;
      clearInterval(drip);
      expect(ms).toBeGreaterThanOrEqual(1_000);
      expect(ms).toBeLessThan(5_000);
      expect(answer).toMatch(/^HTTP\/1\.1 (408|400)/);

      // 120 tokens at 40 tokens/s: a two-to-three-second stream, longer than requestTimeoutMs, arrives whole.
      const t1 = performance.now();
      const res = await fetch(`${base}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'sim-chat', stream: true, max_tokens: 120, messages: [{ role: 'user', content: 'a long one' }] }) });
      const text = await res.text();
      expect(res.status).toBe(200);
      expect(performance.now() - t1).toBeGreaterThan(1_200);
      expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
    } finally {
      await slow.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
