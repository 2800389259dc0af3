// The admin API answers alike across its routes: a key or parameter it does not take is a 400 naming
// it, and something that is not there is a 404, whichever route is asked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fastSimulator, postChat, startTestEngine, type TestEngine } from './helpers/test-engine.ts';
import { until } from './helpers/waiting.ts';

let sluice: TestEngine;
beforeAll(async () => { sluice = await startTestEngine({ providers: [fastSimulator] }); });
afterAll(async () => { await sluice.stop(); });

type ErrorBody = { error: { message: string; code: string; type: string; param: string | null } };
const errorOf = async (res: Response) => ((await res.json()) as ErrorBody).error;
const send = (method: string, path: string, body?: unknown) =>
  sluice.admin(`/admin/api${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

describe('a key or parameter an admin route does not take', () => {
  it('is refused in the body of a test request and of a load test, and the load test is not started or saved', async () => {
    const test = await send('POST', '/requests/test', { model: 'sim-chat', extra: 1 });
    expect(test.status).toBe(400);
    expect(await errorOf(test)).toMatchObject({ param: 'extra', message: expect.stringContaining("Unknown key 'extra'") });

    const run = await send('POST', '/loadtests', { endpoint: 'chat', model: 'sim-chat', concurrency: 1, totalRequests: 1, repeatRatio: 0, bogus: 1 });
    expect(run.status).toBe(400);
    expect(await errorOf(run)).toMatchObject({ param: 'bogus', message: expect.stringContaining("Unknown key 'bogus'") });
    expect(await (await send('GET', '/loadtests')).json()).toEqual([]);
  });

  it('is refused in the body of a pause, a breaker reset and client limits, instead of being ignored', async () => {
    for (const [method, path, body] of [
      ['POST', '/engine/pause', { paused: false, forMinutes: 5 }],
      ['POST', '/routing/breakers/reset', { target: 'simulator/sim-chat', all: true }],
      ['PUT', '/scheduling/client-limits', { enabled: true, default: {}, rules: [], bogus: 1 }],
    ] as const) {
      const res = await send(method, path, body);
      expect(res.status, path).toBe(400);
      expect((await errorOf(res)).message, path).toMatch(/forMinutes|'all'|bogus/);
    }
  });

  it('is refused when the body names another id than the path, for a provider and an alert rule, and nothing is saved', async () => {
    const provider = await send('PUT', '/providers/newp', { id: 'other', type: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1' });
    expect(provider.status).toBe(400);
    const perr = await errorOf(provider);
    expect(perr.param).toBe('id');
    expect(perr.message).toContain("'other'");
    expect(perr.message).toContain("'newp'");
    const providers = (await (await send('GET', '/providers')).json()) as Array<{ id: string }>;
    expect(providers.map((p) => p.id)).not.toContain('newp');
    expect(providers.map((p) => p.id)).not.toContain('other');
    // the same id, or none, is taken
    expect((await send('PUT', '/providers/newp', { id: 'newp', type: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1' })).status).toBe(200);
    expect((await send('PUT', '/providers/newp', { type: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1' })).status).toBe(200);

    const rule = { id: 'lat', metric: 'latency.p95Ms', comparator: '>', threshold: 300 };
    expect((await send('POST', '/alert-rules', rule)).status).toBe(200);
    const renamed = await send('PUT', '/alert-rules/lat', { ...rule, id: 'other', threshold: 500 });
    expect(renamed.status).toBe(400);
    const rerr = await errorOf(renamed);
    expect(rerr.param).toBe('rule.id');
    expect(rerr.message).toContain("'other'");
    expect(await (await send('GET', '/alert-rules')).json()).toMatchObject([{ id: 'lat', threshold: 300 }]);
    expect((await send('PUT', '/alert-rules/lat', { ...rule, threshold: 500 })).status).toBe(200);
  });

  it('is refused in the query of every GET route that takes parameters, as the request log refuses one', async () => {
    const routes: Array<[string, string]> = [
      ['/requests', 'the request log'], ['/requests/values', 'limit'], ['/routing/history', 'limit'], ['/routing/spend', 'days'],
      ['/cache/entries', 'olderThanSeconds'], ['/metrics/live', 'window'], ['/metrics/history', 'scope'], ['/alerts', 'status'],
      ['/semantic/hits', 'limit'], ['/tts/voices', 'model'],
    ];
    for (const [path, named] of routes) {
      const res = await send('GET', `${path}?foo=1`);
      expect(res.status, path).toBe(400);
      const err = await errorOf(res);
      expect(err.param, path).toBe('foo');
      expect(err.message, path).toContain("'foo'");
      expect(err.message, path).toContain(named);
    }
    // what each takes is still taken
    for (const path of ['/routing/history?limit=5', '/cache/entries?limit=5&model=x', '/metrics/live?window=5', '/alerts?status=open', '/tts/voices?model=sim-tts']) {
      expect((await send('GET', path)).status, path).toBe(200);
    }
  });
});

describe('something an admin route names that is not there', () => {
  it('is a 404 for an alert rule deleted, as for one changed', async () => {
    const del = await send('DELETE', '/alert-rules/nope');
    expect(del.status).toBe(404);
    expect(await errorOf(del)).toMatchObject({ code: 'alert_rule_not_found', message: expect.stringContaining("'nope'") });
    expect((await send('PUT', '/alert-rules/nope', { metric: 'errorRate', comparator: '>', threshold: 0.5 })).status).toBe(404);
    expect((await send('POST', '/alert-rules', { id: 'gone-soon', metric: 'errorRate', comparator: '>', threshold: 0.5 })).status).toBe(200);
    expect(await (await send('DELETE', '/alert-rules/gone-soon')).json()).toEqual({ deleted: true });
    expect((await send('DELETE', '/alert-rules/gone-soon')).status).toBe(404);
  });

  it('is a 404 for a load test cancelled or deleted, as for one read; a finished run is not cancelled, a running one not deleted', async () => {
    for (const [method, path] of [['GET', '/loadtests/nope'], ['POST', '/loadtests/nope/cancel'], ['DELETE', '/loadtests/nope']] as const) {
      const res = await send(method, path);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect((await errorOf(res)).message).toContain("'nope'");
    }
    const { id } = (await (await send('POST', '/loadtests', { endpoint: 'chat', model: 'sim-chat', concurrency: 1, durationSeconds: 600, repeatRatio: 0 })).json()) as { id: string };
    const deleting = await send('DELETE', `/loadtests/${id}`);
    expect(deleting.status).toBe(409);
    expect((await errorOf(deleting)).message).toContain('cancel it first');
    expect(await (await send('POST', `/loadtests/${id}/cancel`)).json()).toEqual({ cancelled: true });
    await until(async () => ((await (await send('GET', `/loadtests/${id}`)).json()) as { state: string }).state === 'cancelled', 'the run to stop');
    expect(await (await send('POST', `/loadtests/${id}/cancel`)).json()).toEqual({ cancelled: false });
    expect(await (await send('DELETE', `/loadtests/${id}`)).json()).toEqual({ deleted: true });
    expect((await send('GET', `/loadtests/${id}`)).status).toBe(404);
    expect((await send('DELETE', `/loadtests/${id}`)).status).toBe(404);
  });

  it('is a 404 naming the target for a breaker Sluice does not keep; one it keeps is closed', async () => {
    const res = await send('POST', '/routing/breakers/reset', { target: 'nope/x' });
    expect(res.status).toBe(404);
    expect(await errorOf(res)).toMatchObject({ code: 'breaker_not_found', message: expect.stringContaining("'nope/x'") });
    expect((await postChat(sluice.url, 'sim-chat')).status).toBe(200);
    expect((await send('POST', '/routing/breakers/reset', { target: 'simulator/sim-chat' })).status).toBe(200);
    expect((await send('POST', '/routing/breakers/reset', {})).status).toBe(200);
  });

  it('is a 400 naming beforeId when the request log is paged on from a request it does not hold, as any filter it cannot read', async () => {
    const res = await send('GET', '/requests?beforeId=zzz');
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toMatchObject({ param: 'beforeId', type: 'invalid_request_error', message: expect.stringContaining("'zzz'") });
  });
});

describe('routing messages', () => {
  it('say seq where they mean the seq that rollback and baseSeq take, not a version number', async () => {
    const alias = (model: string) => send('PUT', '/routing/aliases/team', { targets: [{ provider: 'simulator', model }] });
    expect((await alias('sim-chat')).status).toBe(200);
    expect((await alias('sim-fast')).status).toBe(200);
    const history = (await (await send('GET', '/routing/history')).json()) as Array<{ seq: number; version: number }>;
    // a version number that is no seq is refused, in the terms of seq
    const missing = Math.max(...history.map((e) => e.seq)) + 100;
    const rollback = await send('POST', `/routing/history/${missing}/rollback`, {});
    expect(rollback.status).toBe(404);
    const rerr = (await errorOf(rollback)).message;
    expect(rerr).toContain(`seq ${missing}`);
    expect(rerr).not.toContain(`version ${missing}`);

    const stale = await send('PUT', '/routing?baseSeq=0', { aliases: [] });
    expect(stale.status).toBe(409);
    const cerr = (await errorOf(stale)).message;
    expect(cerr).toContain(`now seq ${history[0].seq}`);
    expect(cerr).not.toMatch(/version \d/);
  });
});

describe('error codes', () => {
  it('of the alert notification settings are their own, not those of a rule', async () => {
    const res = await send('PUT', '/alerts/settings', { webhookUrl: 'notaurl' });
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toMatchObject({ code: 'invalid_alert_settings', param: 'settings.webhookUrl', type: 'invalid_request_error' });
    const rule = await send('POST', '/alert-rules', { id: 'x', metric: 'nope', comparator: '>', threshold: 1 });
    expect((await errorOf(rule)).code).toBe('invalid_alert_rule');
  });

  it('of an explained request are in lower case, the code the proxy answers the same request with', async () => {
    for (const body of [{ model: 'sim-chat' }, { model: 'sim-embed', messages: [{ role: 'user', content: 'hi' }] }]) {
      const proxied = await fetch(`${sluice.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const proxyCode = (await errorOf(proxied)).code;
      const explained = (await (await send('POST', '/routing/explain', { body })).json()) as { error: { code: string; status: number } };
      expect(explained.error).toMatchObject({ code: proxyCode, status: proxied.status });
      expect(explained.error.code).toMatch(/^[a-z_]+$/);
    }
  });
});

