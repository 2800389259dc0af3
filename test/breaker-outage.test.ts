// The circuit breaker end to end, on a ManualClock, in the reviewer's case: a slow request is on its
// way when quick ones fail and open the breaker; its success must not close the breaker again. The
// breaker stays open for its cool-down, one probe closes it, and the outage is one alert, not one
// per flap.
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/engine/clock.ts';
import type { Alert, AlertList } from '../src/shared/alerts.ts';
import type { BreakerState } from '../src/shared/routing.ts';
import { FakeUpstream, json } from './helpers/fake-upstream.ts';
import { startTestEngine, type TestEngine } from './helpers/test-engine.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => { resolve = r; });
  return { promise, resolve };
}

async function setup() {
  const clock = new ManualClock(Date.UTC(2026, 0, 1, 12));
  const fake = new FakeUpstream();
  await fake.start();
  cleanups.push(() => fake.stop());
  const slowArrived = deferred();
  const slowMayAnswer = deferred();
  let failing = true;
  const realChat = fake.behaviours['POST /v1/chat/completions'];
  fake.on('POST /v1/chat/completions', async (req, res) => {
    if (req.body.messages?.[0]?.content === 'SLOWOK') {
      slowArrived.resolve();
      await slowMayAnswer.promise;
      return realChat(req, res);
    }
    // an upstream that echoes the caller's key in its error text, as some do
    if (failing) return json(res, 500, { error: { message: 'boom for key sk-flaky-secret-0123456789', type: 'server_error' } });
    return realChat(req, res);
  });
  const sluice = await startTestEngine({
    providers: [{ id: 'flaky', type: 'openai-compatible', baseUrl: fake.url, models: ['fake-chat'], apiKey: 'sk-flaky-secret-0123456789' }],
    deps: { clock },
    config: {
      cache: { enabled: false },
      routing: { retry: { attemptsPerTarget: 1, maxAttempts: 1 }, breaker: { failureThreshold: 5, windowMs: 60_000, cooldownMs: 15_000 } },
    },
  });
  cleanups.push(() => sluice.stop());
  const chat = (content: string) => fetch(`${sluice.url}/v1/chat/completions`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'flaky/fake-chat', messages: [{ role: 'user', content }] }),
  });
  const breaker = async () => ((await (await sluice.admin('/admin/api/routing/breakers')).json()) as BreakerState[])
    .find((b) => b.target === 'flaky/fake-chat');
  return { clock, fake, sluice, chat, breaker, slowArrived, slowMayAnswer, recover: () => { failing = false; } };
}

async function outageAlerts(sluice: TestEngine): Promise<Alert[]> {
  const res = await sluice.admin('/admin/api/alerts?status=all');
  return ((await res.json()) as AlertList).alerts.filter((a) => a.kind === 'upstream-outage');
}

describe('circuit breaker under concurrency', () => {
  it('stays open for its cool-down when a request already under way succeeds, and one probe closes it', async () => {
    const { clock, sluice, chat, breaker, slowArrived, slowMayAnswer, recover } = await setup();
    const slow = chat('SLOWOK');
    await slowArrived.promise;
    for (let i = 0; i < 5; i++) expect((await chat(`quick ${i}`)).status).toBe(500);
    const opened = await breaker();
    expect(opened).toMatchObject({ state: 'open' });

    clock.advance(2_000);
    slowMayAnswer.resolve();
    expect((await slow).status).toBe(200);
    expect(await breaker()).toMatchObject({ state: 'open', probeAt: opened!.probeAt });

    // the upstream recovers during the cool-down: the lone target is still tried, and answers,
    // but the breaker waits for its probe
    recover();
    expect((await chat('during the cool-down')).status).toBe(200);
    expect((await breaker())?.state).toBe('open');
    let alerts = await outageAlerts(sluice);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ severity: 'critical', resolvedAt: null, occurrences: 1 });
    // what the Alerts page shows as "Failures" and "Last error": the upstream's words, key redacted
    // the status and the upstream's own words apart too, for the panel to word Sluice's part in the reader's language
    expect(alerts[0].figures).toEqual({
      target: 'flaky/fake-chat', failures: 5, lastError: "Upstream provider 'flaky' answered 500: boom for key [redacted]",
      lastStatus: 500, lastUpstreamMessage: 'boom for key [redacted]',
    });
    expect(alerts[0].message).toContain('opened after: Upstream provider \'flaky\' answered 500: boom for key [redacted]');
    expect(JSON.stringify(alerts)).not.toContain('sk-flaky-secret');

    clock.advance(13_000);
    expect((await breaker())?.state).toBe('half-open');
    expect((await chat('the probe')).status).toBe(200);
    expect((await breaker())?.state).toBe('closed');
    // the alert settles a minute after the breaker closed, in case the upstream fails again
    clock.advance(60_000);
    alerts = await outageAlerts(sluice);
    expect(alerts).toHaveLength(1);
    expect(alerts[0].resolvedAt! - alerts[0].openedAt).toBe(75_000);
  });
});
