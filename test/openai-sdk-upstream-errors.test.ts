// What the official `openai` SDK sees through Sluice when the upstream fails: the upstream's own
// error when it sent one in OpenAI's shape, Sluice's code otherwise, an error (never a short answer
// taken for a whole one) when the upstream breaks off mid-answer, and the request log agreeing.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeUpstream, json, sseChunks } from './helpers/fake-upstream.ts';
import { startTestEngine, type TestEngine } from './helpers/test-engine.ts';

let fake: FakeUpstream;
let sluice: TestEngine;
let client: OpenAI;

beforeAll(async () => {
  fake = new FakeUpstream();
  await fake.start();
  sluice = await startTestEngine({
    providers: [{ id: 'up', type: 'openai-compatible', baseUrl: fake.url, apiKey: 'sk-upstream-secret-key-1234' }],
    config: { routing: { retry: { attemptsPerTarget: 1, maxAttempts: 1 } }, cache: { enabled: false } },
  });
  client = new OpenAI({ baseURL: `${sluice.url}/v1`, apiKey: 'sk-client-key', maxRetries: 0 });
});

afterAll(async () => {
  await sluice.stop();
  await fake.stop();
});

let seq = 0;
/** The error the SDK throws for one chat request, once the upstream answers with `status` and `body`. */
async function sdkError(status: number, body: string | object, headers: Record<string, string> = {}): Promise<InstanceType<typeof OpenAI.APIError>> {
  fake.on('POST /v1/chat/completions', (_req, res) => {
    if (typeof body === 'object') return json(res, status, body, headers);
    res.writeHead(status, headers);
    res.end(body);
  });
  const err = await client.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: `error ${++seq}` }] }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(OpenAI.APIError);
  return err as InstanceType<typeof OpenAI.APIError>;
}

async function logged(requestId: string | null | undefined): Promise<{ status: number; errorCode: string | null } | undefined> {
  const rows = (await (await sluice.admin('/admin/api/requests?limit=20')).json()) as Array<{ id: string; status: number; errorCode: string | null }>;
  return rows.find((r) => r.id === requestId);
}

async function loggedCode(requestId: string | null | undefined): Promise<string | null> {
  return (await logged(requestId))?.errorCode ?? null;
}

