// Simulated hours of steady, noisy traffic with faults injected; prints, per fault, how long until
// its alert, and the number of false alerts. Two scenarios: busy traffic where every answered miss
// costs money, and quiet traffic where one miss in ten does (a priced request every few seconds,
// about $0.14/h, as in a QA session whose spend alert had opened 16 times in 22 minutes).
// Runs on a ManualClock: seconds of wall time.
//   npx node bench/anomaly.ts [seed]
import type { Alert, AlertMetric } from '../src/shared/alerts.ts';
import { ManualClock } from '../src/engine/clock.ts';
import { MetricsRecorder } from '../src/engine/metrics/metrics-recorder.ts';
import { AlertManager } from '../src/engine/alerts/alert-manager.ts';
import { AlertWatch } from '../src/engine/alerts/alert-watch.ts';
import { SimulatedTraffic, STEADY, type TrafficConditions } from './lib/simulated-traffic.ts';

interface Fault {
  name: string;
  onset: number;
  end: number;
  /** The alert (kind, key prefix) that should announce it. */
  expect: { kind: string; key?: AlertMetric | string };
  goalSeconds: number;
  apply(t: number, c: TrafficConditions): TrafficConditions;
}

/** `steady`: the conditions at second t when no fault is on. */
interface Scenario { name: string; steady: (t: number) => TrafficConditions; faults: Fault[] }

const BUSY: Fault[] = [
  { name: 'latency x5 for 30 s', onset: 900, end: 930, expect: { kind: 'anomaly', key: 'latency.p95Ms' }, goalSeconds: 15, apply: (_t, c) => ({ ...c, latencyFactor: 5 }) },
  { name: '20 % errors for 20 s', onset: 1300, end: 1320, expect: { kind: 'anomaly', key: 'errorRate' }, goalSeconds: 15, apply: (_t, c) => ({ ...c, errorRate: 0.2 / (1 - c.hitRate) }) },
  { name: 'hit rate 70 % -> 10 %', onset: 1700, end: 1820, expect: { kind: 'anomaly', key: 'cache.hitRate' }, goalSeconds: 15, apply: (t, c) => ({ ...c, hitRate: 0.7 - 0.6 * Math.min(1, (t - 1700) / 10) }) },
  { name: 'latency drift +100 % over 10 min', onset: 2200, end: 2800, expect: { kind: 'anomaly', key: 'latency.p95Ms' }, goalSeconds: 180, apply: (t, c) => ({ ...c, latencyFactor: 1 + (t - 2200) / 600 }) },
  { name: 'runaway loop (10 req/s, one prompt)', onset: 3200, end: 3260, expect: { kind: 'runaway' }, goalSeconds: 15, apply: (_t, c) => ({ ...c, loopRps: 10 }) },
];

/**
 * 4 req/s, 30 % from the cache, one answered miss in ten priced: a priced request every 3–4 s. As in
 * the QA session, the priced model is added two minutes in (the detectors have warmed up on free
 * traffic), and its upstream fails on and off, its breaker shutting it out 30 s in every 90.
 */
const SPARSE_SPEND: TrafficConditions = { ...STEADY, rps: 4, hitRate: 0.3, pricedShare: 0.1 };
const sparseSpend = (t: number): TrafficConditions => (t < 120 || t % 90 < 30 ? { ...SPARSE_SPEND, pricedShare: 0 } : SPARSE_SPEND);
const SPARSE: Fault[] = [
  { name: 'every miss priced for 2 min (spend x10)', onset: 2400, end: 2520, expect: { kind: 'anomaly', key: 'spend.usdPerHour' }, goalSeconds: 45, apply: (_t, c) => ({ ...c, pricedShare: 1 }) },
];

const SCENARIOS: Scenario[] = [
  { name: 'busy: 40 req/s, every answered miss priced', steady: () => STEADY, faults: BUSY },
  { name: 'sparse spend: 4 req/s, one answered miss in ten priced', steady: sparseSpend, faults: SPARSE },
];
const GRACE_S = 90; // alerts opened this long after a fault ends still belong to it

const seed = Number(process.argv[2] ?? 42);
let allMet = true;
for (const scenario of SCENARIOS) allMet = simulateHour(scenario) && allMet;
console.log(allMet ? 'GOAL MET' : 'GOAL NOT MET');

/** One simulated hour of the scenario; prints its figures, returns whether every goal was met. */
function simulateHour({ name, steady, faults }: Scenario): boolean {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const t0 = clock.now();
  const recorder = new MetricsRecorder({ clock });
  const opened: Alert[] = [];
  const manager = new AlertManager({ clock, newId: (() => { let n = 0; return () => `a${++n}`; })() });
  manager.onAlert((action, alert) => { if (action === 'opened') opened.push(alert); });
  const watch = new AlertWatch({ manager });
  let eventLoop = steady(0).eventLoopP99Ms;
  recorder.onSecond((s) => watch.onSecond(s, { eventLoopP99Ms: eventLoop }));
  const traffic = new SimulatedTraffic(clock, seed);

  const started = performance.now();
  let requests = 0;
  let spentUsd = 0;
  for (let t = 0; t < 3600; t++) {
    let c = steady(t);
    for (const f of faults) if (t >= f.onset && t < f.end) c = f.apply(t, c);
    eventLoop = traffic.second(c, (r) => { requests++; spentUsd += r.costUsd; recorder.record(r); watch.onRequest(r); });
    recorder.tick();
  }
  const wallMs = performance.now() - started;

  const at = (a: Alert) => (a.openedAt - t0) / 1000;
  const owner = (a: Alert) => faults.find((f) => at(a) >= f.onset && at(a) <= f.end + GRACE_S);
  console.log(`anomaly bench, ${name}: 1 simulated hour, ${requests} requests, $${spentUsd.toFixed(2)} spent, seed ${seed}, ${(wallMs / 1000).toFixed(1)} s wall`);
  let met = true;
  for (const f of faults) {
    const mine = opened.filter((a) => owner(a) === f);
    const hit = mine.find((a) => a.kind === f.expect.kind && (f.expect.key === undefined || a.key === f.expect.key));
    const delay = hit ? at(hit) - f.onset : null;
    const ok = delay !== null && delay <= f.goalSeconds;
    met &&= ok;
    const related = mine.filter((a) => a !== hit).map((a) => `${a.kind}:${a.key.split('\u0000')[0]}`);
    console.log(`  ${f.name.padEnd(40)} alert after ${delay === null ? 'NEVER' : `${delay.toFixed(1)} s`.padStart(7)}  (goal ≤ ${f.goalSeconds} s) ${ok ? 'ok' : 'MISSED'}${related.length ? `  related: ${related.join(', ')}` : ''}`);
  }
  const falseAlerts = opened.filter((a) => !owner(a));
  console.log(`  false alerts: ${falseAlerts.length}${falseAlerts.map((a) => `\n    at ${at(a).toFixed(0)} s ${a.kind}:${a.key} — ${a.message}`).join('')}`);
  const open = manager.open();
  console.log(`  still open at the end: ${open.length}${open.map((a) => ` (${a.kind}:${a.key}, opened at ${at(a).toFixed(0)} s)`).join('')}`);
  return met && falseAlerts.length === 0;
}
