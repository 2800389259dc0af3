// `sluice bench`: drive a running Sluice with the same load generator as the panel's Load test page.
import { runLoadTest } from '../engine/loadtest/load-test.ts';
import type { LoadTestSpec } from '../shared/loadtest.ts';

const HELP = `Usage: sluice bench [options]

  --url <base>          Sluice to drive (default http://127.0.0.1:8640)
  --endpoint <name>     chat | chat-stream | embeddings | speech (default chat)
  --model <name>        model to ask for (default sim-chat)
  --concurrency <n>     concurrent clients (default 10)
  --requests <n>        stop after n requests (default 500)
  --duration <s>        or stop after s seconds
  --repeat <ratio>      share of repeated prompts, 0–1 (default 0.3)
  --token <t>           client token, when Sluice requires one
  --json                print the result as JSON
`;

export async function runBenchCli(argv: string[]): Promise<number> {
  const opts: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') { process.stdout.write(HELP); return 0; }
    if (a === '--json') { opts.json = '1'; continue; }
    if (!a.startsWith('--') || argv[i + 1] === undefined) { process.stderr.write(`Unexpected '${a}'.\n\n${HELP}`); return 2; }
    opts[a.slice(2)] = argv[++i];
  }
  const spec: LoadTestSpec = {
    endpoint: (opts.endpoint ?? 'chat') as LoadTestSpec['endpoint'],
    model: opts.model ?? 'sim-chat',
    concurrency: Number(opts.concurrency ?? 10),
    repeatRatio: Number(opts.repeat ?? 0.3),
    ...(opts.duration ? { durationSeconds: Number(opts.duration) } : { totalRequests: Number(opts.requests ?? 500) }),
  };
  const ac = new AbortController();
  process.once('SIGINT', () => ac.abort());
  let lastLine = 0;
  const result = await runLoadTest({
    baseUrl: (opts.url ?? 'http://127.0.0.1:8640').replace(/\/+$/, ''), spec, id: 'cli', token: opts.token, signal: ac.signal,
    onProgress: (p) => {
      if (opts.json) return;
      const line = `${p.done} requests, ${p.requestsPerSecond.toFixed(1)} req/s`;
      // a terminal redraws one line; a pipe or a CI log gets a line every few seconds
      if (process.stderr.isTTY) process.stderr.write(`\r${line}`);
      else if (Date.now() - lastLine >= 5_000) { lastLine = Date.now(); process.stderr.write(`${line}\n`); }
    },
  });
  if (opts.json) {
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  } else {
    if (process.stderr.isTTY) process.stderr.write('\n');
    const rows: Array<[string, string]> = [
      ['requests', String(result.requests)], ['requests/s', result.requestsPerSecond.toFixed(1)],
      ['p50 ms', result.latencyMs.p50.toFixed(2)], ['p95 ms', result.latencyMs.p95.toFixed(2)], ['p99 ms', result.latencyMs.p99.toFixed(2)],
      ['success rate', `${(result.successRate * 100).toFixed(1)} %`], ['hit rate', `${(result.hitRate * 100).toFixed(1)} %`],
      ['cache results', JSON.stringify(result.cacheResults)], ['errors', JSON.stringify(result.errors)],
    ];
    for (const [k, v] of rows) process.stdout.write(`${k.padEnd(14)} ${v}\n`);
  }
  return result.failed > 0 ? 1 : 0;
}
