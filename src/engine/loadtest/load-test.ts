// A load generator that drives a running Sluice over real HTTP: the engine behind the panel's
// Load test page and `sluice bench`. Bounded by count or time, cancellable, reports percentiles.
import { Agent, request } from 'undici';
import { LOADTEST_DEFAULTS, LOADTEST_ENDPOINTS, type LoadTestInput, type LoadTestProgress, type LoadTestResult, type LoadTestSpec } from '../../shared/loadtest.ts';
import { isObj } from '../../shared/is-obj.ts';
import { refuseUnknown } from '../admin/refuse-unknown.ts';
import { BadRequestError } from '../errors.ts';
import { LogHistogram } from '../metrics/log-histogram.ts';

export const BUILTIN_PROMPTS = [
  'What is a cache?', 'Explain HTTP keep-alive in one sentence.', 'Write a haiku about latency.',
  'What does p99 latency mean?', 'Summarise the benefits of request coalescing.', '用一句话解释什么是缓存。',
  'Give me three names for a cat.', 'What is the capital of France?', 'How do circuit breakers work?',
  'Translate "good morning" into Chinese.', 'What is an embedding?', 'List two uses of text-to-speech.',
];

export interface LoadTestOptions {
  baseUrl: string;
  spec: LoadTestSpec;
  id: string;
  /** Bearer for the proxy (client token), if one is required. */
  token?: string;
  signal?: AbortSignal;
  onProgress?(p: LoadTestProgress): void;
  /** Least time between two progress reports, ms. Default 250. */
  progressIntervalMs?: number;
  now?: () => number;
  random?: () => number;
}

/** The keys of a load test spec; another is refused rather than kept in the saved run. */
const SPEC_KEYS: ReadonlyArray<keyof LoadTestSpec> = ['endpoint', 'model', 'concurrency', 'totalRequests', 'durationSeconds', 'repeatRatio', 'prompts', 'name'];

/**
 * A load test as given (the admin API's body, `sluice bench`'s options), checked, with what it leaves
 * out taken from LOADTEST_DEFAULTS, the same for both. A problem is a 400 naming the field.
 */
export function validateLoadTestSpec(input: unknown): LoadTestSpec {
  if (!isObj(input)) throw new BadRequestError('Expected a load test spec object.');
  refuseUnknown(input, SPEC_KEYS, 'key', 'a load test');
  const s = input as LoadTestInput;
  const endpoint = s.endpoint ?? LOADTEST_DEFAULTS.endpoint;
  if (!(LOADTEST_ENDPOINTS as readonly unknown[]).includes(endpoint)) throw new BadRequestError(`endpoint: expected one of ${LOADTEST_ENDPOINTS.join(', ')}`, 'endpoint');
  const model = s.model ?? LOADTEST_DEFAULTS.model;
  if (typeof model !== 'string' || !model) throw new BadRequestError('model: expected a model name', 'model');
  const concurrency = s.concurrency ?? LOADTEST_DEFAULTS.concurrency;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 1000) throw new BadRequestError('concurrency: expected an integer from 1 to 1000', 'concurrency');
  if (s.totalRequests !== undefined && (!Number.isInteger(s.totalRequests) || s.totalRequests < 1 || s.totalRequests > 10_000_000)) throw new BadRequestError('totalRequests: expected an integer from 1 to 10000000', 'totalRequests');
  if (s.durationSeconds !== undefined && (typeof s.durationSeconds !== 'number' || !Number.isFinite(s.durationSeconds) || s.durationSeconds <= 0 || s.durationSeconds > 86_400)) {
    throw new BadRequestError('durationSeconds: expected a number of seconds above 0 and at most 86400', 'durationSeconds');
  }
  const repeatRatio = s.repeatRatio ?? LOADTEST_DEFAULTS.repeatRatio;
  if (typeof repeatRatio !== 'number' || !(repeatRatio >= 0 && repeatRatio <= 1)) throw new BadRequestError('repeatRatio: expected a number from 0 to 1', 'repeatRatio');
  if (s.prompts !== undefined && (!Array.isArray(s.prompts) || s.prompts.some((p) => typeof p !== 'string' || !p))) throw new BadRequestError('prompts: expected a list of non-empty strings', 'prompts');
  if (s.name !== undefined && (typeof s.name !== 'string' || s.name.length > 200)) throw new BadRequestError('name: expected a label of at most 200 characters', 'name');
  // neither bound given: the default count (both given: the count wins, see LoadTestSpec)
  const bound = s.totalRequests === undefined && s.durationSeconds === undefined ? { totalRequests: LOADTEST_DEFAULTS.totalRequests } : {};
  return {
    endpoint, model, concurrency, repeatRatio, ...bound,
    ...(s.totalRequests !== undefined ? { totalRequests: s.totalRequests } : {}),
    ...(s.durationSeconds !== undefined ? { durationSeconds: s.durationSeconds } : {}),
    ...(s.prompts !== undefined ? { prompts: s.prompts } : {}),
    ...(s.name !== undefined ? { name: s.name } : {}),
  };
}

/** A cache answer: a hit in any tier, a stale entry, or a share of an identical request in flight. */
const isHit = (cache: string): boolean => cache.startsWith('hit') || cache === 'coalesced' || cache === 'stale';
const round2 = (x: number): number => Math.round(x * 100) / 100;

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

