// npm run bench:cache — the cache hit path against a bare Node server answering the same bytes
// from a constant, measured in the same run:
//   memory hits at concurrency 50 (requests/s, goal ≥ 80 % of bare), memory hit p50 at c=1
//   (goal < 0.2 ms added), disk hit p50 with a memory tier of 0 bytes (goal < 1 ms),
//   100 concurrent identical requests against a slow upstream (upstream call count, goal 1),
//   then bench/cache-disk.ts at BENCH_CACHE_DISK_ENTRIES entries (default 1,000,000).
// A floor runs in the same cells: bench/fixtures/minimal-cache-server.ts, the least a server does to
// answer a logged hit (parse, key, lookup, Sluice's headers, one SQLite log row), so the figures show
// what logging every request costs on this machine and what Sluice adds on top of that.
// BENCH_SECONDS sets the seconds per measured cell (default 4).
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HOST_ENV, HOST_NODE_FLAGS } from '../scripts/host-node-flags.mjs';
import { createServer } from 'node:http';
import { Pool } from 'undici';
import { runLoad } from './lib/load.ts';
import { procCpuMs, startScript, startSluice } from './lib/processes.ts';
import { fmt, summarize, table } from './lib/stats.ts';

const here = new URL(import.meta.url).pathname;

// ---- helper servers, run as child processes of this same script ----
if (process.argv[2] === '--bare') {
  // Answers every request with the constant bytes Sluice serves from its cache.
  const body = Buffer.from(process.env.BARE_BODY_B64 ?? '', 'base64');
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
      res.end(body);
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => process.stdout.write(`LISTENING http://127.0.0.1:${(server.address() as { port: number }).port}\n`));
} else if (process.argv[2] === '--slow') {
  // A slow OpenAI (250 ms per answer) that counts its chat calls: GET /count.
  let calls = 0;
  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (d: Buffer) => parts.push(d));
    req.on('end', () => {
      if (req.url === '/count') { res.end(String(calls)); return; }
      if (req.url?.endsWith('/models')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"object":"list","data":[{"id":"slow","object":"model","created":0,"owned_by":"bench"}]}');
        return;
      }
      calls++;
      const body = JSON.stringify({
        id: 'chatcmpl-slow', object: 'chat.completion', created: 1_700_000_000, model: 'slow',
        choices: [{ index: 0, message: { role: 'assistant', content: 'slow answer' }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
      });
      setTimeout(() => { res.writeHead(200, { 'content-type': 'application/json' }); res.end(body); }, 250);
    });
  });
  server.listen(0, '127.0.0.1', () => process.stdout.write(`LISTENING http://127.0.0.1:${(server.address() as { port: number }).port}\n`));
} else {
  await main();
}

