// npx node bench/routing.ts — the cost of a routing decision with 100 rules, and of falling back
// after a refused connection. Prints p50/p99 per decision (goal: p99 under 20 µs) against a baseline
// measured in the same run (an alias Map lookup), the fallback path against a direct call in-process,
// and end to end through a running Sluice: an alias whose first target refuses connections against
// an alias with the healthy target alone (goal: fallback adds < 2 ms).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../src/engine/clock.ts';
import { defaultDeps } from '../src/engine/deps.ts';
import { silentLogger } from '../src/engine/logger.ts';
import { toProxyResult } from '../src/engine/pipeline/provider-call.ts';
import type { RequestContext } from '../src/engine/pipeline/context.ts';
import { OpenAICompatibleAdapter } from '../src/engine/providers/openai-compatible/openai-compatible-adapter.ts';
import { BreakerRegistry } from '../src/engine/routing/circuit-breaker.ts';
import { PriceTable } from '../src/engine/routing/pricing.ts';
import { summarizeRequest } from '../src/engine/routing/route-request.ts';
import { compileRouting, resolveRoute, type RouterState } from '../src/engine/routing/router.ts';
import { createRetryStage } from '../src/engine/routing/retry-stage.ts';
import type { RouteRequest } from '../src/engine/routing/rules.ts';
import { defaultRoutingConfig, type RoutingConfig, type RoutingRule } from '../src/shared/routing.ts';
import type { Endpoint, Target } from '../src/shared/targets.ts';
import { runLoad } from './lib/load.ts';
import { startScript, startSluice } from './lib/processes.ts';
import { fmt, summarize, table } from './lib/stats.ts';

const ITER = Number(process.env.BENCH_ITER ?? 200_000);
const now = () => Number(process.hrtime.bigint()) / 1000; // µs

// ---- 1. a routing decision with 100 rules -------------------------------------------------------
const providers = ['openai', 'anthropic', 'deepseek', 'local'];
const rules: RoutingRule[] = [];
for (let i = 0; i < 99; i++) {
  rules.push({
    id: `r${i}`, name: `rule ${i}`, enabled: i % 10 !== 3,
    when: {
      model: [`team${i}-*`, `*-v${i}`],
      endpoint: ['chat'],
      ...(i % 3 === 0 ? { tags: [`tag${i}`] } : {}),
      ...(i % 4 === 0 ? { minPromptTokens: 1000 + i } : {}),
      ...(i % 5 === 0 ? { complexity: ['very-complex' as const] } : {}),
    },
    action: { strategy: i % 2 ? 'fallback' : 'lowest-cost', targets: [{ provider: providers[i % 4], model: `m${i}` }, { provider: providers[(i + 1) % 4], model: `m${i}b` }] },
  });
}
// the last rule is the one that matches: every request walks all 100
rules.push({ id: 'last', name: 'last', enabled: true, when: { model: ['gpt-*'], tags: ['prod'] }, action: { strategy: 'least-latency', alias: 'smart' } });
const config: RoutingConfig = {
  ...defaultRoutingConfig(),
  rules,
  aliases: [{ name: 'smart', targets: [{ provider: 'openai', model: 'gpt-4o' }, { provider: 'anthropic', model: 'claude-sonnet-4' }, { provider: 'deepseek', model: 'deepseek-chat' }] }],
  budgets: [
    { id: 'openai-day', scope: 'provider', match: 'openai', period: 'day', unit: 'usd', limit: 50, onExhausted: 'downgrade' },
    { id: 'prod-month', scope: 'tag', match: 'prod', period: 'month', unit: 'usd', limit: 1000, onExhausted: 'refuse' },
  ],
};
const compiled = compileRouting(config);
const prices = new PriceTable();
const all: ReadonlySet<Endpoint> = new Set(['chat', 'embeddings', 'speech']);
const avail = new Map(providers.map((p) => [p, { enabled: true, endpoints: all }]));
const latency = new Map([['openai/gpt-4o', 800], ['anthropic/claude-sonnet-4', 600]]);
const state: RouterState = {
  breakerOpen: (k) => k === 'deepseek/deepseek-chat',
  budgetExhausted: () => false,
  latencyMs: (k) => latency.get(k),
  provider: (id) => avail.get(id),
  price: (t) => prices.priceOf(t),
  random: Math.random,
};
const req: RouteRequest = { model: 'gpt-4o', endpoint: 'chat', tags: ['prod'], promptTokens: 420, complexity: 'medium' };
const body = { model: 'gpt-4o', messages: [
  { role: 'system', content: 'You are a helpful assistant.' },
  { role: 'user', content: 'Explain the difference between a mutex and a semaphore, with a short example in C. '.repeat(4) },
] };

