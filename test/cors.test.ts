// A web page served from this machine may call the OpenAI-compatible API from the browser (CORS);
// pages of other sites may not, and the admin API grants no CORS to anyone. The browser's side of
// it, a real page in Chromium, is e2e/local-page.spec.ts.
import { readFileSync } from 'node:fs';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPOSED_HEADERS } from '../src/engine/http/cors.ts';
import { ADMIN_TOKEN, fastSimulator, startTestEngine, type TestEngine } from './helpers/test-engine.ts';

let sluice: TestEngine;
beforeAll(async () => { sluice = await startTestEngine({ providers: [fastSimulator] }); });
afterAll(async () => { await sluice.stop(); });

const PAGE = 'http://localhost:3000';
// what OpenAI's JS SDK asks for, with dangerouslyAllowBrowser: true, plus Sluice's own request headers
const SDK_HEADERS = 'authorization,content-type,x-stainless-arch,x-stainless-lang,x-stainless-os,x-stainless-package-version,'
  + 'x-stainless-retry-count,x-stainless-runtime,x-stainless-runtime-version,x-stainless-timeout,openai-organization,openai-project,'
  + 'x-sluice-cache-ttl,x-sluice-cache-namespace';

function preflight(path: string, origin: string, method = 'POST', headers = SDK_HEADERS) {
  return request(sluice.url + path, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': headers },
  });
}

const exposed = (h: Record<string, string | string[] | undefined>) => String(h['access-control-expose-headers'] ?? '').split(/,\s*/);

describe('a page served from this machine', () => {
  it.each([
    '/v1/chat/completions', '/v1/embeddings', '/v1/audio/speech', '/v1/models', '/v1/models/sim-fast', '/v1/audio/voices',
    '/llm/chat/completions', '/tts/synthesize', '/chat/completions', '/embeddings', '/models',
  ])('gets its preflight to %s granted: its origin, the methods, the headers it asked for', async (path) => {
    const res = await preflight(path, PAGE);
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(PAGE);
    expect(String(res.headers.vary)).toMatch(/\bOrigin\b/);
    expect(String(res.headers['access-control-allow-methods']).split(/,\s*/)).toEqual(expect.arrayContaining(['GET', 'POST']));
    expect(String(res.headers['access-control-allow-headers']).split(/,\s*/)).toEqual(SDK_HEADERS.split(','));
    expect(Number(res.headers['access-control-max-age'])).toBeGreaterThan(0);
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    await res.body.text();
  });

  it('is granted from any loopback origin, and only well-formed header names are repeated back', async () => {
    for (const origin of ['http://127.0.0.1:5173', 'http://[::1]:8080', 'http://app.localhost:3000', 'http://localhost']) {
      const res = await preflight('/v1/chat/completions', origin, 'POST', 'Content-Type, bad header, x-ok');
      expect(res.statusCode, origin).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBe(origin);
      expect(res.headers['access-control-allow-headers']).toBe('content-type, x-ok');
      await res.body.text();
    }
  });

  it('can read the answer and its headers: plain, streamed, and errors', async () => {
    const body = (extra: object = {}) => JSON.stringify({ model: 'sim-fast', messages: [{ role: 'user', content: 'cors' }], ...extra });
    const headers = { origin: PAGE, 'content-type': 'application/json' };
    const plain = await request(sluice.url + '/v1/chat/completions', { method: 'POST', headers, body: body() });
    expect(plain.statusCode).toBe(200);
    expect(plain.headers['access-control-allow-origin']).toBe(PAGE);
    expect(String(plain.headers.vary)).toMatch(/\bOrigin\b/);
    expect(exposed(plain.headers)).toEqual(expect.arrayContaining(['x-request-id', 'x-sluice-cache', 'x-sluice-provider', 'age', 'retry-after']));
    await plain.body.text();

    const streamed = await request(sluice.url + '/v1/chat/completions', { method: 'POST', headers, body: body({ stream: true }) });
    expect(streamed.headers['content-type']).toContain('text/event-stream');
    expect(streamed.headers['access-control-allow-origin']).toBe(PAGE);
    expect(exposed(streamed.headers)).toContain('x-request-id');
    expect(await streamed.body.text()).toContain('data: [DONE]');

    // refusals of the endpoint, and of the router, are readable too
    for (const [path, b, status] of [
      ['/v1/chat/completions', body({ model: 'no-such-model' }), 404],
      ['/v1/chat/completions', '{', 400],
      ['/v1/nothing-here', body(), 404],
    ] as const) {
      const res = await request(sluice.url + path, { method: 'POST', headers, body: b });
      expect(res.statusCode, path).toBe(status);
      expect(res.headers['access-control-allow-origin'], path).toBe(PAGE);
      expect(exposed(res.headers)).toContain('x-request-id');
      expect(((await res.body.json()) as { error: { code: string } }).error.code).toBeTruthy();
    }
    const models = await request(sluice.url + '/v1/models', { headers: { origin: PAGE } });
    expect(models.headers['access-control-allow-origin']).toBe(PAGE);
    await models.body.text();
  });

  it('can read every header the README says Sluice adds', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const table = readme.slice(readme.indexOf('### Headers Sluice adds'), readme.indexOf('### Headers Sluice reads'));
    const named = [...table.matchAll(/^\| ([^|]+) \|/gm)].flatMap((m) => [...m[1].matchAll(/`([A-Za-z][\w-]*)/g)].map((n) => n[1].toLowerCase()));
    // read by a page without being exposed (CORS-safelisted), or the CORS headers themselves
    const readable = new Set(['cache-control', 'content-type', 'content-length', 'vary']);
    const missing = named.filter((h) => !readable.has(h) && !h.startsWith('access-control-') && !EXPOSED_HEADERS.split(', ').includes(h));
    expect(named.length).toBeGreaterThan(10);
    expect(missing).toEqual([]);
  });
});

describe('a page of another site', () => {
  it('gets its preflight refused (403 forbidden_origin), with no permission in it', async () => {
    for (const origin of ['http://attacker.example', 'null', 'http://localhost.attacker.example:3000', 'file://']) {
      const res = await preflight('/v1/chat/completions', origin);
      expect(res.statusCode, origin).toBe(403);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      expect(res.headers['x-request-id']).toBeTruthy();
      expect(((await res.body.json()) as { error: { code: string } }).error.code).toBe('forbidden_origin');
    }
  });

  it('cannot read an answer either', async () => {
    const res = await request(sluice.url + '/v1/models', { headers: { origin: 'http://attacker.example' } });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers['access-control-expose-headers']).toBeUndefined();
    await res.body.text();
  });
});

describe('the admin API', () => {
  it('grants no CORS, even to a page on this machine, even with the token', async () => {
    for (const path of ['/admin/api/info', '/admin/api/events', '/admin/api/settings', '/performance/cache/clear']) {
      const pre = await preflight(path, PAGE, 'PUT', 'authorization,content-type');
      expect(pre.statusCode, path).toBeGreaterThanOrEqual(400);
      expect(pre.headers['access-control-allow-origin'], path).toBeUndefined();
      await pre.body.text();
    }
    const get = await request(sluice.url + '/admin/api/info', { headers: { origin: PAGE, authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(get.statusCode).toBe(403);
    expect(get.headers['access-control-allow-origin']).toBeUndefined();
    await get.body.text();
  });
});
