// Routing end to end: aliases switched by one admin call, rules with fallback over real sockets,
// Retry-After, streams that die before their first byte, breakers, budgets, validation with the old
// rules still serving, explain, export/import and rollback, and `auto` by complexity.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import type { RoutingConfig, RoutingRule } from '../src/shared/routing.ts';
import { chatCompletion, FakeUpstream, json } from './helpers/fake-upstream.ts';
import { fastSimulator, startTestEngine, type TestEngine } from './helpers/test-engine.ts';
import { refusedPort } from './helpers/refused-port.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });


interface Setup { a: FakeUpstream; b: FakeUpstream; sluice: TestEngine }

async function setup(routing: Partial<RoutingConfig> = {}, extra: { deadProvider?: boolean } = {}): Promise<Setup> {
  const a = new FakeUpstream();
  const b = new FakeUpstream();
  const [ua, ub] = await Promise.all([a.start(), b.start()]);
  cleanups.push(() => a.stop(), () => b.stop());
  const providers = [
    fastSimulator,
    { id: 'a', type: 'openai-compatible' as const, baseUrl: ua, apiKey: 'sk-secret-a-123456' },
    { id: 'b', type: 'openai-compatible' as const, baseUrl: ub },
    ...(extra.deadProvider ? [{ id: 'dead', type: 'openai-compatible' as const, baseUrl: `http://127.0.0.1:${await refusedPort()}/v1` }] : []),
  ];
  const sluice = await startTestEngine({
    providers,
    config: {
      cache: { enabled: false },
      routing: {
        retry: { attemptsPerTarget: 1, maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 5_000 },
        breaker: { failureThreshold: 2, windowMs: 60_000, cooldownMs: 60_000 },
        ...routing,
      },
    },
  });
  cleanups.push(() => sluice.stop());
  return { a, b, sluice };
}

const pairRule = (first = 'a'): RoutingRule => ({
  id: 'pair', name: 'pair', enabled: true, when: { model: ['pair*'] },
  action: { strategy: 'fallback', targets: [{ provider: first, model: 'm1' }, { provider: 'b', model: 'm2' }] },
});

const chat = (url: string, model: string, content = 'hi', headers: Record<string, string> = {}) =>
  fetch(`${url}/v1/chat/completions`, {
    method: 'POST', headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ model, messages: [{ role: 'user', content }] }),
  });

const fail500 = (_req: unknown, res: import('node:http').ServerResponse) => json(res, 500, { error: { message: 'boom' } });

describe('aliases', () => {
  it('switching the target behind an alias is one admin call, and the next request follows it', async () => {
    const { a, b, sluice } = await setup({ aliases: [{ name: 'team', targets: [{ provider: 'a', model: 'm1' }] }] });
    const first = await chat(sluice.url, 'team');
    expect(first.status).toBe(200);
    expect(first.headers.get('x-sluice-provider')).toBe('a');
    expect(a.calls('POST /v1/chat/completions').at(-1)!.body.model).toBe('m1');

    const put = await sluice.admin('/admin/api/routing/aliases/team', { method: 'PUT', body: JSON.stringify({ targets: [{ provider: 'b', model: 'm2' }] }) });
    expect(put.status).toBe(200);
    const second = await chat(sluice.url, 'team');
    expect(second.headers.get('x-sluice-provider')).toBe('b');
    expect(second.headers.get('x-sluice-model')).toBe('m2');
    expect(b.calls('POST /v1/chat/completions').at(-1)!.body.model).toBe('m2');
    expect(a.calls('POST /v1/chat/completions')).toHaveLength(1);
  });

  it('has fast and smart by default, pointing at the simulator', async () => {
    const { sluice } = await setup();
    const fast = await chat(sluice.url, 'fast');
    expect(fast.status).toBe(200);
    expect([fast.headers.get('x-sluice-provider'), fast.headers.get('x-sluice-model')]).toEqual(['simulator', 'sim-fast']);
    const smart = await chat(sluice.url, 'smart');
    expect(smart.headers.get('x-sluice-model')).toBe('sim-reasoner');
  });
});

