// npm run soak — Sluice under sustained mixed load. 1,000 concurrent connections: 500 hold streamed
// chat completions open (the upstream drips a chunk every 250 ms), 500 send plain chat, embeddings
// and speech back to back; 30 % of all requests repeat an earlier one (cache hits). Sluice and the
// upstream are child processes. Prints throughput, p99, errors and Sluice's RSS after warm-up and
// at the end. Exit 1 on any error or on RSS growth of 10 % or more after warm-up.
//   SOAK_SECONDS (default 600)   SOAK_WARMUP_SECONDS (default 20 % of it, 10–60)
//   SOAK_STREAMS (default 500)   SOAK_PLAIN (default 500)   SOAK_PLAIN_RATE (req/s offered on the plain connections, default 300)
import { readFileSync } from 'node:fs';
import { Pool } from 'undici';
import { startScript, startSluice } from './lib/processes.ts';
import { fmt, summarize, table } from './lib/stats.ts';

const seconds = Number(process.env.SOAK_SECONDS ?? 600);
const warmupSeconds = Number(process.env.SOAK_WARMUP_SECONDS ?? Math.min(60, Math.max(10, Math.round(seconds * 0.2))));
const streamWorkers = Number(process.env.SOAK_STREAMS ?? 500);
const plainWorkers = Number(process.env.SOAK_PLAIN ?? 500);
/** Offered rate of plain requests (chat, embeddings, speech) over all plain connections, per second. */
const plainRate = Number(process.env.SOAK_PLAIN_RATE ?? 300);
const REPEAT_SHARE = 0.3;

function openFileLimit(): number {
  const m = /Max open files\s+(\d+|unlimited)/.exec(readFileSync('/proc/self/limits', 'utf8'));
  return !m ? NaN : m[1] === 'unlimited' ? Infinity : Number(m[1]);
}
const needFds = (streamWorkers + plainWorkers) * 2 + 512;
const fdLimit = openFileLimit();
console.log(`open-file limit ${fdLimit} (need about ${needFds}: each client connection is one socket in this process and one in Sluice, plus Sluice's upstream sockets)`);
if (fdLimit < needFds) {
  console.error(`Raise it first: \`ulimit -n 65535\` in this shell (a hard limit needs root or /etc/security/limits.conf).`);
  process.exit(1);
}

const upstream = await startScript(new URL('./fixtures/soak-upstream.ts', import.meta.url).pathname);
// SOAK_NODE_OPTIONS: passed to Sluice's Node (e.g. --max-old-space-size=192 to see whether growth is garbage V8 has not collected yet).
const sluice = await startSluice({
  env: process.env.SOAK_NODE_OPTIONS ? { NODE_OPTIONS: process.env.SOAK_NODE_OPTIONS } : {},
  config: {
    providers: [{ id: 'soak', type: 'openai-compatible', baseUrl: `${upstream.url}/v1`, models: ['soak-chat', 'soak-embed', 'soak-tts'], maxConnections: 2_000 }],
    // A memory tier small enough to fill during warm-up, so later growth would be a leak, not the cache filling.
    cache: { memoryMaxBytes: 16 * 1024 * 1024 },
    // The default adaptive limit (8 → 64 concurrent calls per provider) would queue 500 five-second
    // streams into 503s by design; the soak measures Sluice itself, so the limit is set above the load.
    scheduling: { limiter: { initialLimit: 1_500, maxLimit: 2_000, latencyTolerance: null } },
  },
});
console.log(`Sluice ${sluice.url} (pid ${sluice.child.pid}), upstream ${upstream.url}; ${seconds} s, warm-up ${warmupSeconds} s, ${streamWorkers} stream + ${plainWorkers} plain connections, ${plainRate} plain req/s offered\n`);

type Kind = 'chat' | 'stream' | 'embeddings' | 'speech';
const stats = new Map<Kind, { latencies: number[]; ttfb: number[]; count: number; hits: number }>();
for (const k of ['chat', 'stream', 'embeddings', 'speech'] as Kind[]) stats.set(k, { latencies: [], ttfb: [], count: 0, hits: 0 });
const errors: string[] = [];
let errorCount = 0;
let openStreams = 0;
let peakOpenStreams = 0;
let recording = false;
let stop = false;
let seq = 0;
const recent = new Map<Kind, string[]>();

