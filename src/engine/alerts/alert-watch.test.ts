import { describe, it, expect } from 'vitest';
import type { Alert, AlertAction } from '../../shared/alerts.ts';
import { ManualClock } from '../clock.ts';
import { MetricsRecorder } from '../metrics/metrics-recorder.ts';
import type { RecordedRequest } from '../metrics/recorded-request.ts';
import { AlertManager } from './alert-manager.ts';
import { validateAlertRules } from './alert-rules.ts';
import { AlertWatch, type AlertWatchOptions } from './alert-watch.ts';
import { HEALTH_LIMITS } from '../metrics/legacy-summaries.ts';
import type { RunawayDetectorOptions } from './runaway-detector.ts';
import { SimulatedTraffic, STEADY, type TrafficConditions } from '../../../bench/lib/simulated-traffic.ts';

function rig(opts: { rules?: unknown[]; runaway?: RunawayDetectorOptions; request?: (r: RecordedRequest) => RecordedRequest; detectors?: AlertWatchOptions['detectors'] } = {}) {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const t0 = clock.now();
  const recorder = new MetricsRecorder({ clock });
  let n = 0;
  const log: Array<{ action: AlertAction; alert: Alert; t: number }> = [];
  const manager = new AlertManager({ clock, newId: () => `a${++n}`, onAlert: (action, alert) => log.push({ action, alert, t: (clock.now() - t0) / 1000 }) });
  const watch = new AlertWatch({ manager, rules: validateAlertRules(opts.rules ?? []), runaway: opts.runaway, detectors: opts.detectors });
  const request = opts.request ?? ((r: RecordedRequest) => r);
  recorder.onSecond((s) => watch.onSecond(s, { eventLoopP99Ms: 12, budgetDailyUsed: 0.5 }));
  const traffic = new SimulatedTraffic(clock, 3);
  const run = (seconds: number, conditions: (t: number) => TrafficConditions, from = 0) => {
    for (let t = from; t < from + seconds; t++) {
      traffic.second(conditions(t), (r) => { recorder.record(r); watch.onRequest(request(r)); });
      recorder.tick();
    }
  };
  return { clock, manager, watch, log, run };
}