function measure(fn: () => unknown, iterations: number): number[] {
  for (let i = 0; i < Math.min(20_000, iterations); i++) fn(); // warm up
  const out = new Array<number>(iterations);
  for (let i = 0; i < iterations; i++) {
    const t = now();
    fn();
    out[i] = now() - t;
  }
  return out;
}

const aliasMap = new Map(config.aliases.map((a) => [a.name, a.targets]));
let sink = 0;
const baseline = summarize(measure(() => { sink += aliasMap.get('smart')!.length; }, ITER));
const decide = summarize(measure(() => { sink += resolveRoute(compiled, req, state).targets.length; }, ITER));
const withSummary = summarize(measure(() => { sink += resolveRoute(compiled, summarizeRequest('chat', body, ['prod']), state).targets.length; }, ITER));
const noClassifier = summarize(measure(() => { sink += resolveRoute(compiled, summarizeRequest('chat', body, ['prod'], { classify: false }), state).targets.length; }, ITER));
const uncompiled = summarize(measure(() => { sink += resolveRoute(config, req, state).targets.length; }, Math.floor(ITER / 10)));
const explained = summarize(measure(() => { sink += resolveRoute(compiled, req, state).explanation.steps.length; }, Math.floor(ITER / 10)));

console.log(`Routing decision, ${rules.length} rules (the match is the last one), ${ITER} iterations, µs per decision\n`);
console.log(table(['case', 'p50 µs', 'p99 µs', 'mean µs', 'p99 / baseline'], [
  ['baseline: alias Map lookup', fmt(baseline.p50), fmt(baseline.p99), fmt(baseline.mean), '1.0'],
  ['resolveRoute (compiled config)', fmt(decide.p50), fmt(decide.p99), fmt(decide.mean), fmt(decide.p99 / baseline.p99, 1)],
  ['summarize request + resolveRoute', fmt(withSummary.p50), fmt(withSummary.p99), fmt(withSummary.mean), fmt(withSummary.p99 / baseline.p99, 1)],
  ['summarize (no classifier) + resolveRoute', fmt(noClassifier.p50), fmt(noClassifier.p99), fmt(noClassifier.mean), fmt(noClassifier.p99 / baseline.p99, 1)],
  ['resolveRoute (compiling each time)', fmt(uncompiled.p50), fmt(uncompiled.p99), fmt(uncompiled.mean), fmt(uncompiled.p99 / baseline.p99, 1)],
  ['resolveRoute + explanation', fmt(explained.p50), fmt(explained.p99), fmt(explained.mean), fmt(explained.p99 / baseline.p99, 1)],
]));
console.log(`\ngoal: decision p99 ${fmt(decide.p99, 2)} µs (goal < 20 µs) ${decide.p99 < 20 ? 'MET' : 'MISSED'}`);

// ---- 2. fallback after a refused connection -----------------------------------------------------
const completion = JSON.stringify({ id: 'x', object: 'chat.completion', created: 0, model: 'bench', choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } });
const upstream: Server = createServer((rq, rs) => { rq.resume(); rq.on('end', () => { rs.writeHead(200, { 'content-type': 'application/json' }); rs.end(completion); }); });
await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
const refused = createServer();
await new Promise<void>((r) => refused.listen(0, '127.0.0.1', () => r()));
const deadPort = (refused.address() as AddressInfo).port;
await new Promise((r) => refused.close(r));

