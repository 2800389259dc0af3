// What the official `openai` SDK sees through Sluice when the upstream fails: the upstream's own
// error when it sent one in OpenAI's shape, Sluice's code otherwise, and the request log agreeing.
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeUpstream, json } from './helpers/fake-upstream.ts';
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

async function loggedCode(requestId: string | null | undefined): Promise<string | null> {
  const rows = (await (await sluice.admin('/admin/api/requests?limit=20')).json()) as Array<{ id: string; errorCode: string | null }>;
  return rows.find((r) => r.id === requestId)?.errorCode ?? null;
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
