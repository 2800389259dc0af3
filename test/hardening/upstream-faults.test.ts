// Upstream faults, one by one: every one ends in a well-formed answer (OpenAI-style error, or a
// stream that ends with an SSE error event) within its timeout, and nothing of it is cached — the
// same request again reaches the upstream again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaults, FakeUpstream, json, sseChunks, type Behaviour } from '../helpers/fake-upstream.ts';
import { startTestEngine, type TestEngine } from '../helpers/test-engine.ts';
import { refusedPort } from '../helpers/refused-port.ts';

const HEADERS_MS = 400;
const BODY_MS = 300;
/** Bound on any faulty request: the largest timeout plus slack for a loaded 2-core machine. */
const BOUND_MS = 4_000;
/** A drip slower than BODY_MS by more than undici's timer granularity. */
const DRIP_MS = BODY_MS + 1_200;

let fake: FakeUpstream;
let sluice: TestEngine;
let refused: TestEngine;


beforeAll(async () => {
  fake = new FakeUpstream();
  await fake.start();
  sluice = await startTestEngine({
    providers: [{ id: 'up', type: 'openai-compatible', baseUrl: fake.url, models: ['m', 'e', 's'], timeouts: { headersMs: HEADERS_MS, bodyMs: BODY_MS } }],
  });
  refused = await startTestEngine({ providers: [{ id: 'gone', type: 'openai-compatible', baseUrl: `http://127.0.0.1:${await refusedPort()}/v1`, models: ['m'] }] });
});
afterAll(async () => {
  await sluice.stop();
  await refused.stop();
  await fake.stop();
});

let seq = 0;
interface Answer { status: number; contentType: string; text: string; ms: number; cache: string | null; requestId: string | null }

async function call(url: string, path: string, body: object): Promise<Answer> {
  const t0 = performance.now();
  const res = await fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(BOUND_MS * 2) });
  const text = await res.text();
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', text, ms: performance.now() - t0, cache: res.headers.get('x-sluice-cache'), requestId: res.headers.get('x-request-id') };
}

function expectOpenAIError(a: Answer, statuses: number[]): { message: string; type: string; code: string } {
  expect(statuses, `status ${a.status}: ${a.text.slice(0, 200)}`).toContain(a.status);
  expect(a.contentType).toMatch(/^application\/json/);
  expect(a.requestId).toBeTruthy();
  const body = JSON.parse(a.text) as { error: { message: string; type: string; code: string } };
  expect(typeof body.error.message).toBe('string');
  expect(body.error.message.length).toBeGreaterThan(0);
  expect(typeof body.error.type).toBe('string');
  expect(typeof body.error.code).toBe('string');
  expect(a.text).not.toMatch(/\n\s+at .+:\d+:\d+/); // no stack trace
  expect(a.ms).toBeLessThan(BOUND_MS);
  return body.error;
}

/** The SSE stream ended with an error event (how OpenAI's SDKs learn a stream broke), or cleanly but incomplete. */
function sseEvents(text: string): unknown[] {
  return text.split('\n\n').filter((b) => b.startsWith('data: ') && b !== 'data: [DONE]').map((b) => JSON.parse(b.slice(6)));
}

const route = 'POST /v1/chat/completions';
const chat = (extra: object = {}) => ({ model: 'm', temperature: 0, messages: [{ role: 'user', content: `fault ${++seq}` }], ...extra });

/** Send `body` twice with `behaviour` in place; both must reach the upstream (nothing cached). */
async function twice(behaviour: Behaviour, body: object, path = '/v1/chat/completions', r = route): Promise<[Answer, Answer]> {
  fake.on(r, behaviour);
  const before = fake.calls(r).length;
  const a = await call(sluice.url, path, body);
  const b = await call(sluice.url, path, body);
  expect(fake.calls(r).length - before, 'the second identical request reached the upstream again').toBe(2);
  expect(b.cache ?? '').not.toMatch(/^hit|stale/);
  return [a, b];
}

