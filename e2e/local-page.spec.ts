// A web app under development on this machine (a page on another localhost port) calls Sluice from
// the browser, with fetch and with OpenAI's SDK: Chromium's CORS checks pass, and the page can read
// Sluice's headers. A page of another site gets nothing. The headers themselves: test/cors.test.ts.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize, resolve, sep } from 'node:path';
import { expect, test } from './fixtures.ts';

const OPENAI_DIR = resolve(import.meta.dirname, '../node_modules/openai');

/** The app's own server: a blank page, and OpenAI's SDK as browser modules under /openai/. */
async function startAppServer(): Promise<{ origin: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://app').pathname;
    if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><title>my app</title><p>an app under development</p>');
      return;
    }
    const file = normalize(join(OPENAI_DIR, path.slice('/openai/'.length)));
    if (path.startsWith('/openai/') && file.startsWith(OPENAI_DIR + sep) && existsSync(file) && statSync(file).isFile()) {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
      createReadStream(file).pipe(res);
      return;
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  // localhost, Sluice at 127.0.0.1: another origin, as an app on its own dev server is
  return { origin: `http://localhost:${port}`, close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}

test('a page served from this machine calls Sluice with fetch, plain and streamed, and reads its headers', async ({ page, engine }) => {
  const app = await startAppServer();
  try {
    await page.goto(app.origin + '/');
    const result = await page.evaluate(async (base) => {
      const post = (body: object) => fetch(`${base}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer sk-my-app', 'x-sluice-cache-namespace': 'my-app' },
        body: JSON.stringify({ model: 'sim-chat', messages: [{ role: 'user', content: 'hello from a page' }], ...body }),
      });
      const plain = await post({});
      const json = await plain.json() as { choices: Array<{ message: { content: string } }> };
      const streamed = await post({ stream: true });
      const text = await streamed.text();
      const refused = await post({ model: 'no-such-model' });
      const models = await fetch(`${base}/v1/models`);
      return {
        status: plain.status, content: json.choices[0].message.content,
        requestId: plain.headers.get('x-request-id'), cache: plain.headers.get('x-sluice-cache'),
        streamType: streamed.headers.get('content-type'), done: text.includes('data: [DONE]'),
        refusedStatus: refused.status, refusedCode: (await refused.json() as { error: { code: string } }).error.code, refusedId: refused.headers.get('x-request-id'),
        models: (await models.json() as { data: unknown[] }).data.length,
      };
    }, engine.baseUrl);
    expect(result).toMatchObject({ status: 200, cache: 'miss', streamType: expect.stringContaining('text/event-stream'), done: true, refusedStatus: 404, refusedCode: 'model_not_found' });
    expect(result.content).not.toBe('');
    expect(result.requestId).toMatch(/^[0-9a-f]{24}$/);
    expect(result.refusedId).toMatch(/^[0-9a-f]{24}$/);
    expect(result.models).toBeGreaterThan(0);
  } finally {
    await app.close();
  }
});

test("a page served from this machine uses OpenAI's SDK in the browser against Sluice", async ({ page, engine }) => {
  const app = await startAppServer();
  try {
    await page.goto(app.origin + '/');
    const result = await page.evaluate(async ({ base, origin }) => {
      const { default: OpenAI } = await import(`${origin}/openai/index.mjs`);
      const client = new OpenAI({ baseURL: `${base}/v1`, apiKey: 'sk-my-app', dangerouslyAllowBrowser: true, maxRetries: 0 });
      const messages = [{ role: 'user', content: 'hello from the SDK' }];
      const { data, request_id } = await client.chat.completions.create({ model: 'sim-chat', messages }).withResponse();
      let streamed = '';
      for await (const chunk of await client.chat.completions.create({ model: 'sim-chat', messages, stream: true })) streamed += chunk.choices[0]?.delta?.content ?? '';
      let error = '';
      try {
        await client.chat.completions.create({ model: 'no-such-model', messages });
      } catch (e) {
        error = `${(e as { status: number }).status} ${(e as { code: string }).code}`;
      }
      return { content: data.choices[0].message.content as string, requestId: request_id as string, streamed, error };
    }, { base: engine.baseUrl, origin: app.origin });
    expect(result.content).not.toBe('');
    expect(result.requestId).toMatch(/^[0-9a-f]{24}$/);
    expect(result.streamed).toBe(result.content);
    expect(result.error).toBe('404 model_not_found');
  } finally {
    await app.close();
  }
});

test('a page of another site cannot call Sluice', async ({ page, engine }) => {
  // a page as if from the web, fulfilled by the browser itself
  await page.route('http://app.example/', (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>elsewhere</title>' }));
  await page.goto('http://app.example/');
  const outcome = await page.evaluate(async (base) => {
    try {
      const res = await fetch(`${base}/v1/chat/completions`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'sim-chat', messages: [{ role: 'user', content: 'spend their keys' }] }),
      });
      return `read ${res.status}`;
    } catch (e) {
      return (e as Error).name;
    }
  }, engine.baseUrl);
  expect(outcome).toBe('TypeError');
});