/** 30 % repeats of a recent prompt of the same kind, 70 % new ones. */
function promptFor(kind: Kind): string {
  let mine = recent.get(kind);
  if (!mine) recent.set(kind, (mine = []));
  if (mine.length > 20 && Math.random() < REPEAT_SHARE) return mine[Math.floor(Math.random() * mine.length)];
  const p = `${kind}: soak prompt ${++seq} ${Math.random().toString(36).slice(2)}`;
  mine.push(p);
  if (mine.length > 2_000) mine.splice(0, 1_000);
  return p;
}

function bodyFor(kind: Kind): { path: string; body: string } {
  const p = promptFor(kind);
  switch (kind) {
    case 'chat': return { path: '/v1/chat/completions', body: JSON.stringify({ model: 'soak-chat', temperature: 0, messages: [{ role: 'user', content: p }] }) };
    case 'stream': return { path: '/v1/chat/completions', body: JSON.stringify({ model: 'soak-chat', temperature: 0, stream: true, messages: [{ role: 'user', content: p }] }) };
    case 'embeddings': return { path: '/v1/embeddings', body: JSON.stringify({ model: 'soak-embed', input: [p, `${p} (2)`] }) };
    case 'speech': return { path: '/v1/audio/speech', body: JSON.stringify({ model: 'soak-tts', voice: 'alloy', input: p, response_format: 'wav' }) };
  }
}

function fail(kind: Kind, what: string): void {
  errorCount++;
  if (errors.length < 20) errors.push(`${kind}: ${what}`);
}

async function one(pool: Pool, kind: Kind): Promise<void> {
  const { path, body } = bodyFor(kind);
  const t0 = performance.now();
  if (kind === 'stream') { openStreams++; peakOpenStreams = Math.max(peakOpenStreams, openStreams); }
  try {
    const res = await pool.request({ method: 'POST', path, headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(60_000) });
    let first = -1;
    let tail = '';
    let bytes = 0;
    for await (const chunk of res.body) {
      if (first < 0) first = performance.now() - t0;
      bytes += chunk.length;
      if (kind === 'stream' || res.statusCode !== 200) tail = (tail + chunk.toString()).slice(-256);
    }
    if (res.statusCode !== 200) return fail(kind, `HTTP ${res.statusCode} ${tail.slice(0, 200)}`);
    if (kind === 'stream' && !tail.includes('[DONE]')) return fail(kind, 'stream ended without [DONE]');
    if (bytes === 0) return fail(kind, 'empty body');
    if (!recording) return;
    const s = stats.get(kind)!;
    s.count++;
    s.latencies.push(performance.now() - t0);
    s.ttfb.push(first);
    if (String(res.headers['x-sluice-cache'] ?? '').startsWith('hit')) s.hits++;
  } catch (err) {
    if (!stop) fail(kind, String((err as Error).message));
  } finally {
    if (kind === 'stream') openStreams--;
  }
}

const streamPool = new Pool(sluice.url, { connections: streamWorkers, pipelining: 1, keepAliveTimeout: 60_000, bodyTimeout: 60_000 });
const plainPool = new Pool(sluice.url, { connections: plainWorkers, pipelining: 1, keepAliveTimeout: 60_000 });
const plainKinds: Kind[] = ['chat', 'chat', 'chat', 'chat', 'chat', 'embeddings', 'embeddings', 'embeddings', 'speech', 'speech'];
const workers = [
  ...Array.from({ length: streamWorkers }, async (_, i) => {
    await new Promise((r) => setTimeout(r, (i * 5_000) / streamWorkers)); // spread the streams' phases
    while (!stop) await one(streamPool, 'stream');
  }),
  // Each plain connection sends one request every plainWorkers / plainRate seconds (jittered), keep-alive in between.
  ...Array.from({ length: plainWorkers }, async (_, i) => {
    const periodMs = (plainWorkers / plainRate) * 1000;
    await new Promise((r) => setTimeout(r, Math.random() * periodMs));
    while (!stop) {
      const started = performance.now();
      await one(plainPool, plainKinds[(i + seq) % plainKinds.length]);
      const wait = periodMs * (0.5 + Math.random()) - (performance.now() - started);
      if (wait > 0 && !stop) await new Promise((r) => setTimeout(r, wait));
    }
  }),
];