describe('each upstream fault gets a well-formed answer in time, and is not cached', () => {
  it('connection refused → 502 upstream_unreachable', async () => {
    const body = chat();
    for (let i = 0; i < 2; i++) {
      const a = await call(refused.url, '/v1/chat/completions', body);
      expect(expectOpenAIError(a, [502]).code).toBe('upstream_unreachable');
      expect(a.cache ?? '').not.toMatch(/^hit/);
    }
  });

  it('connection reset in the middle of a JSON body → 502 upstream_connection_closed', async () => {
    const [a, b] = await twice((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '400' });
      res.write('{"id":"chatcmpl-x","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"half');
      setTimeout(() => res.socket?.resetAndDestroy(), 10);
    }, chat());
    for (const x of [a, b]) expect(expectOpenAIError(x, [502]).code).toBe('upstream_connection_closed');
  });

  it('a hung connection (no headers) → 504 upstream_timeout after headersMs', async () => {
    const [a, b] = await twice(() => new Promise(() => {}), chat());
    for (const x of [a, b]) {
      expect(expectOpenAIError(x, [504]).code).toBe('upstream_timeout');
      expect(x.ms).toBeGreaterThanOrEqual(HEADERS_MS - 50);
    }
  });

  it('a JSON body dripping slower than bodyMs → 504', async () => {
    const [a, b] = await twice((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const text = JSON.stringify({ id: 'x', object: 'chat.completion', choices: [] });
      let i = 0;
      const t = setInterval(() => {
        if (res.destroyed || i >= text.length) { clearInterval(t); res.end(); return; }
        res.write(text[i++]);
      }, DRIP_MS);
      res.on('close', () => clearInterval(t));
    }, chat());
    for (const x of [a, b]) expect(expectOpenAIError(x, [504]).code).toBe('upstream_timeout');
  });

  it('a stream dripping slower than bodyMs ends with an SSE error event, not a hang', async () => {
    const [a, b] = await twice((req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const chunks = sseChunks(String(req.body.model), ['one', 'two', 'three']);
      res.write(chunks[0]);
      let i = 1;
      const t = setInterval(() => { if (i < chunks.length && !res.destroyed) res.write(chunks[i++]); else clearInterval(t); }, DRIP_MS);
      res.on('close', () => clearInterval(t));
    }, chat({ stream: true }));
    for (const x of [a, b]) {
      expect(x.status).toBe(200);
      expect(x.ms).toBeLessThan(BOUND_MS);
      const last = sseEvents(x.text).at(-1) as { error?: { code: string } };
      expect(last.error?.code).toBe('upstream_timeout');
      expect(x.text).not.toContain('[DONE]');
    }
  });

  it('a stream closed before its end (no finish_reason, no [DONE]) ends with an upstream_stream_incomplete SSE error event', async () => {
    const [a, b] = await twice((req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const chunks = sseChunks(String(req.body.model), ['only', ' part']);
      res.end(chunks.slice(0, 3).join(''));
    }, chat({ stream: true }));
    for (const x of [a, b]) {
      expect(x.status).toBe(200);
      expect(x.text).toContain('only');
      expect(x.text).not.toMatch(/^data: \[DONE\]$/m);
      expect((sseEvents(x.text).at(-1) as { error?: { code: string } }).error?.code).toBe('upstream_stream_incomplete');
    }
  });

  it('a stream whose connection resets mid-way ends with an upstream_connection_closed SSE error event', async () => {
    const [a, b] = await twice((req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(sseChunks(String(req.body.model), ['partial'])[0]);
      setTimeout(() => res.socket?.resetAndDestroy(), 20);
    }, chat({ stream: true }));
    for (const x of [a, b]) {
      expect(x.status).toBe(200);
      expect((sseEvents(x.text).at(-1) as { error?: { code: string } }).error?.code).toBe('upstream_connection_closed');
    }
  });

  it('invalid JSON with a JSON content type → 502 upstream_protocol', async () => {
    const [a, b] = await twice((_req, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"choices": [ {"message": '); }, chat());
    for (const x of [a, b]) expect(expectOpenAIError(x, [502]).code).toBe('upstream_protocol');
  });

  it.each([
    ['text/html', '<html>captive portal</html>'],
    ['text/plain', 'OK'],
    ['', '{"choices":[]}'],
  ])('a 200 with the wrong content type (%s) → 502', async (type, text) => {
    const [a, b] = await twice((_req, res) => { res.writeHead(200, type ? { 'content-type': type } : {}); res.end(text); }, chat());
    for (const x of [a, b]) expectOpenAIError(x, [502]);
  });

  it('an embeddings answer that is not JSON → 502, and not cached', async () => {
    const [a, b] = await twice((_req, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end('nope'); }, { model: 'e', input: `in ${++seq}` }, '/v1/embeddings', 'POST /v1/embeddings');
    for (const x of [a, b]) expectOpenAIError(x, [502]);
  });

  it('a speech answer that is JSON instead of audio → 502, and not cached', async () => {
    const [a, b] = await twice((_req, res) => json(res, 200, { audio: 'no' }), { model: 's', voice: 'alloy', input: `say ${++seq}` }, '/v1/audio/speech', 'POST /v1/audio/speech');
    for (const x of [a, b]) expectOpenAIError(x, [502]);
  });

  it('a 429 storm: 40 concurrent requests all get a 429 with Retry-After, none is cached', async () => {
    fake.on(route, (_req, res) => json(res, 429, { error: { message: 'Rate limit reached', type: 'requests' } }, { 'retry-after': '3' }));
    const before = fake.calls(route).length;
    const body = chat();
    const answers = await Promise.all(Array.from({ length: 40 }, async () => {
      const t0 = performance.now();
      const res = await fetch(sluice.url + '/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: res.status, contentType: res.headers.get('content-type') ?? '', text: await res.text(), ms: performance.now() - t0, cache: res.headers.get('x-sluice-cache'), requestId: res.headers.get('x-request-id'), retryAfter: res.headers.get('retry-after') };
    }));
    for (const a of answers) {
      expect(expectOpenAIError(a, [429]).type).toBe('rate_limit_error');
      expect(Number(a.retryAfter)).toBeGreaterThanOrEqual(1);
    }
    // Identical concurrent requests may share one upstream call (coalescing); none was served from cache.
    expect(fake.calls(route).length - before).toBeGreaterThanOrEqual(1);
    expect(answers.every((a) => !/^hit/.test(a.cache ?? ''))).toBe(true);
    const again = await call(sluice.url, '/v1/chat/completions', body);
    expect(again.status).toBe(429);
    expect(fake.calls(route).length - before).toBeGreaterThanOrEqual(2);
  });

  it('a 5xx burst: errors pass through as errors, the first good answer after it is cached', async () => {
    let n = 0;
    const statuses = [500, 502, 503, 504, 500];
    fake.on(route, (req, res) => {
      const s = statuses[n++];
      if (s) return json(res, s, { error: { message: `burst ${s}` } });
      return json(res, 200, { id: 'ok', object: 'chat.completion', created: 1, model: req.body.model, choices: [{ index: 0, message: { role: 'assistant', content: 'recovered' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } });
    });
    const body = chat();
    const before = fake.calls(route).length;
    const seen: number[] = [];
    for (let i = 0; i < 8; i++) {
      const a = await call(sluice.url, '/v1/chat/completions', body);
      seen.push(a.status);
      if (a.status !== 200) expectOpenAIError(a, [500, 502, 503, 504]);
      else expect(JSON.parse(a.text).choices[0].message.content).toBe('recovered');
    }
    // However the burst is absorbed (passed on, or retried), exactly one good upstream answer was needed.
    expect(fake.calls(route).length - before).toBe(statuses.length + 1);
    expect(seen.filter((s) => s >= 500).length).toBeLessThanOrEqual(statuses.length);
    expect(seen.at(-1)).toBe(200);
    // Once it answered well, the answer is cached: the burst's errors were not.
    const calls = fake.calls(route).length;
    const hit = await call(sluice.url, '/v1/chat/completions', body);
    expect(hit.status).toBe(200);
    expect(hit.cache).toMatch(/^hit/);
    expect(fake.calls(route).length).toBe(calls);
  });

  it('keeps answering normally after all of that', async () => {
    fake.on(route, defaults[route]);
    const a = await call(sluice.url, '/v1/chat/completions', chat());
    expect(a.status).toBe(200);
    expect(JSON.parse(a.text).choices[0].message.content).toContain('fault');
  });
});