/** Stream one chat request and read it to its end: the text that arrived, and what the SDK threw. */
async function streamed(): Promise<{ text: string; finish: string | null; error: unknown; requestId: string | null }> {
  const { data, response } = await client.chat.completions
    .create({ model: 'gpt-test', stream: true, messages: [{ role: 'user', content: `stream ${++seq}` }] })
    .withResponse();
  let text = '';
  let finish: string | null = null;
  try {
    for await (const chunk of data) {
      text += chunk.choices[0]?.delta?.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    return { text, finish, error: null, requestId: response.headers.get('x-request-id') };
  } catch (error) {
    return { text, finish, error, requestId: response.headers.get('x-request-id') };
  }
}

describe('an upstream error in OpenAI\'s shape reaches the SDK as the upstream sent it', () => {
  it('400: its code, param, type and message, and the log has the same code', async () => {
    const message = "Invalid 'messages[0].content': string too long. Expected a string with maximum length 1048576.";
    const err = await sdkError(400, { error: { message, type: 'invalid_request_error', param: 'messages[0].content', code: 'string_above_max_length' } });
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.status).toBe(400);
    expect(err.code).toBe('string_above_max_length');
    expect(err.param).toBe('messages[0].content');
    expect(err.type).toBe('invalid_request_error');
    expect((err.error as { message: string }).message).toBe(message);
    expect(await loggedCode(err.headers?.get('x-request-id'))).toBe('string_above_max_length');
  });

  it('401 invalid_api_key, with a key the upstream echoed redacted', async () => {
    const err = await sdkError(401, { error: { message: 'Incorrect API key provided: sk-proj-abcdefghijklmnopqrstuvwxyz0123. You can find your API key at https://platform.openai.com/account/api-keys.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } });
    expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(err.code).toBe('invalid_api_key');
    expect(err.param).toBeNull();
    expect(err.message).toContain('Incorrect API key provided');
    expect(err.message).not.toContain('sk-proj-abcdefghijklmnopqrstuvwxyz0123');
    expect(await loggedCode(err.headers?.get('x-request-id'))).toBe('invalid_api_key');
  });

  it('429 rate_limit_exceeded keeps its type and Retry-After', async () => {
    const err = await sdkError(429, { error: { message: 'Rate limit reached for requests', type: 'requests', param: null, code: 'rate_limit_exceeded' } }, { 'retry-after': '2' });
    expect(err).toBeInstanceOf(OpenAI.RateLimitError);
    expect(err.code).toBe('rate_limit_exceeded');
    expect(err.type).toBe('requests');
    expect(err.headers?.get('retry-after')).toBe('2');
  });

  it('500 with a null code: the upstream\'s type and message, and Sluice\'s code so the log still names the error', async () => {
    const err = await sdkError(500, { error: { message: 'The server had an error while processing your request.', type: 'server_error', param: null, code: null } });
    expect(err).toBeInstanceOf(OpenAI.InternalServerError);
    expect(err.type).toBe('server_error');
    expect(err.code).toBe('upstream_http');
    expect((err.error as { message: string }).message).toBe('The server had an error while processing your request.');
    expect(await loggedCode(err.headers?.get('x-request-id'))).toBe('upstream_http');
  });
});

describe('an upstream error in another shape keeps Sluice\'s code', () => {
  it.each([
    ['HTML', 502, '<html>bad gateway</html>', { 'content-type': 'text/html' }, 'bad gateway'],
    ['plain text', 503, 'upstream overloaded', { 'content-type': 'text/plain' }, 'upstream overloaded'],
    ['JSON without type and code', 400, JSON.stringify({ error: { message: 'context too long' } }), { 'content-type': 'application/json' }, 'context too long'],
    ['a bare JSON message', 404, JSON.stringify({ message: 'no such model' }), { 'content-type': 'application/json' }, 'no such model'],
  ])('%s', async (_name, status, body, headers, words) => {
    const err = await sdkError(status, body, headers);
    expect(err.status).toBe(status);
    expect(err.code).toBe('upstream_http');
    expect(err.param).toBeNull();
    expect(err.message).toContain("Upstream provider 'up'");
    expect(err.message).toContain(words);
    expect(await loggedCode(err.headers?.get('x-request-id'))).toBe('upstream_http');
  });
});

describe('an upstream that breaks off mid-answer', () => {
  it('a stream closed cleanly before its end (no finish_reason, no [DONE]): the SDK throws instead of taking the short answer', async () => {
    fake.on('POST /v1/chat/completions', (req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(sseChunks(String(req.body.model), ['Hello ', 'from ', 'up', 'stream']).slice(0, 3).join(''));
    });
    const r = await streamed();
    expect(r.text).toBe('Hello from ');
    expect(r.finish).toBeNull();
    expect(r.error).toBeInstanceOf(OpenAI.APIError);
    const e = r.error as InstanceType<typeof OpenAI.APIError>;
    expect(e.code).toBe('upstream_stream_incomplete');
    expect(e.message).toContain("Upstream provider 'up' ended the stream before the answer was complete");
    expect(await logged(r.requestId)).toMatchObject({ status: 502, errorCode: 'upstream_stream_incomplete' });
  });

  it('a stream with its finish_reason but no [DONE] is whole, as some OpenAI-compatible servers send it', async () => {
    fake.on('POST /v1/chat/completions', (req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(sseChunks(String(req.body.model), ['Hello ', 'from ', 'up', 'stream']).filter((c) => !c.includes('[DONE]')).join(''));
    });
    const r = await streamed();
    expect(r.error).toBeNull();
    expect(r.text).toBe('Hello from upstream');
    expect(r.finish).toBe('stop');
    expect(await logged(r.requestId)).toMatchObject({ status: 200, errorCode: null });
  });

  it('an error event the upstream sends mid-stream reaches the SDK as it was sent, once, and the log keeps it as an error', async () => {
    const upstreamError = { message: 'The server had an error while processing your request.', type: 'server_error', param: null, code: 'server_overloaded' };
    fake.on('POST /v1/chat/completions', (req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(sseChunks(String(req.body.model), ['Hello ', 'from ', 'up', 'stream']).slice(0, 3).join('')
        + `data: ${JSON.stringify({ error: upstreamError })}\n\ndata: [DONE]\n\n`);
    });
    const r = await streamed();
    expect(r.text).toBe('Hello from ');
    expect(r.error).toBeInstanceOf(OpenAI.APIError);
    const e = r.error as InstanceType<typeof OpenAI.APIError>;
    expect(e.message).toBe(upstreamError.message);
    expect(e.code).toBe('server_overloaded');
    expect(await logged(r.requestId)).toMatchObject({ status: 502, errorCode: 'server_overloaded' });

    // on the wire: the upstream's event, and no second one of Sluice's after it
    const raw = await fetch(`${sluice.url}/v1/chat/completions`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-test', stream: true, messages: [{ role: 'user', content: `raw ${++seq}` }] }),
    }).then((res) => res.text());
    expect(raw.match(/"error"/g)).toHaveLength(1);
    expect(raw).toContain('server_overloaded');
  });

  it('a plain answer whose connection drops mid-body is a 502 saying so', async () => {
    fake.on('POST /v1/chat/completions', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '400' });
      res.write('{"id":"chatcmpl-x","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"half');
      setTimeout(() => res.socket?.destroy(), 10);
    });
    const err = await client.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: `cut ${++seq}` }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.InternalServerError);
    const e = err as InstanceType<typeof OpenAI.APIError>;
    expect(e.status).toBe(502);
    expect(e.code).toBe('upstream_connection_closed');
    expect(e.message).toContain("Upstream provider 'up' closed the connection mid-answer");
    expect(await loggedCode(e.headers?.get('x-request-id'))).toBe('upstream_connection_closed');
  });

  it('a stream whose connection resets after some chunks: the SDK throws that the upstream closed the connection mid-answer', async () => {
    fake.on('POST /v1/chat/completions', (req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(sseChunks(String(req.body.model), ['Hello ', 'from ', 'up', 'stream']).slice(0, 3).join(''));
      setTimeout(() => res.socket?.resetAndDestroy(), 20);
    });
    const r = await streamed();
    expect(r.text).toBe('Hello from ');
    expect(r.error).toBeInstanceOf(OpenAI.APIError);
    const e = r.error as InstanceType<typeof OpenAI.APIError>;
    expect(e.code).toBe('upstream_connection_closed');
    expect(e.message).toContain("Upstream provider 'up' closed the connection mid-answer");
    expect(e.message).not.toContain('could not be reached');
    expect(await logged(r.requestId)).toMatchObject({ status: 502, errorCode: 'upstream_connection_closed' });
  });
});