const dataDir = mkdtempSync(join(tmpdir(), 'sluice-bench-routing-'));
const deps = defaultDeps(dataDir, { logger: silentLogger });
const live = new OpenAICompatibleAdapter({ id: 'live', type: 'openai-compatible', baseUrl: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1` }, deps);
const dead = new OpenAICompatibleAdapter({ id: 'dead', type: 'openai-compatible', baseUrl: `http://127.0.0.1:${deadPort}/v1` }, deps);
const adapters: Record<string, OpenAICompatibleAdapter> = { live, dead };
const call = async (t: Target, ctx: RequestContext) => toProxyResult(await adapters[t.provider].chat({ ...ctx.body, model: t.model }, { signal: ctx.signal, requestId: ctx.id }));
const backoff = { baseDelayMs: 100, maxDelayMs: 2_000, maxRetryAfterMs: 10_000 };
const makeCtx = (targets: Target[]): RequestContext => ({
  id: 'b', endpoint: 'chat', path: '/v1/chat/completions', method: 'POST', body: { model: 'bench', messages: [{ role: 'user', content: 'hi' }] },
  headers: {}, tenant: '', client: 'bench', signal: new AbortController().signal, receivedAt: 0, t0: 0, requestedModel: 'bench',
  stream: false, priority: 'normal', tags: [], cacheDirectives: { noRead: false, noStore: false, ttlSeconds: null, namespace: '' },
  targets, timeoutMs: null, cachePolicy: null, trace: [], timings: { queueMs: 0, upstreamMs: 0, firstByteMs: null, totalMs: 0 },
  cacheResult: 'miss', cacheKey: null, attempts: 0, served: null, usage: null, costUsd: 0, batchSize: null, notes: {},
});
const noNext = async () => { throw new Error('unused'); };
const plainStage = createRetryStage({ clock: systemClock, random: Math.random, call, backoff, attemptsPerTarget: 2, maxAttempts: 4 })(noNext);
const breakers = new BreakerRegistry({ clock: systemClock, failureThreshold: 5, windowMs: 60_000, cooldownMs: 30_000 });
const breakerStage = createRetryStage({ clock: systemClock, random: Math.random, call, backoff, attemptsPerTarget: 2, maxAttempts: 4, breakers })(noNext);
const N = Number(process.env.BENCH_FALLBACKS ?? 1500);
async function timeAsync(fn: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 100; i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < N; i++) { const t = performance.now(); await fn(); out.push(performance.now() - t); }
  return out;
}
const LIVE = { provider: 'live', model: 'bench' };
const DEAD = { provider: 'dead', model: 'bench' };
const direct = summarize(await timeAsync(() => plainStage(makeCtx([LIVE]))));
const fallback = summarize(await timeAsync(() => plainStage(makeCtx([DEAD, LIVE]))));
const skipped = summarize(await timeAsync(() => breakerStage(makeCtx([DEAD, LIVE]))));
console.log(`\nFallback after connection refused (real sockets on 127.0.0.1, ${N} requests each, ms)\n`);
console.log(table(['case', 'p50 ms', 'p99 ms', 'added p50 ms'], [
  ['direct to the live upstream (baseline)', fmt(direct.p50), fmt(direct.p99), '0'],
  ['refused target, then fallback', fmt(fallback.p50), fmt(fallback.p99), fmt(fallback.p50 - direct.p50)],
  ['refused target with breaker (opens, skipped)', fmt(skipped.p50), fmt(skipped.p99), fmt(skipped.p50 - direct.p50)],
]));
console.log(`breaker state for dead/bench: ${breakers.state('dead/bench')}`);

await Promise.all([live.close(), dead.close()]);
await new Promise((r) => upstream.close(r));
rmSync(dataDir, { recursive: true, force: true });

// ---- 3. end to end through a running Sluice -------------------------------------------------------
const seconds = Number(process.env.BENCH_SECONDS ?? 3);
const fast = await startScript(new URL('./fixtures/fast-upstream.ts', import.meta.url).pathname);
const fastTarget = { provider: 'fast', model: 'bench' };
const sluice = await startSluice({
  config: {
    providers: [
      { id: 'fast', type: 'openai-compatible', baseUrl: `${fast.url}/v1`, models: ['bench'], maxConnections: 64 },
      { id: 'dead', type: 'openai-compatible', baseUrl: `http://127.0.0.1:${deadPort}/v1`, models: ['bench'] },
    ],
    routing: {
      aliases: [
        { name: 'single', targets: [fastTarget] },
        { name: 'fallback', targets: [{ provider: 'dead', model: 'bench' }, fastTarget] },
      ],
      // the breaker would hide the refused connection after a few requests: keep it out of 'fallback'
      breaker: { failureThreshold: 1_000_000_000, windowMs: 60_000, cooldownMs: 30_000 },
      retry: { attemptsPerTarget: 1, maxAttempts: 4, baseDelayMs: 50, maxDelayMs: 1_000, maxRetryAfterMs: 10_000 },
    },
  },
});
const e2e = async (model: string) => {
  const r = await runLoad({
    url: sluice.url, path: '/v1/chat/completions', concurrency: 1, durationMs: seconds * 1000, warmupMs: 500,
    headers: { 'cache-control': 'no-store' }, body: JSON.stringify({ model, messages: [{ role: 'user', content: 'Say something constant.' }] }),
  });
  return { ...summarize(r.latencies), errors: r.errors, rps: r.rps };
};
const single = await e2e('single');
const fell = await e2e('fallback');
console.log(`\nThrough a running Sluice (child process, c=1, ${seconds} s each, ms)\n`);
console.log(table(['case', 'rps', 'p50 ms', 'p99 ms', 'added p50 ms', 'added p99 ms', 'errors'], [
  ['alias → healthy target alone (baseline)', fmt(single.rps, 0), fmt(single.p50), fmt(single.p99), '0', '0', single.errors],
  ['alias → refused target, then the healthy one', fmt(fell.rps, 0), fmt(fell.p50), fmt(fell.p99), fmt(fell.p50 - single.p50), fmt(fell.p99 - single.p99), fell.errors],
]));
const added = fell.p50 - single.p50;
console.log(`\ngoal: fallback after connection refusal adds ${fmt(added)} ms at p50 (goal < 2 ms) ${added < 2 ? 'MET' : 'MISSED'}`);
await sluice.stop();
fast.child.kill();
if (sink < 0) console.log(sink);
