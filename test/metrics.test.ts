// Metrics end to end: requests through a real engine show up in the live snapshot (admin route and
// the `metrics` event), in `GET /metrics` (checked by promtool), in history across a restart, and
// in the JSON summaries older tools poll. Time is a ManualClock the fake upstream moves forward,
// so latencies are exact.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/engine/clock.ts';
import type { HistorySeries, LiveSample, LiveSnapshot } from '../src/shared/metrics.ts';
import { chatCompletion, FakeUpstream, json, sseChunks } from './helpers/fake-upstream.ts';
import { startTestEngine, type TestEngine } from './helpers/test-engine.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

const PROMTOOL = '/usr/bin/promtool';

/** A fake upstream whose answers take `ms` of the manual clock per model. */
async function setup(opts: { dataDir?: string; clock?: ManualClock; fake?: FakeUpstream } = {}) {
  const clock = opts.clock ?? new ManualClock(Date.UTC(2026, 0, 1, 12));
  let fake = opts.fake;
  if (!fake) {
    const f = new FakeUpstream();
    fake = f;
    const delay: Record<string, number> = { 'fast-model': 20, 'slow-model': 400 };
    f.on('POST /v1/chat/completions', (req, res) => {
      clock.advance(delay[req.body.model] ?? 1);
      if (req.body.stream) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        for (const c of sseChunks(req.body.model, ['a', 'b'], { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 })) res.write(c);
        res.end();
        return;
      }
      json(res, 200, chatCompletion(req.body.model, 'ok'));
    });
    await f.start();
    cleanups.push(() => f.stop());
  }
  const sluice = await startTestEngine({
    providers: [{ id: 'up', type: 'openai-compatible', baseUrl: fake.url, models: ['fast-model', 'slow-model'] }],
    deps: { clock },
    dataDir: opts.dataDir,
    keepDataDir: opts.dataDir !== undefined,
  });
  let stopped = false;
  const stop = async () => { if (!stopped) { stopped = true; await sluice.stop(); } };
  cleanups.push(stop);
  const client = new OpenAI({ baseURL: `${sluice.url}/v1`, apiKey: 'sk-client', maxRetries: 0 });
  return { clock, fake, sluice, client, stop };
}

async function chat(client: OpenAI, model: string, content: string, stream = false): Promise<void> {
  const opts = { headers: { 'cache-control': 'no-store' } };
  if (stream) {
    const s = await client.chat.completions.create({ model, messages: [{ role: 'user', content }], stream: true }, opts);
    for await (const _ of s) { /* drain */ }
  } else {
    await client.chat.completions.create({ model, messages: [{ role: 'user', content }] }, opts);
  }
}

async function getJson<T>(sluice: TestEngine, path: string): Promise<T> {
  const res = await sluice.admin(path);
  expect(res.status, `${path}: ${res.status}`).toBe(200);
  return (await res.json()) as T;
}

function openEvents(sluice: TestEngine): { events: Array<{ type: string; [k: string]: any }>; close(): void } {
  const ctrl = new AbortController();
  const events: Array<{ type: string; [k: string]: any }> = [];
  void (async () => {
    const res = await sluice.admin('/admin/api/events', { signal: ctrl.signal });
    const dec = new TextDecoder();
    let buf = '';
    for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
      buf += dec.decode(chunk, { stream: true });
      let i: number;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const data = buf.slice(0, i).split('\n').find((l) => l.startsWith('data: '));
        buf = buf.slice(i + 2);
        if (data) events.push(JSON.parse(data.slice(6)));
      }
    }
  })().catch(() => {});
  cleanups.push(() => ctrl.abort());
  return { events, close: () => ctrl.abort() };
}

