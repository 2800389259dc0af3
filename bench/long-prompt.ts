// npm run bench:long-prompt — what a long prompt costs Sluice's event loop. Dev tools send whole
// files and retrieved documents: every step that reads the prompt (the nesting guard, token
// estimates, the cache key, serialising it upstream) grows with it. A 200 KB prompt, in English and
// in Chinese, is sent at concurrency 10 through Sluice with the cache off (no-store: every request
// goes upstream) and on (every request after the first is a memory hit), and through the minimal
// Node proxy (bench/fixtures/minimal-proxy.mjs) as the floor. Prints requests/s and the CPU time of
// each server's main thread per request, read from /proc: the event loop is what runs out first.
// BENCH_SECONDS sets the seconds per cell (default 4); BENCH_PROMPT_KB the prompt size (default 200).
import { readFileSync } from 'node:fs';
import { HOST_ENV, HOST_NODE_FLAGS } from '../scripts/host-node-flags.mjs';
import { runLoad } from './lib/load.ts';
import { startScript, startSluice } from './lib/processes.ts';
import { fmt, summarize, table } from './lib/stats.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 4);
const promptKb = Number(process.env.BENCH_PROMPT_KB ?? 200);
const concurrency = 10;

/** CPU time (user + system) of a process's main thread so far, in ms. */
function mainThreadCpuMs(pid: number | undefined): number {
  const fields = readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // USER_HZ
}

const upstream = await startScript(new URL('./fixtures/fast-upstream.ts', import.meta.url).pathname);
const minimal = await startScript(new URL('./fixtures/minimal-proxy.mjs', import.meta.url).pathname, [upstream.url], HOST_ENV, HOST_NODE_FLAGS);
const sluice = await startSluice({
  config: {
    providers: [{ id: 'fast', type: 'openai-compatible', baseUrl: `${upstream.url}/v1`, models: ['bench'], maxConnections: 512 }],
    cache: { mode: 'all' },
  },
});

const prompts = {
  English: 'Summarise this file. ' + 'The quick brown fox jumps over the lazy dog; '.repeat(Math.ceil((promptKb * 1024) / 45)),
  Chinese: '请总结这个文件。' + '敏捷的棕色狐狸跳过了那只懒狗，'.repeat(Math.ceil((promptKb * 1024) / 45)),
};

const rows: Array<Array<string | number>> = [];
for (const [language, prompt] of Object.entries(prompts)) {
  const body = JSON.stringify({ model: 'bench', messages: [{ role: 'user', content: prompt }] });
  const cells: Array<[string, { url: string; child: { pid?: number } }, Record<string, string>]> = [
    ['minimal Node proxy', minimal, {}],
    ['Sluice, cache off (no-store)', sluice, { 'cache-control': 'no-store' }],
    ['Sluice, memory hits', sluice, {}],
  ];
  for (const [name, server, headers] of cells) {
    const before = mainThreadCpuMs(server.child.pid);
    const r = await runLoad({ url: server.url, path: '/v1/chat/completions', body, headers, concurrency, durationMs: seconds * 1000, warmupMs: 700 });
    const cpuMs = mainThreadCpuMs(server.child.pid) - before;
    rows.push([
      `${language} ${fmt(Buffer.byteLength(body) / 1024, 0)} KB: ${name}`, fmt(r.rps, 0), fmt(summarize(r.latencies).p50), fmt(cpuMs / r.total), r.errors,
    ]);
  }
}

console.log(`\nLong prompts at concurrency ${concurrency}, ${seconds} s per cell\n`);
console.log(table(['case', 'req/s', 'p50 ms', 'main-thread CPU ms/request', 'errors'], rows));
await sluice.stop();
upstream.child.kill();
minimal.child.kill();