async function main(): Promise<void> {
  const seconds = Number(process.env.BENCH_SECONDS ?? 4);
  const diskEntries = process.env.BENCH_CACHE_DISK_ENTRIES ?? '1000000';
  const upstream = await startScript(new URL('./fixtures/fast-upstream.ts', import.meta.url).pathname);
  const slow = await startScript(here, ['--slow']);
  const providers = [
    { id: 'fast', type: 'openai-compatible', baseUrl: `${upstream.url}/v1`, models: ['bench'], maxConnections: 512 },
    { id: 'slow', type: 'openai-compatible', baseUrl: `${slow.url}/v1`, models: ['slow'], maxConnections: 512 },
  ];
  const sluice = await startSluice({ config: { providers } });
  const diskOnly = await startSluice({ config: { providers, cache: { memoryMaxBytes: 0 } } });
  const body = JSON.stringify({ model: 'bench', messages: [{ role: 'user', content: 'Say something constant.' }] });
  const path = '/v1/chat/completions';

  // Prime both caches and take the exact bytes a hit returns.
  const once = async (url: string) => {
    const r = await fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    return { mark: r.headers.get('x-sluice-cache'), bytes: Buffer.from(await r.arrayBuffer()) };
  };
  await once(sluice.url);
  const hit = await once(sluice.url);
  await once(diskOnly.url);
  await new Promise((r) => setTimeout(r, 200)); // let the disk tier's write-behind flush
  const diskHit = await once(diskOnly.url);
  if (hit.mark !== 'hit-memory' || diskHit.mark !== 'hit-disk') throw new Error(`expected hits, got ${hit.mark} / ${diskHit.mark}`);
  const bare = await startScript(here, ['--bare'], { BARE_BODY_B64: hit.bytes.toString('base64') });
  const floor = await startScript(new URL('./fixtures/minimal-cache-server.ts', import.meta.url).pathname,
    [mkdtempSync(join(tmpdir(), 'sluice-bench-floor-')), hit.bytes.toString('base64')], HOST_ENV, HOST_NODE_FLAGS);

  const rows: Array<Array<string | number>> = [];
  const goals: string[] = [];
  const common = { path, body, durationMs: seconds * 1000, warmupMs: 700 };
  // CPU per request of the serving process (user + system, from /proc; warm-up included, 10 ms ticks)
  const cell = async (label: string, url: string, pid: number | undefined, concurrency: number) => {
    const cpu0 = procCpuMs(pid);
    const r = await runLoad({ ...common, url, concurrency });
    const cpuUs = ((procCpuMs(pid) - cpu0) * 1000) / Math.max(1, r.total);
    const s = summarize(r.latencies);
    rows.push([label, concurrency, fmt(r.rps, 0), fmt(s.p50), fmt(s.p99), fmt(cpuUs, 1), r.errors]);
    return { rps: r.rps, p50: s.p50, cpuUs };
  };
  const bare50 = await cell('bare server (constant bytes)', bare.url, bare.child.pid, 50);
  const floor50 = await cell('minimal logged hit (floor)', floor.url, floor.child.pid, 50);
  const mem50 = await cell('sluice memory hit', sluice.url, sluice.child.pid, 50);
  const bare1 = await cell('bare server (constant bytes)', bare.url, bare.child.pid, 1);
  const floor1 = await cell('minimal logged hit (floor)', floor.url, floor.child.pid, 1);
  const mem1 = await cell('sluice memory hit', sluice.url, sluice.child.pid, 1);
  const disk1 = await cell('sluice disk hit (memory tier 0 B)', diskOnly.url, diskOnly.child.pid, 1);
  goals.push(`memory hits at c=50: ${fmt((mem50.rps / bare50.rps) * 100, 1)} % of the bare server's requests/s (goal ≥ 80 %); CPU per request ${fmt(mem50.cpuUs, 1)} µs against the bare server's ${fmt(bare50.cpuUs, 1)} µs; the minimal logged hit server keeps ${fmt((floor50.rps / bare50.rps) * 100, 1)} % (${fmt(floor50.cpuUs, 1)} µs)`);
  goals.push(`memory hit p50 at c=1: ${fmt(mem1.p50)} ms, ${fmt(mem1.p50 - bare1.p50)} ms added over the bare server (goal < 0.2 ms; the floor adds ${fmt(floor1.p50 - bare1.p50)} ms)`);
  goals.push(`disk hit p50 at c=1: ${fmt(disk1.p50)} ms, ${fmt(disk1.p50 - bare1.p50)} ms added over the bare server (goal < 1 ms)`);

  // 100 identical requests at the same moment, against an upstream that takes 250 ms.
  const pool = new Pool(sluice.url, { connections: 100 });
  const slowBody = JSON.stringify({ model: 'slow', messages: [{ role: 'user', content: `coalesce me ${Date.now()}` }] });
  const before = Number(await (await fetch(`${slow.url}/count`)).text());
  const t = performance.now();
  const answers = await Promise.all(Array.from({ length: 100 }, async () => {
    const r = await pool.request({ method: 'POST', path, headers: { 'content-type': 'application/json' }, body: slowBody });
    const text = await r.body.text();
    return { status: r.statusCode, mark: String(r.headers['x-sluice-cache']), text };
  }));
  const coalesceMs = performance.now() - t;
  await pool.close();
  const calls = Number(await (await fetch(`${slow.url}/count`)).text()) - before;
  const ok = answers.filter((a) => a.status === 200 && a.text === answers[0].text).length;
  const marks = answers.reduce<Record<string, number>>((m, a) => { m[a.mark] = (m[a.mark] ?? 0) + 1; return m; }, {});
  goals.push(`100 concurrent identical requests: ${calls} upstream call(s) (goal 1), ${ok}/100 identical 200 answers in ${fmt(coalesceMs, 0)} ms; ${JSON.stringify(marks)}`);

  console.log(`\nCache hit path, ${seconds} s per cell (ms unless noted)\n`);
  console.log(table(['case', 'conc.', 'rps', 'p50', 'p99', 'server CPU µs/req', 'errors'], rows));
  console.log(`\nSluice peak RSS: ${fmt(sluice.peakRssMb(), 1)} MB (memory tier) / ${fmt(diskOnly.peakRssMb(), 1)} MB (disk only)`);
  console.log('\n' + goals.join('\n'));
  await sluice.stop();
  await diskOnly.stop();
  for (const c of [upstream.child, slow.child, bare.child, floor.child]) c.kill();

  console.log(`\nDisk tier at scale (bench/cache-disk.ts, ${diskEntries} entries):\n`);
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', new URL('./cache-disk.ts', import.meta.url).pathname, diskEntries], { stdio: 'inherit' });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`cache-disk.ts exited with ${code}`))));
  });
}