describe('fallback', () => {
  it('falls back to the next target on a 500 and says who answered after how many attempts', async () => {
    const { a, b, sluice } = await setup({ rules: [pairRule()] });
    a.on('POST /v1/chat/completions', fail500);
    const res = await chat(sluice.url, 'pair');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-sluice-provider')).toBe('b');
    expect(res.headers.get('x-sluice-model')).toBe('m2');
    expect(res.headers.get('x-sluice-attempts')).toBe('2');
    expect(b.calls('POST /v1/chat/completions')).toHaveLength(1);
  });

  it('falls back when the first target refuses connections', async () => {
    const { sluice } = await setup({ rules: [pairRule('dead')] }, { deadProvider: true });
    const res = await chat(sluice.url, 'pair');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-sluice-provider')).toBe('b');
    expect(res.headers.get('x-sluice-attempts')).toBe('2');
  });

  it('falls back on a 429 and never retries a 400', async () => {
    const { a, b, sluice } = await setup({ rules: [pairRule()] });
    a.on('POST /v1/chat/completions', (_q, res) => json(res, 429, { error: { message: 'slow down' } }, { 'retry-after': '60' }));
    const res = await chat(sluice.url, 'pair');
    expect(res.headers.get('x-sluice-provider')).toBe('b');

    a.on('POST /v1/chat/completions', (_q, res) => json(res, 400, { error: { message: 'bad prompt' } }));
    const before = b.calls('POST /v1/chat/completions').length;
    const bad = await chat(sluice.url, 'pair', 'again');
    expect(bad.status).toBe(400);
    expect(bad.headers.get('x-sluice-attempts')).toBe('1');
    expect(b.calls('POST /v1/chat/completions')).toHaveLength(before);
  });

  it('waits for Retry-After before retrying the same target', async () => {
    const { a, sluice } = await setup({
      aliases: [{ name: 'one', targets: [{ provider: 'a', model: 'm1' }] }],
      retry: { attemptsPerTarget: 2, maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 5_000 },
    });
    let n = 0;
    a.on('POST /v1/chat/completions', (q, res) => {
      if (n++ === 0) return json(res, 429, { error: { message: 'later' } }, { 'retry-after': '1' });
      json(res, 200, chatCompletion(String(q.body.model), 'ok'));
    });
    const t0 = performance.now();
    const res = await chat(sluice.url, 'one');
    const waited = performance.now() - t0;
    expect(res.status).toBe(200);
    expect(res.headers.get('x-sluice-attempts')).toBe('2');
    expect(waited).toBeGreaterThanOrEqual(950);
  });

  it('falls back when a stream breaks before its first byte (openai SDK)', async () => {
    const { a, sluice } = await setup({ rules: [pairRule()] });
    a.on('POST /v1/chat/completions', (_q, res) => { res.writeHead(200, { 'content-type': 'text/event-stream' }); res.flushHeaders(); setTimeout(() => res.destroy(), 5); });
    const client = new OpenAI({ baseURL: `${sluice.url}/v1`, apiKey: 'sk-client', maxRetries: 0 });
    const { data: stream, response } = await client.chat.completions.create({ model: 'pair', stream: true, messages: [{ role: 'user', content: 'stream please' }] }).withResponse();
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    expect(text).toContain('stream please');
    expect(response.headers.get('x-sluice-provider')).toBe('b');
    expect(response.headers.get('x-sluice-attempts')).toBe('2');
  });
});