async function until(what: string, cond: () => boolean | Promise<boolean>, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('live metrics', () => {
  it('the snapshot route and the metrics event show requests per model and provider with their latencies', async () => {
    const { clock, sluice, client } = await setup();
    const stream = openEvents(sluice);
    await until('the event stream', () => stream.events.some((e) => e.type === 'hello'));
    for (let i = 0; i < 9; i++) await chat(client, 'fast-model', `q${i}`);
    await chat(client, 'slow-model', 'slow one');
    await chat(client, 'fast-model', 'streamed', true);
    clock.advance(1000);

    const live = await getJson<LiveSnapshot>(sluice, '/admin/api/metrics/live?window=60');
    expect(live.overall.requests).toBe(11);
    expect(live.overall.errors).toBe(0);
    expect(live.byProvider.up.requests).toBe(11);
    const fast = live.byModel['fast-model'];
    const slow = live.byModel['slow-model'];
    expect(fast.requests).toBe(10);
    expect(slow.requests).toBe(1);
    expect(fast.latency.p50Ms).toBeGreaterThan(15);
    expect(fast.latency.p50Ms).toBeLessThan(25);
    expect(slow.latency.p50Ms).toBeGreaterThan(350);
    expect(live.overall.latency.p99Ms).toBeGreaterThan(350);
    expect(live.overall.latency.p50Ms).toBeLessThanOrEqual(live.overall.latency.p90Ms);
    expect(fast.firstByte.count).toBe(1);
    expect(live.overall.promptTokens).toBe(10 * 5 + 5);
    expect(live.overall.cache.miss + live.overall.cache.bypass).toBe(11);

    await until('a metrics event with the traffic', () => stream.events.some((e) => e.type === 'metrics' && e.snapshot.overall.requests === 11));
    const ev = stream.events.find((e) => e.type === 'metrics' && e.snapshot.overall.requests === 11)!;
    expect(ev.snapshot.byModel['slow-model'].requests).toBe(1);
    expect(ev.snapshot.process).not.toBeNull();

    const bad = await sluice.admin('/admin/api/metrics/live?window=0');
    expect(bad.status).toBe(400);
  });

  it('counts cache hits per tier and the money they saved', async () => {
    const { clock, sluice, client } = await setup();
    await client.chat.completions.create({ model: 'fast-model', messages: [{ role: 'user', content: 'same' }], temperature: 0 });
    await client.chat.completions.create({ model: 'fast-model', messages: [{ role: 'user', content: 'same' }], temperature: 0 });
    clock.advance(1000);
    const live = await getJson<LiveSnapshot>(sluice, '/admin/api/metrics/live?window=60');
    expect(live.overall.cache.miss).toBe(1);
    expect(live.overall.cache.memory).toBe(1);
    expect(live.overall.hitRate).toBe(0.5);
  });
});

describe('recent live samples', () => {
  it('the recent route answers the seconds already pushed, as their metrics events had them, for a panel that opens later', async () => {
    const { clock, sluice, client } = await setup();
    const stream = openEvents(sluice);
    await until('the event stream', () => stream.events.some((e) => e.type === 'hello'));
    for (let second = 0; second < 4; second++) {
      await chat(client, 'fast-model', `second ${second}`);
      clock.advance(1000);
    }
    await until('four metrics events', () => stream.events.filter((e) => e.type === 'metrics').length >= 4);
    const pushed = stream.events.filter((e) => e.type === 'metrics').map((e) => e.snapshot as LiveSnapshot);

    const recent = await getJson<LiveSample[]>(sluice, '/admin/api/metrics/recent');
    expect(recent.map((s) => s.ts)).toEqual(pushed.map((s) => s.ts));
    expect(recent.map((s) => s.overall.requests)).toEqual(pushed.map((s) => s.overall.requests));
    expect(recent.at(-1)!.overall.requests).toBe(4);
    expect(recent.at(-1)!.overall.latency.p50Ms).toBe(pushed.at(-1)!.overall.latency.p50Ms);
    expect(recent[0]).not.toHaveProperty('byModel');

    const two = await getJson<LiveSample[]>(sluice, '/admin/api/metrics/recent?seconds=2');
    expect(two.map((s) => s.ts)).toEqual(pushed.slice(-2).map((s) => s.ts));
    expect((await sluice.admin('/admin/api/metrics/recent?seconds=301')).status).toBe(400);
  });
});

describe('GET /metrics', () => {
  it('needs no admin token, passes promtool and has the request, latency, cache and token series', async () => {
    const { clock, sluice, client } = await setup();
    for (let i = 0; i < 3; i++) await chat(client, 'fast-model', `p${i}`);
    // Odd label values must be escaped, and breaker states come from the event stream.
    await chat(client, 'we"ird\\model\nname', 'x').catch(() => {});
    sluice.engine.emit({ type: 'breaker', ts: clock.now(), target: 'up/fast-model', state: 'open' });
    clock.advance(1000);
    const res = await fetch(`${sluice.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain; version=0.0.4');
    const text = await res.text();
    expect(text).toContain('sluice_requests_total{route="/v1/chat/completions",provider="up",model="fast-model",status="200",cache="bypass"} 3');
    expect(text).toMatch(/sluice_request_duration_seconds_bucket\{route="\/v1\/chat\/completions",provider="up",model="fast-model",status="200",cache="bypass",le="0\.025"\} 3/);
    expect(text).toMatch(/sluice_tokens_total\{provider="up",model="fast-model",direction="prompt"\} 15/);
    expect(text).toMatch(/sluice_cache_hits_total\{tier="memory"\} \d+/);
    expect(text).toMatch(/sluice_cache_evictions_total\{tier="disk"\} \d+/);
    expect(text).toContain('sluice_queue_depth 0');
    expect(text).toContain('sluice_breaker_state{target="up/fast-model",state="open"} 1');
    expect(text).toContain('model="we\\"ird\\\\model\\nname"');

    if (!existsSync(PROMTOOL)) {
      expect(process.env.CI, 'promtool is required under CI').not.toBe('true');
      return;
    }
    const check = spawnSync(PROMTOOL, ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(check.status, `promtool: ${check.stdout}${check.stderr}`).toBe(0);
  });

  it('is still behind the Host guard', async () => {
    const { sluice } = await setup();
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${sluice.url}/metrics`, { headers: { host: 'evil.example' } }, (res) => { res.resume(); resolve(res.statusCode ?? 0); });
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
  });
});

describe('history', () => {
  it('keeps its points across a restart on the same data dir', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sluice-metrics-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const clock = new ManualClock(Date.UTC(2026, 0, 1, 12));
    const first = await setup({ dataDir, clock });
    for (let i = 0; i < 4; i++) await chat(first.client, 'fast-model', `a${i}`);
    clock.advance(1000);
    for (let i = 0; i < 2; i++) await chat(first.client, 'slow-model', `b${i}`);
    // stopped mid-second: the second in progress is written too
    await first.stop();

    const second = await setup({ dataDir, clock, fake: first.fake });
    clock.advance(2000);
    const h = await getJson<HistorySeries>(second.sluice, '/admin/api/metrics/history?range=5m');
    expect(h.stepMs).toBe(1000);
    expect(h.points.reduce((n, p) => n + p.requests, 0)).toBe(6);
    const slow = await getJson<HistorySeries>(second.sluice, '/admin/api/metrics/history?range=1h&scope=model:slow-model');
    expect(slow.points.reduce((n, p) => n + p.requests, 0)).toBe(2);
    expect(Math.max(...slow.points.map((p) => p.p50Ms))).toBeGreaterThan(350);
    const day = await getJson<HistorySeries>(second.sluice, '/admin/api/metrics/history?range=30d');
    expect(day.points.reduce((n, p) => n + p.requests, 0)).toBe(6);

    const bad = await second.sluice.admin('/admin/api/metrics/history?range=2y');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain('5m, 1h, 24h, 7d, 30d');
  });
});

