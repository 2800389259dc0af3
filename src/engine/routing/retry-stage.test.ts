import { describe, expect, it } from 'vitest';
import { requestContext } from '../../../test/helpers/request-context.ts';
import type { Target } from '../../shared/targets.ts';
import { ManualClock } from '../clock.ts';
import { BadRequestError, UpstreamHttpError, UpstreamTimeoutError, UpstreamUnreachableError } from '../errors.ts';
import type { ProxyResult, RequestContext } from '../pipeline/context.ts';
import { BreakerRegistry } from './circuit-breaker.ts';
import { attemptsMade, createRetryStage, type AttemptReport, type RetryStageOptions } from './retry-stage.ts';

const A: Target = { provider: 'a', model: 'm' };
const B: Target = { provider: 'b', model: 'm' };
const ok = (who: string): ProxyResult => ({ status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(who) });

function ctx(targets: Target[], signal = new AbortController().signal): RequestContext {
  return requestContext({ requestedModel: 'smart', targets, signal });
}

type Script = Array<(t: Target) => ProxyResult | Promise<ProxyResult>>;

function setup(script: Script, over: Partial<RetryStageOptions> = {}) {
  const clock = new ManualClock();
  const calls: string[] = [];
  const reports: AttemptReport[] = [];
  let i = 0;
  const handler = createRetryStage({
    clock, random: () => 1 - 1e-9, attemptsPerTarget: 2, maxAttempts: 4,
    backoff: { baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 5_000 },
    call: async (t) => { calls.push(t.provider); return script[i++](t); },
    onAttempt: (r) => reports.push(r),
    ...over,
  })(async () => { throw new Error('next must not be called'); });
  return { clock, calls, reports, handler };
}

/** Let promise callbacks run, then move the clock; repeat until the promise settles. */
async function drive<T>(clock: ManualClock, p: Promise<T>, stepMs = 50, maxSteps = 200): Promise<T> {
  let settled = false;
  p.then(() => { settled = true; }, () => { settled = true; });
  for (let i = 0; i < maxSteps && !settled; i++) {
    await new Promise((r) => setImmediate(r));
    if (!settled) clock.advance(stepMs);
  }
  return p;
}

const fail500 = () => { throw new UpstreamHttpError('a', 500, '{"error":{"message":"boom"}}'); };

