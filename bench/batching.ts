// npx node bench/batching.ts — what embeddings micro-batching buys, through a running Sluice.
// A fake embeddings server (its own process, port 0) costs 20 ms per call plus 0.05 ms per input
// and runs 8 calls at once, queueing the rest. 64 closed-loop clients send single-input requests
// for BENCH_SECONDS (default 10) directly, then through Sluice (its own process, default config,
// Cache-Control: no-store so every request goes upstream); then one client each way, for the
// latency Sluice with batching adds when traffic is light.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EmbeddingsRequest } from '../src/shared/openai.ts';
import { runLoad } from './lib/load.ts';
import { startScript, startSluice } from './lib/processes.ts';
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
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"object":"list","data":[{"id":"embed-bench","object":"model","created":0,"owned_by":"bench"}]}');
      return;
    }
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
  const lightSeconds = 2;
  const upstream = await startScript(new URL(import.meta.url).pathname, ['--upstream']);
  const sluice = await startSluice({
    config: { providers: [{ id: 'emb', type: 'openai-compatible', baseUrl: `${upstream.url}/v1`, models: ['embed-bench'] }] },
  });
  const body = JSON.stringify({ model: 'embed-bench', input: 'the quick brown fox jumps over the lazy dog' });
  const common = { path: '/v1/embeddings', body, warmupMs: 700 };
  const noStore = { 'cache-control': 'no-store' };

  const heavyDirect = await runLoad({ ...common, url: upstream.url, concurrency: 64, durationMs: seconds * 1000 });
  const heavyVia = await runLoad({ ...common, url: sluice.url, headers: noStore, concurrency: 64, durationMs: seconds * 1000 });
  const lightDirect = await runLoad({ ...common, url: upstream.url, concurrency: 1, durationMs: lightSeconds * 1000 });
  const lightVia = await runLoad({ ...common, url: sluice.url, headers: noStore, concurrency: 1, durationMs: lightSeconds * 1000 });
  const stats = await (await fetch(`${sluice.url}/admin/api/scheduling/stats`, { headers: { authorization: `Bearer ${sluice.token}` } })).json() as
    { batching: { requests: number; calls: number }; providers: Array<{ provider: string; limit: number }> };

  const row = (name: string, r: Awaited<ReturnType<typeof runLoad>>) => {
    const s = summarize(r.latencies);
    return [name, fmt(r.rps, 0), fmt(s.p50), fmt(s.p99), r.errors];
  };
  console.log(`\nEmbeddings micro-batching through Sluice: upstream ${CALL_MS} ms + ${PER_INPUT_MS} ms/input, ${UPSTREAM_SLOTS} calls at once (ms unless noted)\n`);
  console.log(table(['case', 'req/s', 'p50', 'p99', 'errors'], [
    row(`direct  c=64 (${seconds} s)`, heavyDirect),
    row(`sluice  c=64 (${seconds} s)`, heavyVia),
    row(`direct  c=1  (${lightSeconds} s)`, lightDirect),
    row(`sluice  c=1  (${lightSeconds} s)`, lightVia),
  ]));
  // With 64 closed-loop clients each request costs at least one upstream call (≥ CALL_MS), so no
  // batcher can exceed 64 / CALL_MS requests/s; direct is capped at UPSTREAM_SLOTS / CALL_MS.
  const ceiling = (64 / (CALL_MS + (PER_INPUT_MS * 64) / UPSTREAM_SLOTS)) / (UPSTREAM_SLOTS / (CALL_MS + PER_INPUT_MS));
  const b = stats.batching;
  console.log(`\nrequests per upstream call (whole run): ${fmt(b.requests / Math.max(1, b.calls), 1)} (${b.requests} requests, ${b.calls} calls); provider limit now ${stats.providers.find((p) => p.provider === 'emb')?.limit ?? 'n/a'}`);
  console.log(`throughput at c=64: ${fmt(heavyVia.rps / heavyDirect.rps, 2)}× direct (goal ≥ 8×; closed-loop ceiling ≈ ${fmt(ceiling, 2)}×: 64 clients cannot send faster than one round trip each)`);
  console.log(`added p50 at c=1: ${fmt(summarize(lightVia.latencies).p50 - summarize(lightDirect.latencies).p50)} ms (goal < 1 ms)`);
  await sluice.stop();
  upstream.child.kill();
}