describe('circuit breaker', () => {
  it('opens after repeated failures, shows in the admin API and on the event stream, and skips the target', async () => {
    const { a, sluice } = await setup({ rules: [pairRule()] });
    a.on('POST /v1/chat/completions', fail500);
    const events = await fetch(`${sluice.url}/admin/api/events`, { headers: { authorization: 'Bearer test-admin-token-0123456789' } });
    const reader = events.body!.getReader();
    for (let i = 0; i < 2; i++) expect((await chat(sluice.url, 'pair', `q${i}`)).headers.get('x-sluice-provider')).toBe('b');

    const breakers = await (await sluice.admin('/admin/api/routing/breakers')).json() as Array<{ target: string; state: string }>;
    expect(breakers.find((x) => x.target === 'a/m1')?.state).toBe('open');
    const health = await (await sluice.admin('/admin/api/routing/health')).json() as Array<{ provider: string; state: string; recentErrors: number }>;
    expect(health.find((h) => h.provider === 'a')).toMatchObject({ state: 'open', recentErrors: 2 });
    expect(JSON.stringify(health)).not.toContain('sk-secret');

    let seen = '';
    while (!seen.includes('event: breaker')) seen += new TextDecoder().decode((await reader.read()).value);
    expect(seen).toContain('"target":"a/m1"');
    expect(seen).toContain('"state":"open"');
    await reader.cancel();

    const callsBefore = a.calls('POST /v1/chat/completions').length;
    const third = await chat(sluice.url, 'pair', 'q3');
    expect(third.headers.get('x-sluice-provider')).toBe('b');
    expect(third.headers.get('x-sluice-attempts')).toBe('1');
    expect(a.calls('POST /v1/chat/completions')).toHaveLength(callsBefore);
  });
});

describe('budgets', () => {
  it('refuses with a clear 429 once exhausted, and raises a budget event', async () => {
    const { sluice } = await setup({
      aliases: [{ name: 'team', targets: [{ provider: 'a', model: 'm1' }] }],
      budgets: [{ id: 'a-tokens', scope: 'provider', match: 'a', period: 'day', unit: 'tokens', limit: 10, onExhausted: 'refuse' }],
    });
    const budgetEvents: unknown[] = [];
    sluice.engine.events.subscribe((e) => { if (e.type === 'budget') budgetEvents.push(e); });
    expect((await chat(sluice.url, 'team')).status).toBe(200); // 12 tokens: now over the limit
    expect(budgetEvents).toMatchObject([{ type: 'budget', budget: 'a-tokens', level: 'exhausted' }]);
    const status = await (await sluice.admin('/admin/api/routing/budgets')).json() as Array<{ id: string; level: string; used: number }>;
    expect(status[0]).toMatchObject({ id: 'a-tokens', level: 'exhausted', used: 12 });
    const refused = await chat(sluice.url, 'team', 'again');
    expect(refused.status).toBe(429);
    const body = await refused.json() as { error: { message: string } };
    expect(body.error.message).toContain("Budget 'a-tokens'");
    expect(body.error.message).toContain('exhausted');
  });

  it('keeps spend in SQLite: after a restart the budget is still exhausted and the spend is listed', async () => {
    const a = new FakeUpstream();
    const ua = await a.start();
    cleanups.push(() => a.stop());
    const dataDir = mkdtempSync(join(tmpdir(), 'sluice-routing-spend-'));
    cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    const opts = {
      dataDir, keepDataDir: true, providers: [{ id: 'a', type: 'openai-compatible' as const, baseUrl: ua }],
      config: {
        cache: { enabled: false },
        routing: {
          aliases: [{ name: 'team', targets: [{ provider: 'a', model: 'm1' }] }],
          budgets: [{ id: 'a-tokens', scope: 'provider', match: 'a', period: 'day', unit: 'tokens', limit: 10, onExhausted: 'refuse' }],
        },
      },
    };
    const first = await startTestEngine(opts);
    expect((await chat(first.url, 'team')).status).toBe(200);
    await first.stop();
    const second = await startTestEngine(opts);
    cleanups.push(() => second.stop());
    expect((await chat(second.url, 'team', 'again')).status).toBe(429);
    const spend = await (await second.admin('/admin/api/routing/spend?days=1')).json();
    expect(spend).toMatchObject([{ provider: 'a', model: 'm1', tokens: 12, requests: 1 }]);
  });

  it('downgrades to the configured target instead when asked to', async () => {
    const { b, sluice } = await setup({
      aliases: [{ name: 'team', targets: [{ provider: 'a', model: 'm1' }] }],
      budgets: [{ id: 'a-tokens', scope: 'provider', match: 'a', period: 'day', unit: 'tokens', limit: 10, onExhausted: 'downgrade', downgradeTo: [{ provider: 'b', model: 'cheap' }] }],
    });
    await chat(sluice.url, 'team');
    const res = await chat(sluice.url, 'team', 'again');
    expect(res.status).toBe(200);
    expect(res.headers.get('x-sluice-provider')).toBe('b');
    expect(b.calls('POST /v1/chat/completions').at(-1)!.body.model).toBe('cheap');
  });

  it('refuses with 429 once exhausted when a downgrade has nothing cheaper to move to, and explain says why', async () => {
    const { a, sluice } = await setup({
      aliases: [{ name: 'team', targets: [{ provider: 'a', model: 'm1' }] }],
      budgets: [{ id: 'team-tokens', scope: 'alias', match: 'team', period: 'day', unit: 'tokens', limit: 10, onExhausted: 'downgrade' }],
    });
    expect((await chat(sluice.url, 'team')).status).toBe(200); // 12 tokens: now over the limit
    const refused = await chat(sluice.url, 'team', 'again');
    expect(refused.status).toBe(429);
    expect((await refused.json() as { error: { message: string } }).error.message).toContain('has no cheaper target to downgrade to');
    expect(a.calls('POST /v1/chat/completions')).toHaveLength(1);
    const status = await (await sluice.admin('/admin/api/routing/budgets')).json() as Array<{ id: string; used: number }>;
    expect(status[0]).toMatchObject({ id: 'team-tokens', used: 12 });
    const ex = await (await sluice.admin('/admin/api/routing/explain', { method: 'POST', body: JSON.stringify({ model: 'team' }) })).json() as { steps: string[] };
    expect(ex.steps).toContain("budget 'team-tokens' is exhausted and nothing cheaper is left to downgrade to: request refused");
  });
});