describe('AlertWatch', () => {
  it('opens an anomaly alert within seconds of a latency fault, with its figures, and resolves it after', () => {
    const { log, run } = rig();
    run(900, (t) => (t >= 600 && t < 630 ? { ...STEADY, latencyFactor: 5 } : STEADY));
    const latency = log.filter((e) => e.alert.key === 'latency.p95Ms');
    expect(latency.map((e) => e.action)).toEqual(['opened', 'resolved']);
    expect(latency[0].t - 600).toBeLessThanOrEqual(15);
    expect(latency[0].alert).toMatchObject({ kind: 'anomaly', severity: 'warning', title: 'p95 latency unusually high' });
    expect(Number(latency[0].alert.figures.value)).toBeGreaterThan(3 * Number(latency[0].alert.figures.baseline));
    // resolved, it still shows what it fired on; the value it calmed down to is kept beside it
    expect(latency[1].alert.figures.value).toBe(latency[0].alert.figures.value);
    expect(Number(latency[1].alert.figures.resolvedValue)).toBeLessThan(Number(latency[0].alert.figures.value));
    expect(log.filter((e) => e.action === 'opened' && (e.t < 600 || e.t > 700))).toEqual([]);
  });

  it('alerts on an error rate health calls degraded even when the baseline learnt it (a session that starts failing)', () => {
    const { log, run } = rig();
    // 29 % of requests failing from the first second for 100 s, as in the QA session: the detector
    // learns that as usual during its warm-up; the health limit does not
    const flaky = { ...STEADY, rps: 70, hitRate: 0, errorRate: 0.29 };
    run(160, (t) => (t < 100 ? flaky : { ...flaky, errorRate: STEADY.errorRate }));
    const errors = log.filter((e) => e.alert.key === 'errorRate');
    expect(errors.map((e) => e.action)).toEqual(['opened', 'resolved']);
    expect(errors[0].t).toBeLessThanOrEqual(10);
    expect(errors[0].alert).toMatchObject({
      kind: 'anomaly', severity: 'warning', title: 'Error rate above 20.0 %',
      figures: { metric: 'errorRate', limit: HEALTH_LIMITS.errorRate, reason: 'limit' },
    });
    // and what to do about it
    expect(errors[0].alert.message).toMatch(/^Error rate is (2\d|3\d)\.\d %, above the 20\.0 % at which health reports degraded\. To see which provider fails, filter the Requests page by “Server or upstream errors \(5xx\)”; the Routing page shows each provider's recent errors\.$/);
    expect(errors[1].t).toBeGreaterThan(100);
    expect(errors[1].t).toBeLessThanOrEqual(115);
  });

  it('keeps one error-rate alert when the detector and the health limit both see a fault, until neither does', () => {
    const { log, run } = rig();
    // 50 % of requests failing for a minute (both see it), then 15 % for a minute: under the limit,
    // still far above the usual rate, so the detector holds the alert open
    const failing = (share: number) => ({ ...STEADY, errorRate: share / (1 - STEADY.hitRate) });
    run(900, (t) => (t >= 600 && t < 660 ? failing(0.5) : t >= 660 && t < 720 ? failing(0.15) : STEADY));
    const errors = log.filter((e) => e.alert.key === 'errorRate');
    expect(errors.map((e) => e.action).filter((a) => a !== 'updated')).toEqual(['opened', 'resolved']);
    expect(errors[0].t - 600).toBeLessThanOrEqual(10);
    expect(errors.at(-1)!.t).toBeGreaterThan(720);
    expect(log.filter((e) => e.action === 'opened' && e.alert.key === 'errorRate' && (e.t < 600 || e.t > 700))).toEqual([]);
  });

  it('turning the error-rate detector off turns the health limit off too', () => {
    const { log, run } = rig({ detectors: { errorRate: false } });
    run(120, () => ({ ...STEADY, rps: 70, hitRate: 0, errorRate: 0.4 }));
    expect(log.filter((e) => e.alert.key === 'errorRate')).toEqual([]);
  });

  it('names the direction of a throughput anomaly, which is a problem either way', () => {
    const { log, run } = rig();
    run(900, (t) => (t >= 600 && t < 660 ? { ...STEADY, rps: 4 } : STEADY));
    const drop = log.find((e) => e.action === 'opened' && e.alert.key === 'throughput.rps');
    expect(drop?.alert.title).toBe('Throughput unusually low');
  });

  it('learns steady spend that comes a priced request every few seconds as usual, and still alerts on a jump', () => {
    const { log, run } = rig();
    // as in the QA session: 4 req/s, one answered miss in ten priced (≈ $0.14/h), the priced model added
    // after the detectors warmed up on free traffic, its breaker shutting it out 30 s in every 90
    const sparse = { ...STEADY, rps: 4, hitRate: 0.3, pricedShare: 0.1 };
    const steady = (t: number) => (t < 120 || t % 90 < 30 ? { ...sparse, pricedShare: 0 } : sparse);
    run(4200, (t) => (t >= 3000 && t < 3120 ? { ...steady(t), pricedShare: 1 } : steady(t)));
    const spend = log.filter((e) => e.alert.key === 'spend.usdPerHour' && e.action !== 'updated');
    // it had opened and closed every minute or two, "against a usual $0.00/h"
    expect(spend.map((e) => e.action)).toEqual(['opened', 'resolved']);
    expect(spend[0].t - 3000).toBeGreaterThan(0);
    expect(spend[0].t - 3000).toBeLessThanOrEqual(45);
    expect(Number(spend[0].alert.figures.baseline)).toBeGreaterThan(0.05);
    expect(spend[0].alert.message).toMatch(/^Spend rate is \$\d+\.\d\d\/h against a usual \$0\.\d\d\/h \(sudden change\)\. See on the Requests page which models and clients spend; a budget on the Routing page caps the spend\.$/);
    expect(spend[0].alert.message).not.toContain('usual $0.00/h');
    expect(spend[1].t).toBeGreaterThan(3120);
  });

  it('flags a runaway loop from one client', () => {
    const { log, run } = rig();
    run(300, (t) => (t >= 200 && t < 230 ? { ...STEADY, loopRps: 10 } : STEADY));
    const runaway = log.filter((e) => e.alert.kind === 'runaway');
    expect(runaway.map((e) => e.action)).toEqual(['opened', 'resolved']);
    expect(runaway[0].alert.figures.client).toBe('loop-bot');
    expect(runaway[0].t - 200).toBeLessThanOrEqual(15);
  });

  it('raises one alert for a client looping through many prompts, updated per prompt, resolved when it stops', () => {
    let n = 0;
    const { log, run } = rig({
      runaway: { minRepeats: 5 },
      // the loop cycles through 40 different prompts (each one once a second at 40 req/s)
      request: (r) => (r.client === 'loop-bot' ? { ...r, promptFingerprint: `prompt-${n++ % 40}` } : r),
    });
    run(300, (t) => (t >= 200 && t < 260 ? { ...STEADY, loopRps: 40 } : STEADY));
    const runaway = log.filter((e) => e.alert.kind === 'runaway');
    expect(new Set(runaway.map((e) => e.alert.id)).size).toBe(1);
    expect(runaway.map((e) => e.action)).toEqual(['opened', ...Array<string>(39).fill('updated'), 'resolved']);
    const resolved = runaway.at(-1)!;
    expect(resolved.t).toBeGreaterThanOrEqual(260); // not before the loop stopped
    expect(resolved.t).toBeLessThanOrEqual(275);
    expect(resolved.alert).toMatchObject({ key: 'loop-bot', occurrences: 40, title: 'Possible runaway loop from loop-bot' });
    expect(resolved.alert.figures).toMatchObject({ client: 'loop-bot', prompts: 40 });
    expect(resolved.alert.message).toMatch(/^loop-bot is repeating 40 prompts, the most repeated \d+ times in 10 s/);
  });

  it('evaluates rules a person wrote, including figures from outside (budget)', () => {
    const { log, run, watch } = rig({ rules: [
      { id: 'low-hits', metric: 'cache.hitRate', comparator: '<', threshold: 0.4, forSeconds: 120, severity: 'critical' },
      { id: 'budget', metric: 'budget.dailyUsedFraction', comparator: '>=', threshold: 0.9 },
    ] });
    run(600, (t) => (t >= 200 && t < 500 ? { ...STEADY, hitRate: 0.1 } : STEADY));
    const rule = log.filter((e) => e.alert.kind === 'rule');
    expect(rule.map((e) => [e.action, e.alert.key])).toEqual([['opened', 'low-hits'], ['resolved', 'low-hits']]);
    // the 60 s window falls below 40 % some seconds after onset, then must hold 120 s
    expect(rule[0].t).toBeGreaterThan(320);
    expect(rule[0].t).toBeLessThan(360);
    expect(rule[0].alert.severity).toBe('critical');
    expect(rule[0].alert.message).toMatch(/^cache.hitRate is \d+\.\d %/);
    expect(watch.values['budget.dailyUsedFraction']).toBe(0.5);
  });

  it('turns breaker changes and cache rebuilds into alerts', () => {
    const { clock, manager, watch } = rig();
    watch.breaker('openai/gpt-4o', 'open', { failures: 5, lastError: 'HTTP 503' });
    watch.breaker('openai/gpt-4o', 'open');
    expect(manager.open()).toHaveLength(1);
    expect(manager.open()[0]).toMatchObject({ kind: 'upstream-outage', severity: 'critical', occurrences: 2 });
    // what to do: the provider's settings, or the breaker's Reset
    expect(manager.open()[0].message).toMatch(/fail fast\. Check openai's address and key in Settings → Providers; .* at once with Reset on the Routing page\.$/);
    watch.breaker('openai/gpt-4o', 'half-open');
    expect(manager.isOpen('upstream-outage', 'openai/gpt-4o')).toBe(true);
    watch.breaker('openai/gpt-4o', 'closed');
    // it settles a minute before it resolves: a breaker that opens again meanwhile keeps the one alert
    clock.advance(30_000);
    expect(manager.open()).toHaveLength(1);
    watch.breaker('openai/gpt-4o', 'open', { failures: 7, lastError: 'HTTP 503' });
    watch.breaker('openai/gpt-4o', 'closed');
    clock.advance(59_999);
    expect(manager.open()[0]).toMatchObject({ occurrences: 3, figures: { failures: 7 } });
    clock.advance(1);
    expect(manager.open()).toHaveLength(0);
    expect(manager.list({ status: 'all' }).filter((a) => a.kind === 'upstream-outage')).toHaveLength(1);
    watch.cacheRebuilt({ reason: 'database disk image is malformed', entriesLost: 1200 });
    expect(manager.isOpen('cache-rebuilt')).toBe(true);
    clock.advance(600_000);
    expect(manager.isOpen('cache-rebuilt')).toBe(false);
  });

  it('turns a failing database file into one critical alert until it works again', () => {
    const { manager, watch } = rig();
    watch.storage('requests.db', 'SQLITE_FULL');
    watch.storage('requests.db', 'SQLITE_FULL');
    expect(manager.open()).toHaveLength(1);
    expect(manager.open()[0]).toMatchObject({ kind: 'storage', key: 'requests.db', severity: 'critical', title: "The disk holding Sluice's data is full", figures: { file: 'requests.db', error: 'SQLITE_FULL' } });
    watch.storage('requests.db', null);
    expect(manager.isOpen('storage', 'requests.db')).toBe(false);
    watch.storage('requests.db', 'SQLITE_READONLY');
    expect(manager.open()[0].title).toBe('Sluice cannot write its database');
  });
});
