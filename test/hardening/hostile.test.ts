// Hostile neighbours: a web page in the user's browser (DNS rebinding, cross-origin calls), another
// program on the machine (no admin token), another machine (0.0.0.0 without a client token), and
// keys that must never leak into anything Sluice writes or answers.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { adminRoutes } from '../../src/shared/admin-api.ts';
import { FakeUpstream, json } from '../helpers/fake-upstream.ts';
import { ADMIN_TOKEN, fastSimulator, startTestEngine, type TestEngine } from '../helpers/test-engine.ts';
import { spawnSluice, type SluiceChild } from './sluice-child.ts';
import { refusedPort } from '../helpers/refused-port.ts';

const children: SluiceChild[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) await c.kill();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'sluice-hostile-'));
  dirs.push(d);
  return d;
}

describe('the admin API refuses browsers from elsewhere and programs without the token', () => {
  let sluice: TestEngine;
  beforeAll(async () => { sluice = await startTestEngine({ providers: [fastSimulator] }); });
  afterAll(async () => { await sluice.stop(); });

  const concrete = (path: string) => path.replace(/:(\w+)/g, 'x');
  const routes = Object.entries(adminRoutes).map(([name, r]) => ({ name, method: r.method, path: concrete(r.path) }));

  it('covers every route in the shared route table', () => {
    expect(routes.length).toBeGreaterThanOrEqual(20);
  });

  it.each(routes)('$name ($method $path): no token → 401, wrong token → 401', async ({ method, path }) => {
    for (const auth of [undefined, 'Bearer wrong-token', `Bearer ${ADMIN_TOKEN}x`, `Basic ${Buffer.from(`admin:${ADMIN_TOKEN}`).toString('base64')}`]) {
      const res = await request(sluice.url + path, { method: method as 'GET', headers: auth ? { authorization: auth } : {}, body: method === 'GET' || method === 'DELETE' ? undefined : '{}' });
      expect(res.statusCode).toBe(401);
      expect(((await res.body.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    }
  });

  it.each(routes)('$name: a DNS-rebinding Host or a cross-origin page is refused even with the token', async ({ method, path }) => {
    const body = method === 'GET' || method === 'DELETE' ? undefined : '{}';
    const port = new URL(sluice.url).port;
    const rebinding = await request(sluice.url + path, { method: method as 'GET', body, headers: { host: `attacker.example:${port}`, authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(rebinding.statusCode).toBe(403);
    await rebinding.body.text();
    for (const origin of ['http://attacker.example', 'null', `http://localhost.attacker.example:${port}`, `http://localhost:${Number(port) + 1}`]) {
      const res = await request(sluice.url + path, { method: method as 'GET', body, headers: { origin, authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' } });
      expect(res.statusCode).toBe(403);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      await res.body.text();
    }
  });

  it("a page from another site cannot make Sluice spend upstream (a blind 'simple' POST); a page served from this machine can", async () => {
    const body = JSON.stringify({ model: 'sim-fast', messages: [{ role: 'user', content: 'spend my keys' }] });
    for (const origin of ['http://attacker.example', 'null', 'http://localhost.attacker.example']) {
      const res = await request(sluice.url + '/v1/chat/completions', { method: 'POST', body, headers: { origin, 'content-type': 'text/plain' } });
      expect(res.statusCode, origin).toBe(403);
      expect(((await res.body.json()) as { error: { code: string } }).error.code).toBe('forbidden_origin');
      expect(res.headers['x-request-id']).toBeTruthy();
    }
    const local = await request(sluice.url + '/v1/chat/completions', { method: 'POST', body, headers: { origin: 'http://localhost:3000', 'content-type': 'application/json' } });
    expect(local.statusCode).toBe(200);
    await local.body.text();
  });

  it('a CORS preflight gets no permission, and the event stream needs the token and a local origin', async () => {
    const pre = await request(sluice.url + '/admin/api/providers/x', {
      method: 'OPTIONS', headers: { origin: 'http://attacker.example', 'access-control-request-method': 'PUT' },
    });
    expect(pre.statusCode).toBeGreaterThanOrEqual(400);
    expect(pre.headers['access-control-allow-origin']).toBeUndefined();
    await pre.body.text();
    const noToken = await request(sluice.url + '/admin/api/events');
    expect(noToken.statusCode).toBe(401);
    await noToken.body.text();
    const foreign = await request(sluice.url + '/admin/api/events', { headers: { authorization: `Bearer ${ADMIN_TOKEN}`, origin: 'http://attacker.example' } });
    expect(foreign.statusCode).toBe(403);
    await foreign.body.text();
  });
});

describe('listening beyond loopback', () => {
  it('refuses to start on 0.0.0.0 without a client token', async () => {
    const s = spawnSluice({ dataDir: tempDir(), args: ['--host', '0.0.0.0'] });
    children.push(s);
    expect(await s.exited).toBe(1);
    expect(s.stderr()).toMatch(/Refusing to listen on 0\.0\.0\.0 without a client token/);
  });

  it('with a client token, requires it on every proxy endpoint (and the admin token on the admin API)', async () => {
    const token = 'client-token-' + randomBytes(8).toString('hex');
    const s = spawnSluice({ dataDir: tempDir(), args: ['--host', '0.0.0.0'], env: { SLUICE_CLIENT_TOKEN: token }, config: { providers: [fastSimulator] } });
    children.push(s);
    const url = await s.ready;
    const calls: Array<[string, object]> = [
      ['/v1/chat/completions', { model: 'sim-chat', messages: [{ role: 'user', content: 'hi' }] }],
      ['/v1/embeddings', { model: 'sim-embed', input: 'hi' }],
      ['/v1/audio/speech', { model: 'sim-tts', voice: 'alloy', input: 'hi', response_format: 'wav' }],
      ['/chat/completions', { model: 'sim-chat', messages: [{ role: 'user', content: 'hi' }] }],
    ];
    for (const [path, body] of calls) {
      for (const auth of [undefined, 'Bearer nope', `Bearer ${token}0`]) {
        const res = await fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) }, body: JSON.stringify(body) });
        expect(res.status, `${path} with ${auth}`).toBe(401);
        await res.text();
      }
      const ok = await fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
      expect(ok.status, path).toBe(200);
      await ok.arrayBuffer();
    }
    for (const path of ['/v1/models', '/models', '/v1/models/sim-chat', '/v1/audio/voices', '/metrics']) {
      const refused = await fetch(url + path);
      expect(refused.status, path).toBe(401);
      await refused.text();
      const ok = await fetch(url + path, { headers: { authorization: `Bearer ${token}` } });
      expect(ok.status, path).toBe(200);
      await ok.text();
    }
    const admin = await fetch(url + '/admin/api/info', { headers: { authorization: `Bearer ${token}` } });
    expect(admin.status).toBe(401);
    await admin.text();
  });
});


function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

describe('keys never leak', () => {
  it('a planted provider key and client key appear nowhere Sluice writes or answers, except keys.json (0600)', async () => {
    const secretPart = randomBytes(12).toString('hex');
    const providerKey = `sk-planted-provider-${secretPart}`;
    const clientKey = `sk-planted-client-${randomBytes(12).toString('hex')}`;
    const needles = [providerKey, clientKey, secretPart, clientKey.slice('sk-planted-client-'.length)];

    // An upstream that echoes the key it received in its error messages, as real providers half do.
    const fake = new FakeUpstream();
    await fake.start();
    const chat = fake.behaviours['POST /v1/chat/completions'];
    fake.on('POST /v1/chat/completions', (req, res) => {
      const text = String(req.body.messages?.at(-1)?.content ?? '');
      if (text === 'echo-auth') return json(res, 401, { error: { message: `Incorrect API key provided: ${req.headers.authorization}`, type: 'invalid_request_error' } });
      if (text === 'fail') return json(res, 500, { error: { message: `boom for ${req.headers.authorization}` } });
      if (text === 'plain-text-error') { res.writeHead(502, { 'content-type': 'text/plain' }); res.end(`bad gateway; you sent ${req.headers.authorization}`); return; }
      return chat(req, res);
    });
    const gonePort = await refusedPort();

    const dataDir = tempDir();
    const s = spawnSluice({ dataDir, env: { SLUICE_LOG_LEVEL: 'debug' } });
    children.push(s);
    const url = await s.ready;
    const adminHeaders = { authorization: 'Bearer hardening-admin-token', 'content-type': 'application/json' };
    const events: Buffer[] = [];
    const eventsAbort = new AbortController();
    const evRes = await fetch(url + '/admin/api/events', { headers: adminHeaders, signal: eventsAbort.signal });
    const reading = (async () => {
      try { for await (const c of evRes.body as unknown as AsyncIterable<Uint8Array>) events.push(Buffer.from(c)); } catch { /* aborted */ }
    })();

    const bodies: string[] = [];
    const put = async (id: string, baseUrl: string) => {
      const res = await fetch(`${url}/admin/api/providers/${id}`, {
        method: 'PUT', headers: adminHeaders, body: JSON.stringify({ type: 'openai-compatible', baseUrl, apiKey: providerKey, models: [id === 'up' ? 'm' : 'gone-model'] }),
      });
      bodies.push(await res.text());
      expect(res.status).toBe(200);
    };
    await put('up', fake.url);
    await put('gone', `http://127.0.0.1:${gonePort}/v1`);

    const client = { 'content-type': 'application/json', authorization: `Bearer ${clientKey}` };
    const send = async (path: string, body: object, headers: Record<string, string> = client) => {
      const res = await fetch(url + path, { method: 'POST', headers, body: JSON.stringify(body) });
      const text = await res.text();
      bodies.push(text, JSON.stringify([...res.headers]));
      return res.status;
    };
    const msg = (content: string, extra: object = {}) => ({ model: 'm', messages: [{ role: 'user', content }], temperature: 0, ...extra });
    expect(await send('/v1/chat/completions', msg('hello'))).toBe(200);
    expect(await send('/v1/chat/completions', msg('hello'))).toBe(200);
    expect(await send('/v1/chat/completions', msg('streamed', { stream: true }))).toBe(200);
    expect(await send('/v1/chat/completions', msg('echo-auth'))).toBe(401);
    expect(await send('/v1/chat/completions', msg('fail'))).toBe(500);
    expect(await send('/v1/chat/completions', msg('plain-text-error'))).toBe(502);
    expect(await send('/v1/chat/completions', { ...msg('x'), model: 'gone-model' })).toBe(502);
    expect(await send('/v1/embeddings', { model: 'm', input: ['a', 'b'] })).toBe(200);
    expect(await send('/v1/audio/speech', { model: 'm', voice: 'alloy', input: 'say it' })).toBe(200);
    expect(await send('/v1/chat/completions', { model: 'm' })).toBe(400);
    expect(await send('/v1/chat/completions', msg('k'), { ...client, 'x-api-key': clientKey, cookie: `session=${clientKey}` })).toBe(200);
    // The upstream did get the provider's key (so the test would notice if it leaked).
    expect(fake.received.some((r) => r.headers.authorization === `Bearer ${providerKey}`)).toBe(true);

    for (const path of ['/admin/api/providers', '/admin/api/requests?limit=100', '/admin/api/cache/entries', '/admin/api/cache/stats', '/admin/api/info', '/admin/api/settings']) {
      const res = await fetch(url + path, { headers: adminHeaders });
      bodies.push(await res.text());
    }
    const list = JSON.parse(bodies.at(-5)!) as Array<{ id: string }>;
    for (const r of list) {
      const res = await fetch(`${url}/admin/api/requests/${r.id}`, { headers: adminHeaders });
      bodies.push(await res.text());
    }
    // While it runs: the WAL files hold the freshest writes.
    await new Promise((r) => setTimeout(r, 400));
    const whileRunning = filesUnder(dataDir).filter((f) => !f.endsWith('keys.json')).map((f) => ({ f, bytes: readFileSync(f) }));

    eventsAbort.abort();
    await reading;
    await s.kill('SIGTERM');
    const afterStop = filesUnder(dataDir).filter((f) => !f.endsWith('keys.json')).map((f) => ({ f, bytes: readFileSync(f) }));

    expect(whileRunning.some(({ f }) => f.endsWith('sluice.db-wal'))).toBe(true);
    expect(afterStop.some(({ f }) => f.endsWith('cache.db'))).toBe(true);
    const haystacks: Array<{ where: string; bytes: Buffer }> = [
      ...whileRunning.map(({ f, bytes }) => ({ where: `${f} (running)`, bytes })),
      ...afterStop.map(({ f, bytes }) => ({ where: f, bytes })),
      { where: 'stdout', bytes: Buffer.from(s.stdout()) },
      { where: 'stderr', bytes: Buffer.from(s.stderr()) },
      { where: 'event stream', bytes: Buffer.concat(events) },
      ...bodies.map((b, i) => ({ where: `response ${i}`, bytes: Buffer.from(b) })),
    ];
    expect(Buffer.concat(events).toString()).toContain('event: request');
    expect(s.stderr().length).toBeGreaterThan(0);
    for (const { where, bytes } of haystacks) {
      for (const needle of needles) {
        expect(bytes.includes(needle), `${needle} found in ${where}`).toBe(false);
        expect(bytes.includes(Buffer.from(needle, 'utf16le')), `${needle} (UTF-16) found in ${where}`).toBe(false);
      }
    }

    // The one place the provider key lives: keys.json, readable by this user only.
    const keyFile = join(dataDir, 'keys.json');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(keyFile, 'utf8'))).toEqual({ up: providerKey, gone: providerKey });

    // And it is used again after a restart.
    const again = spawnSluice({ dataDir });
    children.push(again);
    const url2 = await again.ready;
    const before = fake.received.length;
    const res = await fetch(url2 + '/v1/chat/completions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(msg('after restart')) });
    expect(res.status).toBe(200);
    expect(fake.received.slice(before).at(-1)?.headers.authorization).toBe(`Bearer ${providerKey}`);
    await fake.stop();
  });
});