const rss: Array<{ t: number; mb: number; heapMb: number }> = [];
/** Sluice's V8 heap in use, from its live metrics (NaN when the metrics feature is absent). */
async function heapMb(): Promise<number> {
  try {
    const res = await fetch(`${sluice.url}/admin/api/metrics/live`, { headers: { authorization: `Bearer ${sluice.token}` }, signal: AbortSignal.timeout(900) });
    const snap = (await res.json()) as { process?: { heapUsedBytes?: number } | null };
    return (snap.process?.heapUsedBytes ?? NaN) / 1024 / 1024;
  } catch {
    return NaN;
  }
}
const t0 = performance.now();
const sampler = setInterval(() => {
  const t = (performance.now() - t0) / 1000;
  const mb = sluice.rssMb();
  void heapMb().then((h) => {
    rss.push({ t, mb, heapMb: h });
    if (Math.round(t) % 10 === 0) console.log(`  t=${fmt(t, 0)} s  rss ${fmt(mb, 1)} MB  heap ${fmt(h, 1)} MB  open streams ${openStreams}  errors ${errorCount}`);
  });
}, 1_000);

await new Promise((r) => setTimeout(r, warmupSeconds * 1000));
recording = true;
const tRec = performance.now();
await new Promise((r) => setTimeout(r, Math.max(1, seconds - warmupSeconds) * 1000));
recording = false;
const elapsed = (performance.now() - tRec) / 1000;
const peakStreamsDuringRun = peakOpenStreams;
stop = true;
clearInterval(sampler);
const health = await fetch(`${sluice.url}/healthz`).then((r) => r.status, () => 0);
await Promise.allSettled(workers);
await Promise.all([streamPool.close(), plainPool.close()]);

/** Mean RSS over a window of samples, to smooth out GC sawtooth. */
const meanRss = (from: number, to: number, field: 'mb' | 'heapMb' = 'mb') => {
  const xs = rss.filter((s) => s.t >= from && s.t < to && Number.isFinite(s[field])).map((s) => s[field]);
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN;
};
const window = Math.min(10, Math.max(3, (seconds - warmupSeconds) / 6));
const rssStart = meanRss(warmupSeconds, warmupSeconds + window);
const rssEnd = meanRss(seconds - window, seconds + 1);
const growth = (rssEnd - rssStart) / rssStart;
// A leak grows in proportion to time; an allocator or heap settling into its working size flattens out.
// The second half of the measured run tells them apart (printed for context; the goal stays the one above).
const mid = warmupSeconds + (seconds - warmupSeconds) / 2;
const rssMid = meanRss(mid, mid + window);
const secondHalfGrowth = (rssEnd - rssMid) / rssMid;

const rows = [...stats.entries()].map(([kind, s]) => {
  const l = summarize(s.latencies);
  const f = summarize(s.ttfb);
  return [kind, s.count, fmt(s.count / elapsed, 1), `${fmt((s.hits / Math.max(1, s.count)) * 100, 1)} %`, fmt(l.p50, 1), fmt(l.p99, 1), kind === 'stream' ? fmt(f.p99, 1) : '-'];
});
const total = [...stats.values()].reduce((a, s) => a + s.count, 0);
console.log(`\nSoak: ${fmt(elapsed, 0)} s measured after ${warmupSeconds} s warm-up, ${streamWorkers + plainWorkers} connections (ms unless noted)\n`);
console.log(table(['kind', 'requests', 'req/s', 'cache hits', 'p50', 'p99', 'TTFB p99'], rows));
console.log(`
throughput:        ${fmt(total / elapsed, 1)} req/s in all
open streams:      peak ${peakStreamsDuringRun} (goal ${streamWorkers})
errors:            ${errorCount} (goal 0)${errors.length ? '\n  ' + errors.join('\n  ') : ''}
Sluice RSS:        ${fmt(rssStart, 1)} MB after warm-up → ${fmt(rssEnd, 1)} MB at the end: ${fmt(growth * 100, 1)} % (goal < 10 %); peak ${fmt(sluice.peakRssMb(), 1)} MB
Sluice RSS trend:  ${fmt(rssMid, 1)} MB half-way → ${fmt(rssEnd, 1)} MB at the end: ${fmt(secondHalfGrowth * 100, 1)} % over the second half
Sluice V8 heap:    ${fmt(meanRss(warmupSeconds, warmupSeconds + window, 'heapMb'), 1)} MB after warm-up → ${fmt(meanRss(seconds - window, seconds + 1, 'heapMb'), 1)} MB at the end (in use, sampled; context for the RSS figure)
healthz at the end: ${health}`);

await sluice.stop();
upstream.child.kill();
const ok = errorCount === 0 && growth < 0.1 && health === 200;
console.log(ok ? '\nPASS' : '\nFAIL');
process.exit(ok ? 0 : 1);
