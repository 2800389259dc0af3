// Cost of recording one finished request (metrics recorder + alert watch), and memory across
// 5 million recorded requests. The baseline is the same loop handing requests to a no-op.
//   npx node bench/recording.ts [millions]
import { systemClock } from '../src/engine/clock.ts';
import { MetricsRecorder } from '../src/engine/metrics/metrics-recorder.ts';
import type { RecordedRequest } from '../src/engine/metrics/recorded-request.ts';
import { AlertManager } from '../src/engine/alerts/alert-manager.ts';
import { AlertWatch } from '../src/engine/alerts/alert-watch.ts';
import { seededRandom } from './lib/simulated-traffic.ts';
import { promptFingerprint } from '../src/engine/alerts/prompt-fingerprint.ts';
import { toRecordedRequest } from '../src/engine/metrics/to-recorded-request.ts';
import type { RequestContext } from '../src/engine/pipeline/context.ts';

const TOTAL = Math.round(Number(process.argv[2] ?? 5) * 1_000_000);
const rand = seededRandom(1);
const models = ['gpt-4o-mini', 'gpt-4o', 'llama3', 'text-embedding-3-small'];
const caches = ['miss', 'hit-memory', 'hit-disk', 'miss', 'hit-memory', 'coalesced'] as const;
const pool: RecordedRequest[] = Array.from({ length: 4096 }, (_, i) => ({
  id: `r${i}`, ts: 0, endpoint: 'chat', path: '/v1/chat/completions', method: 'POST', model: models[i % 4], requestedModel: 'auto',
  provider: i % 3 ? 'openai' : 'local', status: rand() < 0.01 ? 502 : 200, latencyMs: 5 + rand() * 800, firstByteMs: i % 2 ? 40 * rand() : null,
  stream: i % 2 === 1, cache: caches[i % caches.length], attempts: 1, promptTokens: 300, completionTokens: 100, costUsd: 0.0002, savedUsd: 0,
  errorCode: null, client: `client-${i % 50}`, promptFingerprint: `fp${i}`,
}));

function run(label: string, n: number, sink: (r: RecordedRequest) => void): number {
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    const r = pool[i & 4095];
    r.ts = Date.now();
    sink(r);
  }
  const ns = ((performance.now() - start) * 1e6) / n;
  if (label) console.log(`  ${label.padEnd(34)} ${ns.toFixed(0).padStart(5)} ns/request`);
  return ns;
}

const recorder = new MetricsRecorder({ clock: systemClock });
const manager = new AlertManager({ clock: systemClock, newId: (() => { let k = 0; return () => `a${++k}`; })() });
const watch = new AlertWatch({ manager });
recorder.onSecond((s) => watch.onSecond(s));
let sinkCount = 0;
const noop = (r: RecordedRequest) => { sinkCount += r.status; };
const full = (r: RecordedRequest) => { recorder.record(r); watch.onRequest(r); };
// As the metrics and alerts features do it in their onFinished listeners: build the record from the
// context (saved cost, batched), fingerprint the last user message, then record and watch.
// Parsed from JSON like real request bodies (flat strings).
const bodies = Array.from({ length: 4096 }, (_, i) => JSON.parse(JSON.stringify({
  model: 'gpt-4o-mini',
  messages: [{ role: 'system', content: 'You are terse.' }, { role: 'user', content: `Summarise ticket #${i}: ${'the printer is on fire again. '.repeat(8)}` }],
})) as object);
const ctxs = bodies.map((body) => ({ endpoint: 'chat', body, notes: {}, batchSize: null }) as unknown as RequestContext);
const ctxOf = new Map(pool.map((r, i) => [r, ctxs[i]]));
const wired = (r: RecordedRequest) => {
  const ctx = ctxOf.get(r)!;
  recorder.record(toRecordedRequest(ctx, r));
  const fp = promptFingerprint(ctx.endpoint, ctx.body);
  if (fp !== null) watch.onRequest({ ...r, promptFingerprint: fp });
};

console.log(`recording bench: ${TOTAL.toLocaleString('en')} requests`);
// warm-up (JIT) for every path
run('', 300_000, noop); run('', 300_000, (r) => recorder.record(r)); run('', 300_000, full); run('', 300_000, wired);
const base = run('baseline (no-op sink)', 2_000_000, noop);
const recOnly = run('MetricsRecorder.record', 2_000_000, (r) => recorder.record(r));
const both = run('record + AlertWatch.onRequest', 2_000_000, full);
const asWired = run('as wired (+ record build, fingerprint)', 2_000_000, wired);

const rss: number[] = [];
const chunk = TOTAL / 5;
for (let k = 0; k < 5; k++) {
  run('', chunk, full);
  rss.push(process.memoryUsage().rss);
}
const mb = (b: number) => (b / 1048576).toFixed(1);
const spread = (Math.max(...rss) - Math.min(...rss)) / Math.min(...rss);
const overhead = (both - base) / 1000;
console.log(`  overhead per request: ${overhead.toFixed(2)} µs (recorder ${((recOnly - base) / 1000).toFixed(2)} µs), ${(both / base).toFixed(1)}x the baseline loop  goal < 2 µs: ${overhead < 2 ? 'ok' : 'MISSED'}`);
console.log(`  as wired in the engine: ${((asWired - base) / 1000).toFixed(2)} µs per request (fingerprint of a ~250-char prompt included)`);
console.log(`  RSS after each ${(chunk / 1e6).toFixed(1)} M: ${rss.map(mb).join(', ')} MB  spread ${(spread * 100).toFixed(1)} %  goal ±5 %: ${spread <= 0.05 ? 'ok' : 'MISSED'}`);
console.log(`  (${recorder.counters.total.toLocaleString('en')} counted, ${sinkCount > 0 ? 'sink alive' : ''})`);