describe('range messages', () => {
  it('state the bounds a value was checked against, and name a key once', async () => {
    const timeout = await send('PUT', '/providers/slow', { type: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1', timeouts: { connectMs: 1e12 } });
    expect(timeout.status).toBe(400);
    expect((await errorOf(timeout)).message).toBe('provider.timeouts.connectMs: must be a number of milliseconds above 0 and at most 3600000 (an hour)');

    const limits = await send('PUT', '/scheduling/client-limits', { enabled: true, default: { requestsPerMinute: 0 }, rules: [] });
    expect(limits.status).toBe(400);
    expect((await errorOf(limits)).message).toBe('clientLimits.default.requestsPerMinute: must be a number above 0 and at most 1000000000000');

    const routing = await send('PUT', '/routing', { classTargets: { bogus: [{ provider: 'simulator', model: 'sim-chat' }] } });
    expect(routing.status).toBe(400);
    const issues = ((await routing.json()) as { error: { issues: Array<{ param: string; message: string }> } }).error.issues;
    expect(issues).toEqual([expect.objectContaining({ param: 'classTargets.bogus', message: expect.stringContaining('unknown class') })]);
  });
});

describe('POST /loadtests', () => {
  it('takes what it is not given from the defaults sluice bench has, and a second start while one runs is a 409 to act on', async () => {
    const started = await send('POST', '/loadtests', { durationSeconds: 600, concurrency: 1 });
    expect(started.status).toBe(200);
    const { id } = (await started.json()) as { id: string };
    const run = (await (await send('GET', `/loadtests/${id}`)).json()) as { spec: object };
    expect(run.spec).toEqual({ endpoint: 'chat', model: 'sim-chat', concurrency: 1, repeatRatio: 0.3, durationSeconds: 600 });

    const second = await send('POST', '/loadtests', { totalRequests: 1 });
    expect(second.status).toBe(409);
    expect(await errorOf(second)).toMatchObject({ code: 'loadtest_busy', type: 'invalid_request_error', message: expect.stringContaining(`'${id}'`) });

    expect(await (await send('POST', `/loadtests/${id}/cancel`)).json()).toEqual({ cancelled: true });
    await until(async () => ((await (await send('GET', `/loadtests/${id}`)).json()) as { state: string }).state === 'cancelled', 'the run to stop');
    // neither bound given: 500 requests, as sluice bench runs
    const defaults = await send('POST', '/loadtests', { concurrency: 1, repeatRatio: 1 });
    const next = (await defaults.json()) as { id: string };
    expect(((await (await send('GET', `/loadtests/${next.id}`)).json()) as { spec: object }).spec).toMatchObject({ totalRequests: 500 });
    await send('POST', `/loadtests/${next.id}/cancel`);
    await until(async () => ((await (await send('GET', `/loadtests/${next.id}`)).json()) as { state: string }).state !== 'running', 'the run to stop');
  });
});