describe('legacy JSON summaries', () => {
  it('answer without the admin token; clearing the cache needs it', async () => {
    const { clock, sluice, client } = await setup();
    await client.chat.completions.create({ model: 'fast-model', messages: [{ role: 'user', content: 'cache me' }], temperature: 0 });
    await client.chat.completions.create({ model: 'fast-model', messages: [{ role: 'user', content: 'cache me' }], temperature: 0 });
    clock.advance(1000);
    const get = async (path: string) => {
      const res = await fetch(sluice.url + path);
      expect(res.status, path).toBe(200);
      return (await res.json()) as Record<string, any>;
    };
    const perf = await get('/performance/metrics');
    expect(perf.requests).toBe(2);
    expect(perf.cache_hit_rate).toBe(0.5);
    const v1 = await get('/v1/performance');
    expect(v1.object).toBe('performance');
    expect(v1.models['fast-model'].requests).toBe(2);
    const cache = await get('/performance/cache/stats');
    expect(cache.hits.memory).toBe(1);
    expect(cache.tiers.map((t: { tier: string }) => t.tier)).toEqual(['memory', 'disk']);
    expect((await get('/performance/health')).status).toBe('healthy');
    const detailed = await get('/v1/health/detailed');
    expect(detailed.components.database.status).toBe('up');
    expect(detailed.alerts.open).toBe(0);

    const anonymous = await fetch(`${sluice.url}/performance/cache/clear`, { method: 'POST' });
    expect(anonymous.status).toBe(401);
    const cleared = await sluice.admin('/performance/cache/clear', { method: 'POST' });
    expect(cleared.status).toBe(200);
    expect(((await cleared.json()) as { cleared: boolean }).cleared).toBe(true);
    const { response } = await client.chat.completions
      .create({ model: 'fast-model', messages: [{ role: 'user', content: 'cache me' }], temperature: 0 }).withResponse();
    expect(response.headers.get('x-sluice-cache')).toBe('miss');
  });
});

describe('with a client token (listening beyond loopback)', () => {
  it('the read-only routes want the client or admin token', async () => {
    const sluice = await startTestEngine({ config: { server: { clientToken: 'client-secret-token' } } });
    cleanups.push(() => sluice.stop());
    expect((await fetch(`${sluice.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${sluice.url}/performance/health`)).status).toBe(401);
    expect((await fetch(`${sluice.url}/metrics`, { headers: { authorization: 'Bearer client-secret-token' } })).status).toBe(200);
    expect((await sluice.admin('/v1/health/detailed')).status).toBe(200);
    // the client token is not enough to clear the cache
    expect((await fetch(`${sluice.url}/performance/cache/clear`, { method: 'POST', headers: { authorization: 'Bearer client-secret-token' } })).status).toBe(401);
  });
});