describe('the routing document', () => {
  it('rejects an invalid rule with 400 naming the field, and the old rules keep serving', async () => {
    const { sluice } = await setup({ rules: [pairRule()] });
    const doc = (await (await sluice.admin('/admin/api/routing')).json() as { config: RoutingConfig }).config;
    const bad = { ...doc, rules: [{ ...pairRule(), action: { strategy: 'fallback', targets: [{ provider: 'nope', model: 'x' }] } }] };
    const res = await sluice.admin('/admin/api/routing', { method: 'PUT', body: JSON.stringify(bad) });
    expect(res.status).toBe(400);
    const err = await res.json() as { error: { message: string; param: string } };
    expect(err.error.message).toContain("rules[0].action.targets[0].provider: unknown provider 'nope'");
    expect(err.error.param).toBe('rules[0].action.targets[0].provider');
    const still = await chat(sluice.url, 'pair');
    expect(still.headers.get('x-sluice-provider')).toBe('a');
  });

  it('explains a decision step by step', async () => {
    const { sluice } = await setup({ rules: [{ ...pairRule(), id: 'other', name: 'other', when: { model: ['zzz'] } }, pairRule()] });
    await sluice.admin('/admin/api/routing/breakers/reset', { method: 'POST', body: '{}' });
    const res = await sluice.admin('/admin/api/routing/explain', { method: 'POST', body: JSON.stringify({ body: { model: 'pair-x', messages: [{ role: 'user', content: 'hello' }] } }) });
    expect(res.status).toBe(200);
    const ex = await res.json() as { matchedRule: string; rules: Array<{ id: string; matched: boolean; reason: string }>; targets: string[]; steps: string[]; candidates: Array<{ target: string; kept: boolean }> };
    expect(ex.matchedRule).toBe('pair');
    expect(ex.rules[0]).toMatchObject({ id: 'other', matched: false });
    expect(ex.rules[0].reason).toContain("matches none of 'zzz'");
    expect(ex.targets).toEqual(['a/m1', 'b/m2']);
    expect(ex.candidates.every((c) => c.kept)).toBe(true);
    expect(ex.steps.join('\n')).toContain("rule 'pair'");
  });

  it('explains what the proxy does with a body it refuses or a model served for another endpoint, as the proxy answers them', async () => {
    const { sluice } = await setup();
    type Explained = { targets: string[]; steps: string[]; error: { code: string; status: number; message: string } | null };
    const explain = async (input: object) => (await sluice.admin('/admin/api/routing/explain', { method: 'POST', body: JSON.stringify(input) })).json() as Promise<Explained>;
    const proxied = async (path: string, body: object) => {
      const res = await fetch(`${sluice.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const text = await res.text();
      const error = res.ok ? null : (JSON.parse(text) as { error: { message: string; code: string } }).error;
      return { status: res.status, message: error?.message ?? null, code: error?.code ?? null };
    };
    const cases: Array<[string, 'chat' | 'embeddings' | 'speech', object, string, RegExp]> = [
      ['/v1/chat/completions', 'chat', { model: 'fast', messages: [] }, 'invalid_field', /^the body is refused before routing: Invalid 'messages': expected at least one message$/],
      ['/v1/chat/completions', 'chat', { model: 'fast', messages: [{ role: 'user', content: 'hi' }], temperature: 5 }, 'invalid_field', /temperature/],
      ['/v1/embeddings', 'embeddings', { model: 'sim-embed' }, 'missing_field', /Missing required field 'input'/],
      // served by the simulator, but for speech: the proxy routes it there and the simulator refuses it
      ['/v1/chat/completions', 'chat', { model: 'sim-tts', messages: [{ role: 'user', content: 'hi' }] }, 'wrong_endpoint', /^simulator\/sim-tts refuses the request: 'sim-tts' is the simulator's speech model; for chat completions use sim-chat or sim-fast or sim-reasoner\.$/],
      ['/v1/embeddings', 'embeddings', { model: 'sim-chat', input: 'hi' }, 'wrong_endpoint', /sim-embed/],
      ['/v1/audio/speech', 'speech', { model: 'sim-tts', input: 'hi', voice: 'nobody', response_format: 'wav' }, 'unknown_voice', /^simulator\/sim-tts refuses the request: The simulator has no voice 'nobody'/],
    ];
    for (const [path, endpoint, body, code, lastStep] of cases) {
      const real = await proxied(path, body);
      expect(real.status, JSON.stringify(body)).toBe(400);
      expect(real.code, JSON.stringify(body)).toBe(code);
      const ex = await explain({ endpoint, body });
      // what explain says the request gets is what the proxy answered
      expect(ex.error, JSON.stringify(body)).toMatchObject({ code, status: 400, message: real.message });
      expect(ex.targets).toEqual([]);
      expect(ex.steps.at(-1)).toMatch(lastStep);
      expect(ex.steps.join('\n')).not.toContain('will try');
    }

    // a body the proxy takes goes where the proxy sends it; `model` alone still asks only where a model goes
    const fine = await explain({ body: { model: 'sim-tts', input: 'hi', voice: 'alloy', response_format: 'wav' }, endpoint: 'speech' });
    expect(fine).toMatchObject({ error: null, targets: ['simulator/sim-tts'] });
    expect((await proxied('/v1/audio/speech', { model: 'sim-tts', input: 'hi', voice: 'alloy', response_format: 'wav' })).status).toBe(200);
    expect(await explain({ model: 'fast' })).toMatchObject({ error: null, targets: ['simulator/sim-fast'] });
    const notObject = await sluice.admin('/admin/api/routing/explain', { method: 'POST', body: JSON.stringify({ body: [1] }) });
    expect(notObject.status).toBe(400);
  });

  it('exports, imports and rolls back, and requests follow each version', async () => {
    const { sluice } = await setup({ aliases: [{ name: 'team', targets: [{ provider: 'a', model: 'm1' }] }] });
    const exported = await (await sluice.admin('/admin/api/routing/export')).json() as { format: string; routing: RoutingConfig };
    expect(exported.format).toBe('sluice-routing');
    await sluice.admin('/admin/api/routing/aliases/team', { method: 'PUT', body: JSON.stringify({ targets: [{ provider: 'b', model: 'm2' }] }) });
    expect((await chat(sluice.url, 'team')).headers.get('x-sluice-provider')).toBe('b');

    // another setting saved in between shares the store's seq, not the routing version number
    const rule = { id: 'errors', name: 'Too many errors', metric: 'errorRate', comparator: '>', threshold: 0.5, forSeconds: 2, severity: 'critical', enabled: true };
    expect((await sluice.admin('/admin/api/alert-rules', { method: 'POST', body: JSON.stringify(rule) })).status).toBe(200);
    const imported = await sluice.admin('/admin/api/routing/import', { method: 'POST', body: JSON.stringify(exported) });
    expect(imported.status).toBe(200);
    expect((await chat(sluice.url, 'team')).headers.get('x-sluice-provider')).toBe('a');

    const history = await (await sluice.admin('/admin/api/routing/history')).json() as Array<{ seq: number; version: number }>;
    expect(history.map((e) => e.version)).toEqual([2, 1]);
    expect(history[0].seq - history[1].seq).toBeGreaterThan(1);
    const back = await sluice.admin(`/admin/api/routing/history/${history[1].seq}/rollback`, { method: 'POST', body: '{}' });
    expect(back.status).toBe(200);
    expect((await chat(sluice.url, 'team')).headers.get('x-sluice-provider')).toBe('b');
    expect((await (await sluice.admin('/admin/api/routing/history')).json() as Array<{ version: number }>).map((e) => e.version)).toEqual([3, 2, 1]);
    expect((await (await sluice.admin('/admin/api/routing/history?limit=1')).json() as Array<{ version: number }>).map((e) => e.version)).toEqual([3]);
    const unreadable = await sluice.admin('/admin/api/routing/history/abc/rollback', { method: 'POST', body: '{}' });
    expect(unreadable.status).toBe(400);
    expect(((await unreadable.json()) as { error: { message: string } }).error.message).not.toContain('NaN');
    expect((await sluice.admin('/admin/api/routing/history/999999/rollback', { method: 'POST', body: '{}' })).status).toBe(404);
  });

  it('refuses to start with a broken routing section in the config file, naming the field', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sluice-routing-bad-'));
    cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    await expect(startTestEngine({ dataDir, config: { routing: { rules: [{ id: 'r', name: 'r', enabled: 'yes', when: {}, action: { strategy: 'fallback', targets: [] } }] } } }))
      .rejects.toThrow(/routing\.rules\[0\]\.enabled: must be true or false/);
  });

  it('keeps the saved document across a restart (SQLite wins over the config file)', async () => {
    const { sluice } = await setup({ aliases: [{ name: 'team', targets: [{ provider: 'a', model: 'm1' }] }] });
    await sluice.admin('/admin/api/routing/aliases/team', { method: 'PUT', body: JSON.stringify({ targets: [{ provider: 'b', model: 'm2' }] }) });
    await sluice.engine.stop(); // a restart: one Sluice per data dir
    const again = await startTestEngine({ dataDir: sluice.dataDir, keepDataDir: true, providers: sluice.engine.config.providers, config: { routing: { aliases: [{ name: 'team', targets: [{ provider: 'a', model: 'm1' }] }] } } });
    try {
      const doc = await (await again.admin('/admin/api/routing')).json() as { config: RoutingConfig };
      expect(doc.config.aliases.find((x) => x.name === 'team')!.targets).toEqual([{ provider: 'b', model: 'm2' }]);
    } finally {
      await again.stop();
    }
  });
});

describe('auto', () => {
  it('routes a hello and a code question to different classes', async () => {
    const { sluice } = await setup();
    const hello = await chat(sluice.url, 'auto', 'hello');
    const code = await chat(sluice.url, 'auto', 'Explain why this function is slow and optimize it:\n```js\nfunction f(a) { return a.map((x) => x * 2); }\n```');
    expect(hello.status).toBe(200);
    expect(code.status).toBe(200);
    expect(hello.headers.get('x-sluice-model')).toBe('sim-fast');
    expect(code.headers.get('x-sluice-model')).toBe('sim-reasoner');
    const explained = await (await sluice.admin('/admin/api/routing/explain', { method: 'POST', body: JSON.stringify({ model: 'auto', messages: [{ role: 'user', content: 'hello' }] }) })).json() as { complexity: string };
    expect(explained.complexity).toBe('simple');
  });
});