function bodyFor(spec: LoadTestSpec, prompt: string): { path: string; body: unknown } {
  switch (spec.endpoint) {
    case 'chat': return { path: '/v1/chat/completions', body: { model: spec.model, messages: [{ role: 'user', content: prompt }] } };
    case 'chat-stream': return { path: '/v1/chat/completions', body: { model: spec.model, stream: true, messages: [{ role: 'user', content: prompt }] } };
    case 'embeddings': return { path: '/v1/embeddings', body: { model: spec.model, input: prompt } };
    case 'speech': return { path: '/v1/audio/speech', body: { model: spec.model, input: prompt, voice: 'alloy', response_format: 'wav' } };
  }
}

export async function runLoadTest(opts: LoadTestOptions): Promise<LoadTestResult> {
  const spec = validateLoadTestSpec(opts.spec);
  const now = opts.now ?? (() => Date.now());
  const random = opts.random ?? Math.random;
  const prompts = spec.prompts?.length ? spec.prompts : BUILTIN_PROMPTS;
  const agent = new Agent({ connections: spec.concurrency, keepAliveTimeout: 10_000 });
  const startedAt = now();
  const t0 = performance.now();
  const deadline = spec.durationSeconds !== undefined && spec.totalRequests === undefined ? t0 + spec.durationSeconds * 1000 : Infinity;
  const total = spec.totalRequests ?? null;
  const latencies: number[] = [];
  // Progress reads its percentiles here: a few hundred buckets to walk, not every sample to sort.
  const histogram = new LogHistogram();
  let hits = 0;
  const cacheResults: Record<string, number> = {};
  const errors: Record<string, number> = {};
  let issued = 0;
  let done = 0;
  let succeeded = 0;
  let unique = 0;
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-sluice-client': 'loadtest' };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let lastProgress = -Infinity;
  const progressIntervalMs = opts.progressIntervalMs ?? 250;

  const issuedPrompts: string[] = [];
  // A fresh prompt names this run, so it is new to the cache even after earlier runs with the same
  // prompts: repeats, and so the hit rate, come from `repeatRatio` alone. (Without it a second run with
  // no repeats was 93 % cache hits, and measured the memory cache instead of the upstream.)
  const run = Math.floor(random() * 36 ** 6).toString(36).padStart(6, '0');
  const nextPrompt = (): string => {
    if (issuedPrompts.length > 0 && random() < spec.repeatRatio) return issuedPrompts[Math.floor(random() * issuedPrompts.length)];
    const i = unique++;
    const prompt = `${prompts[i % prompts.length]} (run ${run}, #${i + 1})`;
    if (issuedPrompts.length < 10_000) issuedPrompts.push(prompt);
    return prompt;
  };

  const worker = async () => {
    while (!opts.signal?.aborted && performance.now() < deadline && (total === null || issued < total)) {
      issued++;
      const { path, body } = bodyFor(spec, nextPrompt());
      const start = performance.now();
      try {
        const res = await request(opts.baseUrl + path, { method: 'POST', headers, body: JSON.stringify(body), dispatcher: agent, signal: opts.signal });
        await res.body.arrayBuffer();
        const cache = String(res.headers['x-sluice-cache'] ?? 'none');
        cacheResults[cache] = (cacheResults[cache] ?? 0) + 1;
        if (isHit(cache)) hits++;
        if (res.statusCode < 400) succeeded++;
        else errors[`HTTP ${res.statusCode}`] = (errors[`HTTP ${res.statusCode}`] ?? 0) + 1;
      } catch (err) {
        if (opts.signal?.aborted) break;
        const code = (err as { code?: string }).code ?? (err as Error).name;
        errors[code] = (errors[code] ?? 0) + 1;
      }
      const latency = performance.now() - start;
      latencies.push(latency);
      histogram.record(latency);
      done++;
      const t = performance.now();
      if (opts.onProgress && t - lastProgress >= progressIntervalMs) {
        lastProgress = t;
        opts.onProgress({
          id: opts.id, done, total, elapsedMs: t - t0, durationMs: spec.durationSeconds ? spec.durationSeconds * 1000 : null,
          requestsPerSecond: done / Math.max((t - t0) / 1000, 1e-9),
          succeeded, failed: done - succeeded,
          latencyMs: { p50: round2(histogram.quantile(0.5)), p95: round2(histogram.quantile(0.95)) },
          hitRate: hits / done,
          errors: { ...errors },
        });
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: spec.concurrency }, worker));
  } finally {
    await agent.close().catch(() => agent.destroy());
  }
  const elapsed = (performance.now() - t0) / 1000;
  const sorted = latencies.sort((a, b) => a - b);
  return {
    id: opts.id, name: spec.name ?? `${spec.endpoint} × ${spec.concurrency}`, spec, startedAt, finishedAt: now(),
    state: opts.signal?.aborted ? 'cancelled' : 'done',
    requests: done, succeeded, failed: done - succeeded,
    requestsPerSecond: round2(done / Math.max(elapsed, 1e-9)),
    latencyMs: { p50: round2(percentile(sorted, 0.5)), p95: round2(percentile(sorted, 0.95)), p99: round2(percentile(sorted, 0.99)), max: round2(sorted[sorted.length - 1] ?? 0), mean: round2(sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length)) },
    successRate: done ? round2((succeeded / done) * 100) / 100 : 0,
    hitRate: done ? round2((hits / done) * 100) / 100 : 0,
    cacheResults, errors,
  };
}