describe('retry stage', () => {
  it('answers from the first target when it works', async () => {
    const { handler, calls, clock } = setup([() => ok('a')]);
    const c = ctx([A, B]);
    const res = await drive(clock, handler(c));
    expect(res.body?.toString()).toBe('a');
    expect(calls).toEqual(['a']);
    expect(c.served).toEqual(A);
    expect(c.attempts).toBe(1);
  });

  it('retries a 5xx on the same target after a backoff wait, then succeeds', async () => {
    const { handler, calls, clock } = setup([fail500, () => ok('a')]);
    const c = ctx([A, B]);
    const p = handler(c);
    await new Promise((r) => setImmediate(r));
    expect(calls).toEqual(['a']);
    expect(clock.pendingTimers()).toBe(1); // waiting ~100 ms, not calling again yet
    clock.advance(99);
    await new Promise((r) => setImmediate(r));
    expect(calls).toEqual(['a']);
    clock.advance(1);
    const res = await p;
    expect(res.body?.toString()).toBe('a');
    expect(calls).toEqual(['a', 'a']);
    expect(c.attempts).toBe(2);
    expect(c.trace.some((s) => s.message.includes('attempt 1 failed'))).toBe(true);
  });

  it('falls back to the next target at once on connection refused', async () => {
    const { handler, calls, clock } = setup([() => { throw new UpstreamUnreachableError('a', 'ECONNREFUSED'); }, () => ok('b')]);
    const c = ctx([A, B]);
    const res = await handler(c); // no clock movement needed: no wait before a fallback
    expect(res.body?.toString()).toBe('b');
    expect(calls).toEqual(['a', 'b']);
    expect(c.served).toEqual(B);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('falls back after the per-target attempts are spent and reports every attempt', async () => {
    const timeout = () => { throw new UpstreamTimeoutError('a', 'headers', 10); };
    const { handler, calls, clock, reports } = setup([timeout, timeout, () => ok('b')]);
    const c = ctx([A, B]);
    await drive(clock, handler(c));
    expect(calls).toEqual(['a', 'a', 'b']);
    expect(reports.map((r) => r.ok)).toEqual([false, false, true]);
  });

  it('honours Retry-After on a 429, and moves on when it is too long', async () => {
    const { handler, calls, clock } = setup([() => { throw new UpstreamHttpError('a', 429, '{}', { retryAfterMs: 2_000 }); }, () => ok('a')]);
    const p = handler(ctx([A, B]));
    await new Promise((r) => setImmediate(r));
    clock.advance(1_999);
    await new Promise((r) => setImmediate(r));
    expect(calls).toEqual(['a']);
    clock.advance(1);
    await p;
    expect(calls).toEqual(['a', 'a']);

    const long = setup([() => { throw new UpstreamHttpError('a', 429, '{}', { retryAfterMs: 60_000 }); }, () => ok('b')]);
    const res = await long.handler(ctx([A, B]));
    expect(res.body?.toString()).toBe('b');
  });

  it('does not retry or fall back on a client error', async () => {
    const { handler, calls } = setup([() => { throw new UpstreamHttpError('a', 400, '{"error":{"message":"bad"}}'); }, () => ok('b')]);
    await expect(handler(ctx([A, B]))).rejects.toMatchObject({ upstreamStatus: 400 });
    expect(calls).toEqual(['a']);
    const other = setup([() => { throw new BadRequestError('nope'); }]);
    await expect(other.handler(ctx([A]))).rejects.toBeInstanceOf(BadRequestError);
  });

  it('traces a final client error with the upstream\'s status, words and request id, and times failed attempts', async () => {
    const clock = new ManualClock();
    const { handler } = setup([() => {
      clock.advance(12); // the upstream takes its time to refuse
      throw new UpstreamHttpError('a', 401, '{"error":{"message":"Incorrect API key provided","type":"invalid_request_error","code":"invalid_api_key","param":null}}', { requestId: 'req_up_401' });
    }], { clock });
    const c = ctx([A, B]);
    await expect(handler(c)).rejects.toMatchObject({ upstreamStatus: 401 });
    expect(c.trace).toEqual([expect.objectContaining({
      stage: 'retry', status: 401, upstreamRequestId: 'req_up_401',
      message: "a/m attempt 1 failed: Upstream provider 'a' answered 401: Incorrect API key provided (upstream request id req_up_401)",
    })]);
    expect(c.timings.upstreamMs).toBe(12);
  });

  it('counts every failed attempt\'s time in upstreamMs when all of them fail', async () => {
    const clock = new ManualClock();
    const slow500 = () => { clock.advance(10); return fail500(); };
    const { handler } = setup([slow500, slow500], { clock, attemptsPerTarget: 1 });
    const c = ctx([A, B]);
    await expect(handler(c)).rejects.toMatchObject({ upstreamStatus: 500 });
    expect(c.timings.upstreamMs).toBe(20);
  });

  it('stops at maxAttempts and throws the last error', async () => {
    const { handler, calls, clock } = setup([fail500, fail500, fail500, fail500, () => ok('x')], { maxAttempts: 3 });
    await expect(drive(clock, handler(ctx([A, B])))).rejects.toMatchObject({ upstreamStatus: 500 });
    expect(calls).toEqual(['a', 'a', 'b']);
  });

  it('counts the attempts in the notes a copy of the context shares, also when they all fail', async () => {
    const { handler, clock } = setup([fail500, fail500], { attemptsPerTarget: 1 });
    const original = ctx([A, B]);
    const copy = { ...original }; // as the coalesce stage runs the upstream call
    expect(attemptsMade(original)).toBeUndefined();
    await expect(drive(clock, handler(copy))).rejects.toMatchObject({ upstreamStatus: 500 });
    expect(copy.attempts).toBe(2);
    expect(original.attempts).toBe(0);
    expect(attemptsMade(original)).toBe(2);
  });

  it('stops waiting when the client goes away', async () => {
    const ac = new AbortController();
    const { handler, calls } = setup([fail500, () => ok('a')]);
    const p = handler(ctx([A], ac.signal));
    await new Promise((r) => setImmediate(r));
    ac.abort(new Error('client gone'));
    await expect(p).rejects.toThrow('client gone');
    expect(calls).toEqual(['a']);
  });

  it('feeds the breakers: an open breaker is skipped, and only the probe after its cool-down closes it', async () => {
    const clock = new ManualClock();
    const breakers = new BreakerRegistry({ clock, failureThreshold: 1, windowMs: 60_000, cooldownMs: 10_000 });
    const { handler, calls } = setup([() => { throw new UpstreamUnreachableError('a', 'ECONNREFUSED'); }, () => ok('b'), () => ok('b2')], { breakers, clock });
    await handler(ctx([A, B]));
    expect(breakers.state('a/m')).toBe('open');
    const c = ctx([A, B]);
    const res = await handler(c);
    expect(res.body?.toString()).toBe('b2');
    expect(calls).toEqual(['a', 'b', 'b']);
    expect(c.trace.some((s) => s.message === 'a/m: skipped, breaker open')).toBe(true);

    // every breaker open: the last target is tried anyway, and its real error is what the client gets
    const allOpen = setup([() => { throw new UpstreamUnreachableError('a', 'ECONNREFUSED'); }], { breakers, clock });
    const lone = ctx([A]);
    await expect(allOpen.handler(lone)).rejects.toMatchObject({ code: 'SLUICE_UPSTREAM_UNREACHABLE' });
    expect(allOpen.calls).toEqual(['a']);
    expect(lone.trace.some((s) => s.message === 'a/m: breaker open, tried anyway (no other target)')).toBe(true);
    expect(breakers.state('a/m')).toBe('open');
    // tried anyway and answered: the client gets it, but the breaker waits for its probe
    const answers = setup([() => ok('a')], { breakers, clock });
    expect((await answers.handler(ctx([A]))).body?.toString()).toBe('a');
    expect(breakers.state('a/m')).toBe('open');
    clock.advance(10_000);
    const recovers = setup([() => ok('a')], { breakers, clock });
    const probe = ctx([A, B]);
    expect((await recovers.handler(probe)).body?.toString()).toBe('a');
    expect(breakers.state('a/m')).toBe('closed');
  });

  it('falls back when a stream fails before its first byte, but commits once bytes flowed', async () => {
    const sse = (chunks: string[], failAt: number): ProxyResult => ({
      status: 200, headers: { 'content-type': 'text/event-stream' },
      stream: (async function* () {
        for (let i = 0; i < chunks.length; i++) {
          if (i === failAt) throw new UpstreamUnreachableError('x', 'ECONNRESET');
          yield Buffer.from(chunks[i]);
        }
      })(),
    });
    const { handler, calls } = setup([() => sse(['data: a\n\n'], 0), () => sse(['data: b1\n\n', 'data: b2\n\n'], 99)]);
    const res = await handler(ctx([A, B]));
    const got: string[] = [];
    for await (const ch of res.stream!) got.push(Buffer.from(ch).toString());
    expect(calls).toEqual(['a', 'b']);
    expect(got.join('')).toBe('data: b1\n\ndata: b2\n\n');

    const late = setup([() => sse(['data: 1\n\n', 'data: 2\n\n'], 1), () => ok('never')]);
    const r2 = await late.handler(ctx([A, B]));
    const it = r2.stream![Symbol.asyncIterator]();
    expect(Buffer.from((await it.next()).value).toString()).toBe('data: 1\n\n');
    await expect(it.next()).rejects.toMatchObject({ code: 'SLUICE_UPSTREAM_UNREACHABLE' });
    expect(late.calls).toEqual(['a']);
  });

  it('treats an empty stream as a failure', async () => {
    const empty: ProxyResult = { status: 200, headers: { 'content-type': 'text/event-stream' }, stream: (async function* () {})() };
    const { handler, calls } = setup([() => empty, () => ok('b')], { attemptsPerTarget: 1 });
    expect((await handler(ctx([A, B]))).body?.toString()).toBe('b');
    expect(calls).toEqual(['a', 'b']);
  });

  it('refuses bad options and empty target lists', async () => {
    expect(() => createRetryStage({ clock: new ManualClock(), random: Math.random, call: async () => ok(''), attemptsPerTarget: 0, maxAttempts: 1, backoff: { baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1 } })).toThrow(/attemptsPerTarget/);
    const { handler } = setup([]);
    await expect(handler(ctx([]))).rejects.toMatchObject({ code: 'SLUICE_MODEL_NOT_FOUND' });
  });
});
