// npm run bench:overhead — what Sluice adds on top of a direct call, with no cache involved.
// A fast fake upstream is called directly and through Sluice (Cache-Control: no-store), plain and
// streamed chat, at concurrency 1, 10 and 100. Prints requests/s, p50/p99, time to first streamed
// byte, Sluice's peak RSS, and the ratios to direct measured in the same run. A minimal Node proxy
// (node:http + undici, nothing else: bench/fixtures/minimal-proxy.mjs) runs in the same cells, so the
// figures show what any Node proxy costs on this machine and what Sluice adds on top of that.
import { runLoad } from './lib/load.ts';
import { HOST_ENV, HOST_NODE_FLAGS } from '../scripts/host-node-flags.mjs';
import { procStatusMb, startScript, startSluice } from './lib/processes.ts';
import { fmt, summarize, table } from './lib/stats.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 4);
const upstream = await startScript(new URL('./fixtures/fast-upstream.ts', import.meta.url).pathname);
// the floor runs with the host's Node flags and environment too, so the RSS figures compare like with like
const minimal = await startScript(new URL('./fixtures/minimal-proxy.mjs', import.meta.url).pathname, [upstream.url], HOST_ENV, HOST_NODE_FLAGS);
const sluice = await startSluice({
  config: { providers: [{ id: 'fast', type: 'openai-compatible', baseUrl: `${upstream.url}/v1`, models: ['bench'], maxConnections: 512 }] },
});

const body = (stream: boolean) => JSON.stringify({ model: 'bench', stream, messages: [{ role: 'user', content: 'Say something constant.' }] });
const rows: Array<Array<string | number>> = [];
const goals: string[] = [];

for (const stream of [false, true]) {
  for (const concurrency of [1, 10, 100]) {
    const common = { path: '/v1/chat/completions', body: body(stream), concurrency, durationMs: seconds * 1000, warmupMs: 700 };
    const direct = await runLoad({ ...common, url: upstream.url });
    const via = await runLoad({ ...common, url: sluice.url, headers: { 'cache-control': 'no-store' } });
    const floor = await runLoad({ ...common, url: minimal.url });
    const f = summarize(floor.latencies);
    const ft = summarize(floor.ttfb);
    const d = summarize(direct.latencies);
    const v = summarize(via.latencies);
    const dt = summarize(direct.ttfb);
    const vt = summarize(via.ttfb);
    rows.push([
      `${stream ? 'stream' : 'plain'} c=${concurrency}`,
      fmt(direct.rps, 0), fmt(via.rps, 0), `${fmt((via.rps / direct.rps) * 100, 1)} %`,
      fmt(d.p50), fmt(v.p50), fmt(v.p50 - d.p50), fmt(d.p99), fmt(v.p99),
      stream ? fmt(vt.p50 - dt.p50) : '-', via.errors + direct.errors,
      `${fmt((floor.rps / direct.rps) * 100, 1)} %`, fmt(f.p50 - d.p50), stream ? fmt(ft.p50 - dt.p50) : '-',
    ]);
    if (!stream && concurrency === 1) goals.push(`added p50 at c=1: ${fmt(v.p50 - d.p50)} ms (goal ≤ 0.15 ms; a minimal Node proxy adds ${fmt(f.p50 - d.p50)} ms)`);
    if (!stream && concurrency === 100) goals.push(`throughput at c=100: ${fmt((via.rps / direct.rps) * 100, 1)} % of direct (goal ≥ 30 %; a minimal Node proxy keeps ${fmt((floor.rps / direct.rps) * 100, 1)} %)`);
    if (stream && concurrency === 1) goals.push(`added to first streamed byte (p50, c=1): ${fmt(vt.p50 - dt.p50)} ms (goal ≤ 0.3 ms; a minimal Node proxy adds ${fmt(ft.p50 - dt.p50)} ms)`);
  }
}
const peak = sluice.peakRssMb();
goals.push(`Sluice peak RSS: ${fmt(peak, 1)} MB (goal < 120 MB; the minimal Node proxy, same Node flags, peaked at ${fmt(procStatusMb(minimal.child.pid, 'VmHWM'), 1)} MB over the same cells)`);

console.log(`\nProxy overhead, ${seconds} s per cell (ms unless noted)\n`);
console.log(table(['case', 'direct rps', 'sluice rps', 'ratio', 'direct p50', 'sluice p50', 'added p50', 'direct p99', 'sluice p99', 'added TTFB', 'errors',
  'minimal ratio', 'minimal added p50', 'minimal added TTFB'], rows));
console.log('\n' + goals.join('\n'));
await sluice.stop();
upstream.child.kill();
minimal.child.kill();
