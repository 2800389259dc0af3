// One simulated hour of steady, noisy traffic with faults injected; prints, per fault, how long
// until its alert, and the number of false alerts. Runs on a ManualClock: seconds of wall time.
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

const FAULTS: Fault[] = [
  { name: 'latency x5 for 30 s', onset: 900, end: 930, expect: { kind: 'anomaly', key: 'latency.p95Ms' }, goalSeconds: 15, apply: (_t, c) => ({ ...c, latencyFactor: 5 }) },
  { name: '20 % errors for 20 s', onset: 1300, end: 1320, expect: { kind: 'anomaly', key: 'errorRate' }, goalSeconds: 15, apply: (_t, c) => ({ ...c, errorRate: 0.2 / (1 - c.hitRate) }) },
  { name: 'hit rate 70 % -> 10 %', onset: 1700, end: 1820, expect: { kind: 'anomaly', key: 'cache.hitRate' }, goalSeconds: 15, apply: (t, c) => ({ ...c, hitRate: 0.7 - 0.6 * Math.min(1, (t - 1700) / 10) }) },
  { name: 'latency drift +100 % over 10 min', onset: 2200, end: 2800, expect: { kind: 'anomaly', key: 'latency.p95Ms' }, goalSeconds: 180, apply: (t, c) => ({ ...c, latencyFactor: 1 + (t - 2200) / 600 }) },
  { name: 'runaway loop (10 req/s, one prompt)', onset: 3200, end: 3260, expect: { kind: 'runaway' }, goalSeconds: 15, apply: (_t, c) => ({ ...c, loopRps: 10 }) },
];
const GRACE_S = 90; // alerts opened this long after a fault ends still belong to it

const seed = Number(process.argv[2] ?? 42);
const clock = new ManualClock(Date.UTC(2026, 0, 1));
const t0 = clock.now();
const recorder = new MetricsRecorder({ clock });
const opened: Alert[] = [];
const manager = new AlertManager({ clock, newId: (() => { let n = 0; return () => `a${++n}`; })() });
manager.onAlert((action, alert) => { if (action === 'opened') opened.push(alert); });
const watch = new AlertWatch({ manager });
let eventLoop = STEADY.eventLoopP99Ms;
recorder.onSecond((s) => watch.onSecond(s, { eventLoopP99Ms: eventLoop }));
const traffic = new SimulatedTraffic(clock, seed);

const started = performance.now();
let requests = 0;
for (let t = 0; t < 3600; t++) {
  let c = STEADY;
  for (const f of FAULTS) if (t >= f.onset && t < f.end) c = f.apply(t, c);
  eventLoop = traffic.second(c, (r) => { requests++; recorder.record(r); watch.onRequest(r); });
  recorder.tick();
}
const wallMs = performance.now() - started;

const at = (a: Alert) => (a.openedAt - t0) / 1000;
const owner = (a: Alert) => FAULTS.find((f) => at(a) >= f.onset && at(a) <= f.end + GRACE_S);
console.log(`anomaly bench: 1 simulated hour, ${requests} requests, seed ${seed}, ${(wallMs / 1000).toFixed(1)} s wall`);
let allMet = true;
for (const f of FAULTS) {
  const mine = opened.filter((a) => owner(a) === f);
  const hit = mine.find((a) => a.kind === f.expect.kind && (f.expect.key === undefined || a.key === f.expect.key));
  const delay = hit ? at(hit) - f.onset : null;
  const met = delay !== null && delay <= f.goalSeconds;
  allMet &&= met;
  const related = mine.filter((a) => a !== hit).map((a) => `${a.kind}:${a.key.split('\u0000')[0]}`);
  console.log(`  ${f.name.padEnd(38)} alert after ${delay === null ? 'NEVER' : `${delay.toFixed(1)} s`.padStart(7)}  (goal ≤ ${f.goalSeconds} s) ${met ? 'ok' : 'MISSED'}${related.length ? `  related: ${related.join(', ')}` : ''}`);
}
const falseAlerts = opened.filter((a) => !owner(a));
console.log(`  false alerts: ${falseAlerts.length}${falseAlerts.map((a) => `\n    at ${at(a).toFixed(0)} s ${a.kind}:${a.key} — ${a.message}`).join('')}`);
console.log(`  still open at the end: ${manager.open().length}`);
console.log(allMet && falseAlerts.length === 0 ? 'GOAL MET' : 'GOAL NOT MET');
