// What a client sees when the upstream misbehaves, and that a client who leaves stops the upstream call.
import { afterEach, describe, expect, it } from 'vitest';
import { chatCompletion, FakeUpstream, json, sseChunks } from './helpers/fake-upstream.ts';
import { startTestEngine, type TestEngine } from './helpers/test-engine.ts';
import { refusedPort } from './helpers/refused-port.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

async function setup(timeouts?: { headersMs?: number; bodyMs?: number }): Promise<{ fake: FakeUpstream; sluice: TestEngine }> {
  const fake = new FakeUpstream();
  const upstream = await fake.start();
  cleanups.push(() => fake.stop());
  const sluice = await startTestEngine({ providers: [{ id: 'up', type: 'openai-compatible', baseUrl: upstream, timeouts }] });
  cleanups.push(() => sluice.stop());
  return { fake, sluice };
}

const chatBody = (extra: object = {}) => JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }], ...extra });
const postChat = (url: string, extra: object = {}, signal?: AbortSignal) =>
  fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: chatBody(extra), signal });


describe('upstream failures reach the client as OpenAI-style errors', () => {
  it('an unreachable upstream is a 502', async () => {
    const port = await refusedPort();
    const sluice = await startTestEngine({ providers: [{ id: 'gone', type: 'openai-compatible', baseUrl: `http://127.0.0.1:${port}/v1` }] });
    cleanups.push(() => sluice.stop());
    const res = await postChat(sluice.url);
    expect(res.status).toBe(502);
    const body = (await res.json()) as any;
    expect(body.error.code).toBe('upstream_unreachable');
    expect(body.error.message).toContain("'gone'");
    expect(res.headers.get('x-request-id')).toBeTruthy();
  });

  it('an upstream that does not answer in time is a 504', async () => {
    const { fake, sluice } = await setup({ headersMs: 300 });
    fake.on('POST /v1/chat/completions', () => new Promise(() => {}));
    const res = await postChat(sluice.url);
    expect(res.status).toBe(504);
    expect(((await res.json()) as any).error.code).toBe('upstream_timeout');
  });

  it('an upstream that answers non-JSON is a 502 protocol error', async () => {
    const { fake, sluice } = await setup();
    fake.on('POST /v1/chat/completions', (_req, res) => { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{not json'); });
    const res = await postChat(sluice.url);
    expect(res.status).toBe(502);
    expect(((await res.json()) as any).error.code).toBe('upstream_protocol');
  });

  it('upstream 429 and 500 keep their status, and Retry-After is passed on', async () => {
    const { fake, sluice } = await setup();
    fake.on('POST /v1/chat/completions', (_req, res) => {
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '7' });
      res.end(JSON.stringify({ error: { message: 'slow down' } }));
    });
    const res = await postChat(sluice.url);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(((await res.json()) as any).error.message).toContain('slow down');
  });

  it('a stream that breaks after it started ends with an SSE error event', async () => {
    const { fake, sluice } = await setup();
    fake.on('POST /v1/chat/completions', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(sseChunks('m', ['partial'])[0]);
      setTimeout(() => res.destroy(), 20);
    });
    const res = await postChat(sluice.url, { stream: true });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('"role":"assistant"');
    expect(text).toMatch(/data: \{"error":\{"message":"Upstream provider 'up'/);
    expect(text).not.toContain('[DONE]');
  });
});

describe('what the upstream said about a failed request is kept', () => {
  type Detail = { detail: { trace: Array<{ stage: string; message: string; status?: number; upstreamRequestId?: string }>; timings: { upstreamMs: number }; upstreamRequestId?: string } };
  const detailOf = async (sluice: TestEngine, res: Response): Promise<Detail['detail']> =>
    ((await (await sluice.admin(`/admin/api/requests/${res.headers.get('x-request-id')}`)).json()) as Detail).detail;

  it('a 4xx: its attempt and words are in the trace, its time in upstreamMs, and the upstream\'s request id reaches the client and the log', async () => {
    const { fake, sluice } = await setup();
    fake.on('POST /v1/chat/completions', (_req, res) => json(res, 401, {
      error: { message: 'Incorrect API key provided: sk-proj-abcdefghijklmnopqrstuvwxyz012345', type: 'invalid_request_error', code: 'invalid_api_key', param: null },
    }, { 'x-request-id': 'req_upstream_err401' }));
    const res = await postChat(sluice.url);
    expect(res.status).toBe(401);
    expect(res.headers.get('x-sluice-upstream-request-id')).toBe('req_upstream_err401');
    await res.arrayBuffer();
    const detail = await detailOf(sluice, res);
    expect(detail.upstreamRequestId).toBe('req_upstream_err401');
    const failed = detail.trace.find((s) => s.stage === 'retry');
    expect(failed).toMatchObject({ status: 401, upstreamRequestId: 'req_upstream_err401' });
    expect(failed!.message).toContain("'up' answered 401: Incorrect API key provided");
    expect(failed!.message).not.toContain('abcdefghijklmnopqrstuvwxyz012345'); // redacted, as every kept message is
    expect(detail.timings.upstreamMs).toBeGreaterThan(0);
  });

  it('a 5xx: every attempt\'s time counts in upstreamMs', async () => {
    const { fake, sluice } = await setup();
    fake.on('POST /v1/chat/completions', (_req, res) => json(res, 500, { error: { message: 'boom', type: 'server_error', code: null, param: null } }));
    const res = await postChat(sluice.url);
    expect(res.status).toBe(500);
    await res.arrayBuffer();
    expect((await detailOf(sluice, res)).timings.upstreamMs).toBeGreaterThan(0);
  });

  it('a success passes the upstream\'s request id on too (Anthropic\'s name for it, request-id, as well)', async () => {
    const { fake, sluice } = await setup();
    fake.on('POST /v1/chat/completions', (req, res) => json(res, 200, chatCompletion(String(req.body.model), 'hello'), { 'request-id': 'req_ok_1' }));
    const res = await postChat(sluice.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-sluice-upstream-request-id')).toBe('req_ok_1');
    await res.arrayBuffer();
    expect((await detailOf(sluice, res)).upstreamRequestId).toBe('req_ok_1');
  });
});

describe('a client that disconnects', () => {
  it('aborts its upstream call', async () => {
    const { fake, sluice } = await setup();
    let upstreamClosed!: () => void;
    const closed = new Promise<void>((r) => { upstreamClosed = r; });
    let started!: () => void;
    const streaming = new Promise<void>((r) => { started = r; });
    fake.on('POST /v1/chat/completions', (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const chunks = sseChunks('m', Array.from({ length: 1000 }, (_, i) => `w${i} `));
      let i = 0;
      const timer = setInterval(() => { res.write(chunks[i++ % chunks.length]); }, 5);
      res.on('close', () => { clearInterval(timer); upstreamClosed(); });
      started();
    });
    const ac = new AbortController();
    const res = await postChat(sluice.url, { stream: true }, ac.signal);
    const reader = res.body!.getReader();
    await reader.read();
    await streaming;
    ac.abort();
    await closed;
    expect(fake.calls('POST /v1/chat/completions')).toHaveLength(1);
  });
});

describe('the live event stream', () => {
  it('pushes each finished request with time, endpoint, model, provider, status and latency', async () => {
    const { sluice } = await setup();
    const ac = new AbortController();
    const events = await sluice.admin('/admin/api/events', { signal: ac.signal });
    expect(events.headers.get('content-type')).toContain('text/event-stream');
    const reader = events.body!.getReader();
    await postChat(sluice.url).then((r) => r.text());
    let buf = '';
    const dec = new TextDecoder();
    while (!buf.includes('event: request')) buf += dec.decode((await reader.read()).value);
    while (!/event: request\ndata: .*\n\n/.test(buf)) buf += dec.decode((await reader.read()).value);
    ac.abort();
    const data = JSON.parse(/event: request\ndata: (.*)\n\n/.exec(buf)![1]);
    expect(data.request).toMatchObject({ endpoint: 'chat', path: '/v1/chat/completions', model: 'm', provider: 'up', status: 200 });
    expect(data.request.latencyMs).toBeGreaterThan(0);
    expect(typeof data.request.ts).toBe('number');
  });
});
