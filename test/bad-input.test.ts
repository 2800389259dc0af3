// Bad input gets a clear answer in OpenAI's error shape, with the right status, and the server keeps serving.
import { request } from 'undici';
import { connect } from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeUpstream } from './helpers/fake-upstream.ts';
import { ADMIN_TOKEN, fastSimulator, startTestEngine, type TestEngine } from './helpers/test-engine.ts';

let sluice: TestEngine;
let fake: FakeUpstream;

beforeAll(async () => {
  fake = new FakeUpstream();
  const upstream = await fake.start();
  sluice = await startTestEngine({
    providers: [fastSimulator, { id: 'listed', type: 'openai-compatible', baseUrl: upstream, models: ['only-this'] }],
    config: { server: { bodyLimitBytes: 64 * 1024 } },
  });
});
afterAll(async () => {
  await sluice.stop();
  await fake.stop();
});

async function post(path: string, body: string | object, headers: Record<string, string> = {}) {
  const res = await fetch(sluice.url + path, {
    method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text), headers: res.headers };
}

const chat = (extra: object = {}) => ({ model: 'sim-fast', messages: [{ role: 'user', content: 'hi' }], ...extra });

describe('bad input', () => {
  it('malformed JSON is a 400 invalid_request_error, with no stack trace', async () => {
    const r = await post('/v1/chat/completions', '{"model": "sim-fast", "messages": [');
    expect(r.status).toBe(400);
    expect(r.body.error.type).toBe('invalid_request_error');
    expect(r.body.error.code).toBe('invalid_json');
    expect(JSON.stringify(r.body)).not.toMatch(/at .*\.ts:\d+/);
  });

  it.each([
    [{ messages: [{ role: 'user', content: 'x' }] }, 'model'],
    [{ model: 'sim-fast' }, 'messages'],
    [{ model: 42, messages: [] }, 'model'],
    [{ model: 'sim-fast', messages: 'hello' }, 'messages'],
    [{ model: 'sim-fast', messages: [{ role: 'wizard', content: 'x' }] }, 'messages[0].role'],
    [{ model: 'sim-fast', messages: [{ role: 'user', content: 5 }] }, 'messages[0].content'],
    [chat({ temperature: 'hot' }), 'temperature'],
    [chat({ temperature: 7 }), 'temperature'],
    [chat({ stream: 'yes' }), 'stream'],
    [chat({ n: 1.5 }), 'n'],
  ])('missing or wrong-typed field %j → 400 naming %s', async (body, param) => {
    const r = await post('/v1/chat/completions', body);
    expect(r.status).toBe(400);
    expect(r.body.error.param).toBe(param);
    expect(r.body.error.message).toContain(param);
  });

  it('embeddings and speech name their fields too', async () => {
    expect((await post('/v1/embeddings', { model: 'sim-embed' })).body.error.param).toBe('input');
    expect((await post('/v1/embeddings', { model: 'sim-embed', input: [] })).body.error.param).toBe('input');
    expect((await post('/v1/audio/speech', { model: 'sim-tts', input: '', voice: 'alloy' })).body.error.param).toBe('input');
    expect((await post('/v1/audio/speech', { model: 'sim-tts', input: 'hi' })).body.error.param).toBe('voice');
    expect((await post('/v1/audio/speech', { model: 'sim-tts', input: 'hi', voice: 'alloy', response_format: 'midi' })).body.error.param).toBe('response_format');
    // the simulator has OpenAI's voices and says so for any other, before a word about the format
    const nobody = await post('/v1/audio/speech', { model: 'sim-tts', input: 'hi', voice: 'nobody' });
    expect(nobody.status).toBe(400);
    expect(nobody.body.error).toMatchObject({ param: 'voice', code: 'unknown_voice' });
    expect(nobody.body.error.message).toContain('shimmer');
    const shimmer = await fetch(`${sluice.url}/v1/audio/speech`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'sim-tts', input: 'hi', voice: 'shimmer', response_format: 'wav' }),
    });
    expect(shimmer.status).toBe(200);
    expect(shimmer.headers.get('content-type')).toBe('audio/wav');
    // /tts/synthesize names its own field
    expect((await post('/tts/synthesize', { voice: 'alloy' })).body.error).toMatchObject({ param: 'text', message: "Missing 'text': the text to speak." });
  });

  it('a field holding an object that cannot become text ({"toString": null}) is named in a 400, not a 500', async () => {
    const odd = { toString: null, valueOf: null };
    const speech = await post('/v1/audio/speech', { model: 'sim-tts', input: 'hi', voice: 'alloy', response_format: odd });
    expect(speech.status).toBe(400);
    expect(speech.body.error.param).toBe('response_format');
    expect(speech.body.error.message).toContain("'an object' is not one of");
    const legacy = await post('/tts/synthesize', { text: 'hi', format: odd });
    expect(legacy.status).toBe(400);
    expect(legacy.body.error.param).toBe('format');
    const adminPost = (path: string, body: object) => sluice.admin(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const imported = await adminPost('/admin/api/routing/import', { format: odd, version: 1 });
    expect(imported.status).toBe(400);
    expect(((await imported.json()) as any).error.message).toContain("format 'an object'");
    const explained = await adminPost('/admin/api/routing/explain', { endpoint: odd, model: 'sim-fast' });
    expect(explained.status).toBe(400);
    expect(((await explained.json()) as any).error.param).toBe('endpoint');
    const tagged = await adminPost('/admin/api/routing/explain', { model: 'sim-fast', tags: [odd, 'ci'] });
    expect(tagged.status).toBe(200);
    expect(((await tagged.json()) as any).targets).toEqual(['simulator/sim-fast']);
  });

  it('a cache namespace over 128 characters is refused, not cut short into another namespace', async () => {
    const long = await post('/v1/chat/completions', chat(), { 'x-sluice-cache-namespace': 'a'.repeat(129) });
    expect(long.status).toBe(400);
    expect(long.body.error.param).toBe('x-sluice-cache-namespace');
    expect(long.body.error.message).toContain('at most 128 characters, got 129');
    expect((await post('/v1/chat/completions', chat(), { 'x-sluice-cache-namespace': 'a'.repeat(128) })).status).toBe(200);
  });

  it('a cache lifetime that is not a whole number of seconds is refused, not silently replaced by the default', async () => {
    for (const ttl of ['abc', '-5', '1.5']) {
      const r = await post('/v1/chat/completions', chat(), { 'x-sluice-cache-ttl': ttl });
      expect(r.status, ttl).toBe(400);
      expect(r.body.error.param).toBe('x-sluice-cache-ttl');
    }
    expect((await post('/v1/chat/completions', chat(), { 'x-sluice-cache-ttl': ' 30 ' })).status).toBe(200);
    const huge = await post('/v1/chat/completions', chat(), { 'x-sluice-cache-ttl': '9'.repeat(23) });
    expect(huge.status).toBe(400);
    expect(huge.body.error.message).toBe('x-sluice-cache-ttl: at most 9999999999 seconds, got a number of 23 digits.');
    const gzipped = await post('/v1/chat/completions', chat(), { 'content-encoding': 'gzip' });
    expect(gzipped.status).toBe(415);
    expect(gzipped.body.error.code).toBe('unsupported_media_type');
  });

  it("a refused request is in the request log under the x-request-id it was given, with the reason", async () => {
    const r = await post('/v1/chat/completions', { model: 'sim-fast' }, { 'x-sluice-client': 'bad-input-test' });
    expect(r.status).toBe(400);
    const id = r.headers.get('x-request-id')!;
    const row = (await (await sluice.admin(`/admin/api/requests/${id}`)).json()) as any;
    expect(row).toMatchObject({ id, status: 400, endpoint: 'chat', path: '/v1/chat/completions', errorCode: 'missing_field', client: 'bad-input-test', model: 'sim-fast' });
    expect(row.detail.trace[0].message).toContain("'messages'");
    // the code in the log is the one the client got
    expect(r.body.error.code).toBe(row.errorCode);
    const unreadable = await post('/v1/chat/completions', '{"model": "sim-fast",');
    const unreadableRow = (await (await sluice.admin(`/admin/api/requests/${unreadable.headers.get('x-request-id')}`)).json()) as any;
    expect(unreadableRow).toMatchObject({ status: 400, model: '' });
  });

  it("one of the simulator's models at another endpoint is a 400 naming the models that fit, as OpenAI refuses an embeddings model at chat", async () => {
    const chatWithEmbed = await post('/v1/chat/completions', chat({ model: 'sim-embed' }));
    expect(chatWithEmbed.status).toBe(400);
    expect(chatWithEmbed.body.error).toMatchObject({ param: 'model', code: 'wrong_endpoint' });
    expect(chatWithEmbed.body.error.message).toContain('sim-chat');
    const embedWithChat = await post('/v1/embeddings', { model: 'sim-chat', input: 'hi' });
    expect(embedWithChat.status).toBe(400);
    expect(embedWithChat.body.error.message).toContain('sim-embed');
  });

  it('a provider/model whose provider cannot serve the endpoint is a 400, not a 503 to retry', async () => {
    const r = await post('/v1/chat/completions', chat({ model: 'listed/only-this' }), {});
    expect(r.status).toBe(200);
    expect((await sluice.admin('/admin/api/providers/listed', { method: 'PUT', body: JSON.stringify({ type: 'openai-compatible', endpoints: ['embeddings'] }) })).status).toBe(200);
    try {
      const wrong = await post('/v1/chat/completions', chat({ model: 'listed/only-this', messages: [{ role: 'user', content: 'again' }] }));
      expect(wrong.status).toBe(400);
      expect(wrong.body.error).toMatchObject({ code: 'wrong_endpoint', param: 'model' });
      expect(wrong.body.error.message).toContain('endpoint chat unsupported');
    } finally {
      await sluice.admin('/admin/api/providers/listed', { method: 'PUT', body: JSON.stringify({ type: 'openai-compatible', endpoints: ['chat', 'embeddings', 'speech'] }) });
    }
  });

  it('admin inputs that cannot be read are 400s, not a different action: a breaker target, a log filter', async () => {
    const reset = await sluice.admin('/admin/api/routing/breakers/reset', { method: 'POST', body: JSON.stringify({ target: 5 }) });
    expect(reset.status).toBe(400);
    expect(((await reset.json()) as any).error.param).toBe('target');
    expect((await sluice.admin('/admin/api/routing/breakers/reset', { method: 'POST', body: '{}' })).status).toBe(200);
    const unknownFilter = await sluice.admin('/admin/api/requests?endpoints=speech');
    expect(unknownFilter.status).toBe(400);
    expect(((await unknownFilter.json()) as any).error.message).toContain("Unknown filter 'endpoints'");
    expect((await sluice.admin('/admin/api/requests?endpoint=video')).status).toBe(400);
    expect((await sluice.admin('/admin/api/requests?endpoint=speech')).status).toBe(200);
    const filter = await sluice.admin('/admin/api/requests?cache=bogus');
    expect(filter.status).toBe(400);
    expect(((await filter.json()) as any).error.message).toContain('hit-memory');
    expect((await sluice.admin('/admin/api/requests?cache=hit-memory')).status).toBe(200);
  });

  it('a request refused before the cache looked (unknown model, bad body) is logged with cache none: no miss, no bypass', async () => {
    for (const [body, status] of [[chat({ model: 'no-such-model' }), 404], [{ model: 'sim-chat' }, 400]] as const) {
      const r = await post('/v1/chat/completions', body);
      expect(r.status).toBe(status);
      const row = (await (await sluice.admin(`/admin/api/requests/${r.headers.get('x-request-id')}`)).json()) as any;
      expect(row).toMatchObject({ status, cache: 'none' });
    }
  });

  it('a body over the limit is a 413', async () => {
    const r = await post('/v1/chat/completions', chat({ messages: [{ role: 'user', content: 'x'.repeat(70 * 1024) }] }));
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe('payload_too_large');
  });

  it('a body over the limit sent without a length (chunked) is a 413 too, and the server keeps serving', async () => {
    const big = JSON.stringify(chat({ messages: [{ role: 'user', content: 'x'.repeat(70 * 1024) }] }));
    const res = await request(sluice.url + '/v1/chat/completions', {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: Readable.from((function* () { for (let i = 0; i < big.length; i += 8192) yield Buffer.from(big.slice(i, i + 8192)); })()),
    });
    expect(res.statusCode).toBe(413);
    expect(((await res.body.json()) as any).error.code).toBe('payload_too_large');
    expect((await post('/v1/chat/completions', chat())).status).toBe(200);
  });

  it('a non-object body, invalid UTF-8 and deep nesting are 400s', async () => {
    expect((await post('/v1/chat/completions', '[1,2,3]')).status).toBe(400);
    const res = await request(sluice.url + '/v1/chat/completions', { method: 'POST', body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]) });
    expect(res.statusCode).toBe(400);
    expect(((await res.body.json()) as any).error.message).toContain('UTF-8');
    expect((await post('/v1/chat/completions', '['.repeat(10_000) + ']'.repeat(10_000))).status).toBe(400);
  });

  it('unknown path 404, wrong method 405 with Allow', async () => {
    const a = await fetch(`${sluice.url}/v1/does-not-exist`);
    expect(a.status).toBe(404);
    const notFound = ((await a.json()) as any).error;
    expect(notFound.type).toBe('invalid_request_error');
    // every endpoint served under /v1/, each feature's too
    expect(notFound.message).toBe('No route for GET /v1/does-not-exist. Sluice serves POST /v1/chat/completions, /v1/embeddings and /v1/audio/speech, '
      + 'and GET /v1/models, /v1/models/{id}, /v1/performance, /v1/health/detailed and /v1/audio/voices.');
    expect(a.headers.get('x-request-id')).toMatch(/^[0-9a-f]{24}$/);
    const icon = await fetch(`${sluice.url}/favicon.ico`, { redirect: 'manual' });
    expect(icon.status).toBe(302);
    expect(icon.headers.get('location')).toBe('/ui/favicon.png');
    const b = await fetch(`${sluice.url}/v1/chat/completions`);
    expect(b.status).toBe(405);
    expect(b.headers.get('allow')).toBe('POST');
    expect(b.headers.get('x-request-id')).toMatch(/^[0-9a-f]{24}$/);
    expect(b.headers.get('x-request-id')).not.toBe(a.headers.get('x-request-id'));
    // every GET route answers HEAD too, and says so: the exact paths, and those served under a prefix (one model, the panel)
    for (const path of ['/healthz', '/metrics', '/v1/models', '/models', '/v1/audio/voices', '/v1/performance', '/v1/health/detailed', '/performance/metrics', '/performance/health', '/performance/cache/stats']) {
      const res = await fetch(sluice.url + path, { method: 'POST' });
      expect(res.status, `POST ${path}`).toBe(405);
      expect(res.headers.get('allow'), path).toBe('GET, HEAD');
      expect(((await res.json()) as any).error.message, path).toBe(`Method POST is not allowed on ${path}; use GET, HEAD.`);
      expect((await fetch(sluice.url + path, { method: 'HEAD' })).status, `HEAD ${path}`).toBeLessThan(400);
    }
    for (const path of ['/v1/models/sim-fast', '/ui/']) {
      for (const method of ['POST', 'DELETE', 'PUT']) {
        const res = await fetch(sluice.url + path, { method });
        expect(res.status, `${method} ${path}`).toBe(405);
        expect(res.headers.get('allow')).toBe('GET, HEAD');
      }
    }
  });

  it('the admin API answers HEAD like GET, without a body, and names HEAD where GET is allowed', async () => {
    const head = await sluice.admin('/admin/api/requests', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await head.text()).toBe('');
    expect((await sluice.admin('/admin/api/requests/no-such-id', { method: 'HEAD' })).status).toBe(404);
    const events = await sluice.admin('/admin/api/events', { method: 'HEAD' });
    expect(events.status).toBe(200);
    expect(events.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(await events.text()).toBe('');
    const wrong = await sluice.admin('/admin/api/requests', { method: 'DELETE' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET, HEAD');
    expect((await fetch(`${sluice.url}/admin/api/requests`, { method: 'HEAD' })).status).toBe(401);
  });

  it('one model is found by the names a request may use, and answered under that name: as listed, or provider/model', async () => {
    for (const [path, id] of [['/v1/models/sim-fast', 'sim-fast'], ['/v1/models/simulator/sim-fast', 'simulator/sim-fast'], ['/v1/models/simulator%2Fsim-fast', 'simulator/sim-fast']]) {
      const res = await fetch(sluice.url + path);
      expect(res.status, path).toBe(200);
      expect(((await res.json()) as any).id).toBe(id);
    }
    expect((await fetch(`${sluice.url}/v1/models/listed/sim-fast`)).status).toBe(404);
  });

  it('an unknown model is a 404 model_not_found', async () => {
    const r = await post('/v1/chat/completions', chat({ model: 'no-such-model' }));
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('model_not_found');
    expect(r.body.error.param).toBe('model');
    // it says what is served instead; a remote provider is configured, so no word on keys
    expect(r.body.error.message).toContain('Models for chat here: ');
    expect(r.body.error.message).toMatch(/sim-fast.*only-this|only-this.*sim-fast/);
    expect(r.body.error.message).not.toContain('OPENAI_API_KEY');
  });

  it('keeps serving after all of that', async () => {
    const r = await post('/v1/chat/completions', chat());
    expect(r.status).toBe(200);
    expect(r.body.choices[0].message.role).toBe('assistant');
  });
});

describe('who may talk to Sluice', () => {
  it('refuses a foreign Host (DNS rebinding) on every path', async () => {
    for (const path of ['/v1/models', '/admin/api/health', '/ui/']) {
      const res = await request(sluice.url + path, { headers: { host: 'attacker.example:8640', authorization: `Bearer ${ADMIN_TOKEN}` } });
      expect(res.statusCode).toBe(403);
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f]{24}$/);
      await res.body.text();
    }
  });

  it('accepts loopback host names', async () => {
    const port = new URL(sluice.url).port;
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]) {
      const res = await request(sluice.url + '/healthz', { headers: { host } });
      expect(res.statusCode).toBe(200);
      await res.body.text();
    }
  });

  it('refuses the admin API without the token, or with a wrong one', async () => {
    expect((await fetch(`${sluice.url}/admin/api/info`)).status).toBe(401);
    expect((await fetch(`${sluice.url}/admin/api/info`, { headers: { authorization: 'Bearer nope' } })).status).toBe(401);
    expect((await fetch(`${sluice.url}/admin/api/events`)).status).toBe(401);
    expect((await sluice.admin('/admin/api/info')).status).toBe(200);
  });

  it('the request log refuses a filter it cannot read, instead of answering unfiltered', async () => {
    for (const q of ['status=bogus', 'limit=abc', 'limit=0', 'before=xyz']) {
      const res = await sluice.admin(`/admin/api/requests?${q}`);
      expect(res.status, q).toBe(400);
      expect(((await res.json()) as any).error.param).toBe(q.split('=')[0]);
    }
    expect((await sluice.admin('/admin/api/requests?status=error&limit=5')).status).toBe(200);
  });

  it('refuses cross-origin browser requests to the admin API, even with the token', async () => {
    const res = await sluice.admin('/admin/api/info', { headers: { origin: 'http://evil.example' } });
    expect(res.status).toBe(403);
    expect(((await res.json()) as any).error.code).toBe('forbidden_origin');
    const same = await sluice.admin('/admin/api/info', { headers: { origin: sluice.url } });
    expect(same.status).toBe(200);
  });

  const rawExchange = (bytes: string) => new Promise<string>((resolve) => {
    const s = connect(Number(new URL(sluice.url).port), '127.0.0.1', () => s.write(bytes));
    let data = '';
    s.on('data', (d) => { data += d; });
    s.on('close', () => resolve(data));
    s.on('error', () => resolve(data));
  });
  const errorOf = (reply: string) => JSON.parse(reply.slice(reply.indexOf('\r\n\r\n') + 4)).error;

  it('answers a malformed HTTP request with a 400 in the error shape and closes only that connection', async () => {
    const reply = await rawExchange('GARBAGE\r\n\r\n');
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    expect(errorOf(reply)).toMatchObject({ type: 'invalid_request_error', code: 'malformed_http' });
    expect(reply).toMatch(/\r\nx-request-id: [0-9a-f]{24}\r\n/);
    expect((await post('/v1/chat/completions', chat())).status).toBe(200);
  });

  it('answers an HTTP/1.1 request without Host with a 400 in the error shape, and HTTP/1.0 without Host with the Host guard\'s 403', async () => {
    const reply = await rawExchange('GET /healthz HTTP/1.1\r\n\r\n');
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    expect(reply).toMatch(/\r\ncontent-type: application\/json; charset=utf-8\r\n/);
    expect(reply).toMatch(/\r\nx-request-id: [0-9a-f]{24}\r\n/);
    expect(errorOf(reply)).toMatchObject({ type: 'invalid_request_error', code: 'missing_host', param: 'host' });
    expect(errorOf(reply).message).toMatch(/^The request has no Host header, which HTTP\/1\.1 requires/);
    const old = await rawExchange('GET /healthz HTTP/1.0\r\n\r\n');
    expect(old).toMatch(/^HTTP\/1\.1 403/);
    expect(old).toMatch(/\r\nx-request-id: [0-9a-f]{24}\r\n/);
    expect(errorOf(old)).toMatchObject({ type: 'permission_error', code: 'forbidden_host' });
    expect(errorOf(old).message).toMatch(/^The request has no Host header; Sluice answers only/);
  });

  it('answers headers over the limit with a 431 in the error shape', async () => {
    const reply = await rawExchange(`POST /v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1\r\nx-big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(reply).toMatch(/^HTTP\/1\.1 431/);
    expect(errorOf(reply).code).toBe('headers_too_large');
  });
});

describe('a newcomer with no keys', () => {
  it("asking for OpenAI's model names is told which models are here and how to reach OpenAI", async () => {
    const bare = await startTestEngine({ providers: [fastSimulator] });
    try {
      const speech = await fetch(`${bare.url}/v1/audio/speech`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'tts-1', voice: 'alloy', input: 'hello' }),
      });
      expect(speech.status).toBe(404);
      const { error } = (await speech.json()) as { error: { message: string; code: string } };
      expect(error.code).toBe('model_not_found');
      expect(error.message).toContain("The model 'tts-1' does not exist");
      expect(error.message).toContain('Models for speech here: sim-tts');
      expect(error.message).not.toContain('sim-chat');
      expect(error.message).toContain('set OPENAI_API_KEY');
    } finally {
      await bare.stop();
    }
  });
});

describe('refused before the body is read', () => {
  it('a paused engine and a missing client token answer with an x-request-id, and the request log has them', async () => {
    const guarded = await startTestEngine({ providers: [fastSimulator], config: { server: { clientToken: 'client-secret' } } });
    try {
      const noToken = await fetch(`${guarded.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(chat()) });
      expect(noToken.status).toBe(401);
      const unauthorizedId = noToken.headers.get('x-request-id');
      expect(unauthorizedId).toBeTruthy();

      expect((await guarded.admin('/admin/api/engine/pause', { method: 'POST', body: '{"paused":true}' })).status).toBe(200);
      const paused = await fetch(`${guarded.url}/v1/chat/completions`, {
        method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer client-secret' }, body: JSON.stringify(chat()),
      });
      expect(paused.status).toBe(503);
      expect(paused.headers.get('retry-after')).toBe('5');
      const pausedId = paused.headers.get('x-request-id')!;
      expect(((await paused.json()) as any).error.code).toBe('paused');

      for (const [id, status] of [[unauthorizedId, 401], [pausedId, 503]] as const) {
        const row = (await (await guarded.admin(`/admin/api/requests/${id}`)).json()) as any;
        expect(row).toMatchObject({ id, status, endpoint: 'chat' });
        expect(row.detail.trace[0].stage).toBe('admission');
      }
    } finally {
      await guarded.stop();
    }
  });
});

describe('a provider saved from the admin API', () => {
  it('with options its adapter refuses, unknown keys or bad endpoints is a 400 naming the problem, and nothing changes', async () => {
    const before = await (await sluice.admin('/admin/api/providers')).json();
    const save = (body: object) => sluice.admin('/admin/api/providers/sim2', { method: 'PUT', body: JSON.stringify(body) });
    const badOption = await save({ type: 'simulator', options: { failureRate: 5 } });
    expect(badOption.status).toBe(400);
    expect(((await badOption.json()) as any).error.message).toContain('failureRate');
    const typo = await save({ type: 'simulator', wat: 1, endpoints: ['chat', 'bogus'] });
    expect(typo.status).toBe(400);
    const { error } = (await typo.json()) as any;
    expect(error.issues.map((i: { param: string }) => i.param)).toEqual(expect.arrayContaining(['provider.wat', 'provider.endpoints']));
    expect(await (await sluice.admin('/admin/api/providers')).json()).toEqual(before);
    expect((await save({ type: 'simulator', options: { failureRate: 0.5 } })).status).toBe(200);
    expect((await sluice.admin('/admin/api/providers/sim2', { method: 'DELETE' })).status).toBe(200);
  });
});
