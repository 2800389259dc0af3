// npx node bench/batching.ts — what embeddings micro-batching buys against a slow, capped upstream.
// A fake embeddings server (its own process, port 0) costs 20 ms per call plus 0.05 ms per input
// and runs 8 calls at once, queueing the rest. 64 closed-loop clients send single-input requests
// for BENCH_SECONDS (default 10) directly, then through an EmbeddingsBatcher driving an undici
// client; then one client each way, for the latency batching adds when traffic is light.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import type { EmbeddingsRequest, EmbeddingsResponse } from '../src/shared/openai.ts';
import { systemClock } from '../src/engine/clock.ts';
import { UpstreamHttpError } from '../src/engine/errors.ts';
import { EmbeddingsBatcher } from '../src/engine/batching/embeddings-batching.ts';
import { startScript } from './lib/processes.ts';
import { fmt, summarize, table } from './lib/stats.ts';

const CALL_MS = 20;
const PER_INPUT_MS = 0.05;
const UPSTREAM_SLOTS = 8;
const DIMS = 16;

if (process.argv.includes('--upstream')) {
  // The fake upstream: a FIFO of calls, at most UPSTREAM_SLOTS served at once.
  let busy = 0;
  const queue: Array<() => void> = [];
  const next = () => { while (busy < UPSTREAM_SLOTS && queue.length > 0) { busy++; queue.shift()!(); } };
  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (d: Buffer) => parts.push(d));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(parts).toString()) as EmbeddingsRequest;
      const inputs = typeof body.input === 'string' ? [body.input] : (body.input as string[]);
      queue.push(() => setTimeout(() => {
        const data = inputs.map((s, index) => ({ object: 'embedding', index, embedding: Array.from({ length: DIMS }, (_, d) => (s.length + d) / 100) }));
        const tokens = inputs.reduce((a, s) => a + Math.ceil(s.length / 4), 0);
        const out = Buffer.from(JSON.stringify({ object: 'list', data, model: body.model, usage: { prompt_tokens: tokens, total_tokens: tokens } }));
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': out.length });
        res.end(out);
        busy--;
        next();
      }, CALL_MS + PER_INPUT_MS * inputs.length));
      next();
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => console.log(`LISTENING http://127.0.0.1:${(server.address() as AddressInfo).port}`));
} else {
  await main();
}

async function main(): Promise<void> {
  const seconds = Number(process.env.BENCH_SECONDS ?? 10);
  const lightSeconds = 1.5;
  const upstream = await startScript(new URL(import.meta.url).pathname, ['--upstream']);
  const pool = new Pool(upstream.url, { connections: 128, pipelining: 1, keepAliveTimeout: 60_000 });

  const post = async (req: EmbeddingsRequest): Promise<EmbeddingsResponse> => {
    const res = await pool.request({ method: 'POST', path: '/v1/embeddings', headers: { 'content-type': 'application/json' }, body: JSON.stringify(req) });
    const text = await res.body.text();
    if (res.statusCode >= 400) throw new UpstreamHttpError('bench', res.statusCode, text);
    return JSON.parse(text) as EmbeddingsResponse;
  };

  const batcher = new EmbeddingsBatcher({
    clock: systemClock, maxBatchSize: 256, maxBatchTokens: 100_000, maxWaitMs: 10,
    // In the engine this follows the provider's adaptive limit; here, the upstream's known capacity.
    maxInFlight: UPSTREAM_SLOTS,
    call: (_target, req) => post(req),
  });
  const target = { provider: 'bench', model: 'embed-bench' };
  const batchSizes: number[] = [];

  let n = 0;
  const request = (): EmbeddingsRequest => ({ model: 'embed-bench', input: `the quick brown fox, request ${n++}` });
  const direct = async () => { await post(request()); };
  const batched = async () => {
    const r = await batcher.submit({ target, tenant: '', request: request() });
    batchSizes.push(r.batchSize);
    if (r.response.data.length !== 1 || r.response.data[0].index !== 0) throw new Error('wrong split');
  };

  const run = async (one: () => Promise<void>, concurrency: number, durationMs: number) => {
    const latencies: number[] = [];
    let errors = 0;
    let recording = false;
    let stop = false;
    const worker = async () => {
      while (!stop) {
        const t0 = performance.now();
        try { await one(); if (recording) latencies.push(performance.now() - t0); } catch { errors++; }
      }
    };
    const workers = Array.from({ length: concurrency }, worker);
    await new Promise((r) => setTimeout(r, 500));
    recording = true;
    const t = performance.now();
    await new Promise((r) => setTimeout(r, durationMs));
    recording = false;
    const elapsed = performance.now() - t;
    stop = true;
    await Promise.all(workers);
    return { rps: (latencies.length / elapsed) * 1000, s: summarize(latencies), errors };
  };

  const heavyDirect = await run(direct, 64, seconds * 1000);
  const heavyBatched = await run(batched, 64, seconds * 1000);
  const heavySizes = summarize(batchSizes.splice(0));
  const lightDirect = await run(direct, 1, lightSeconds * 1000);
  const lightBatched = await run(batched, 1, lightSeconds * 1000);

  const row = (name: string, r: Awaited<ReturnType<typeof run>>) => [name, fmt(r.rps, 0), fmt(r.s.p50), fmt(r.s.p99), r.errors];
  console.log(`\nEmbeddings micro-batching: upstream ${CALL_MS} ms + ${PER_INPUT_MS} ms/input, ${UPSTREAM_SLOTS} calls at once (ms unless noted)\n`);
  console.log(table(['case', 'req/s', 'p50', 'p99', 'errors'], [
    row(`direct   c=64 (${seconds} s)`, heavyDirect),
    row(`batched  c=64 (${seconds} s)`, heavyBatched),
    row(`direct   c=1  (${lightSeconds} s)`, lightDirect),
    row(`batched  c=1  (${lightSeconds} s)`, lightBatched),
  ]));
  // With 64 closed-loop clients each request costs at least one upstream call (≥ CALL_MS), so no
  // batcher can exceed 64 / CALL_MS requests/s; direct is capped at UPSTREAM_SLOTS / CALL_MS.
  const ceiling = (64 / (CALL_MS + PER_INPUT_MS * 64 / UPSTREAM_SLOTS)) / (UPSTREAM_SLOTS / (CALL_MS + PER_INPUT_MS));
  console.log(`\nbatch size at c=64: p50 ${heavySizes.p50} requests, p90 ${heavySizes.p90}, mean ${fmt(heavySizes.mean, 1)}`);
  console.log(`throughput at c=64: ${fmt(heavyBatched.rps / heavyDirect.rps, 2)}× direct (goal ≥ 8×; closed-loop ceiling ≈ ${fmt(ceiling, 2)}×)`);
  console.log(`added p50 at c=1: ${fmt(lightBatched.s.p50 - lightDirect.s.p50)} ms (goal < 1 ms)`);
  await pool.close();
  upstream.child.kill();
}
