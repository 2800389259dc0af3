// The 'batch' slot: embeddings requests that could share an upstream call (same targets, tenant,
// encoding and dimensions) are gathered by a MicroBatcher and sent as ONE request through the rest
// of the pipeline — a synthetic context whose body holds the merged inputs — so retries, fallback
// and the scheduler apply to the batched call as to any other. Each caller gets its own vectors
// (indexes from 0), its share of the usage, and `ctx.batchSize`. The batched call answers to the
// batch's own signal: a caller who leaves drops out; the call is aborted only when all have left.
import type { EmbeddingsResponse } from '../../shared/openai.ts';
import type { BatchGroupStats, BatchingConfig } from '../../shared/scheduling.ts';
import { targetKey, type Priority } from '../../shared/targets.ts';
import type { Clock } from '../clock.ts';
import { UPSTREAM_REQUEST_ID_HEADER, UpstreamHttpError, UpstreamProtocolError } from '../errors.ts';
import type { Handler, ProxyResult, RequestContext, Stage } from '../pipeline/context.ts';
import {
  assertEmbeddingsAnswer, blameEmbeddingInput, embeddingInputs, embeddingsBatchKey, estimateEmbeddingTokens, splitEmbeddingsResponse,
  type EmbeddingInput,
} from './embeddings-batching.ts';
import { MicroBatcher } from './micro-batcher.ts';

export interface BatchStageOptions {
  clock: Clock;
  config: BatchingConfig;
  /** Calls in flight for a provider's batch group before requests wait for batch-mates (its live limit). */
  providerLimit?: (provider: string) => number;
}

interface Item { value: EmbeddingInput; ctx: RequestContext }
interface Sent { response: EmbeddingsResponse; headers: Record<string, string>; up: RequestContext }

const LEVEL: Record<Priority, number> = { high: 2, normal: 1, low: 0 };
const SEP = '\u0000';

function parseAnswer(result: ProxyResult, provider: string): EmbeddingsResponse {
  const text = result.body?.toString('utf8') ?? '';
  if (result.status >= 300) throw new UpstreamHttpError(provider, result.status, text, { requestId: result.headers[UPSTREAM_REQUEST_ID_HEADER] });
  if (result.json !== undefined) return result.json as EmbeddingsResponse;
  if (result.stream || !result.body) throw new UpstreamProtocolError(provider, 'embeddings answer without a JSON body');
  try {
    return JSON.parse(text) as EmbeddingsResponse;
  } catch {
    throw new UpstreamProtocolError(provider, 'embeddings answer is not JSON');
  }
}

export class BatchStage {
  #clock: Clock;
  #config: BatchingConfig;
  #providerLimit: (provider: string) => number;
  #batcher: MicroBatcher<Item, Sent, Sent> | null = null;
  /** The synthetic context of a failed batched call, by its error (attempts and target for the edge). */
  #failures = new WeakMap<object, RequestContext>();
  #requests = 0;
  #calls = 0;

  constructor(opts: BatchStageOptions) {
    if (!opts?.clock) throw new TypeError("BatchStage: 'clock' is required.");
    if (!opts.config || typeof opts.config.enabled !== 'boolean') throw new TypeError("BatchStage: 'config' must be a BatchingConfig.");
    this.#clock = opts.clock;
    this.#config = opts.config;
    this.#providerLimit = opts.providerLimit ?? (() => Infinity);
  }

  /** The pipeline stage. */
  readonly stage: Stage = (next) => {
    const cfg = this.#config;
    const batcher = new MicroBatcher<Item, Sent, Sent>({
      clock: this.#clock,
      maxBatchSize: cfg.maxBatchSize,
      maxBatchTokens: cfg.maxBatchTokens,
      maxWaitMs: cfg.maxWaitMs,
      gatherMs: cfg.gatherMs,
      maxInFlight: (key) => Math.max(1, Math.min(cfg.maxInFlightPerKey, this.#providerLimit(key.slice(0, key.indexOf(SEP))))),
      estimateTokens: (i) => estimateEmbeddingTokens(i.value),
      blame: blameEmbeddingInput,
      send: (items, signal) => this.#send(next, items, signal),
      split: (sent, slices) => splitEmbeddingsResponse(sent.response, slices).map((response) => ({ response, headers: sent.headers, up: sent.up })),
    });
    this.#batcher = batcher;
    return (ctx) => (cfg.enabled && ctx.endpoint === 'embeddings' && ctx.targets.length > 0 ? this.#handle(batcher, next, ctx) : next(ctx));
  };

  stats(): { groups: BatchGroupStats[]; requests: number; calls: number } {
    const groups = (this.#batcher?.stats() ?? []).map((g) => {
      const target = String(JSON.parse(g.key.slice(g.key.indexOf(SEP) + 1, g.key.lastIndexOf(SEP)))[0][0]);
      const slash = target.indexOf('/');
      return { provider: target.slice(0, slash), model: target.slice(slash + 1), pending: g.pending, pendingInputs: g.pendingInputs, inFlight: g.inFlight };
    });
    return { groups, requests: this.#requests, calls: this.#calls };
  }

  async #handle(batcher: MicroBatcher<Item, Sent, Sent>, next: Handler, ctx: RequestContext): Promise<ProxyResult> {
    const values = embeddingInputs(ctx.body?.input);
    if (values.length === 0) return next(ctx);
    const first = ctx.targets[0];
    const key = `${first.provider}${SEP}${JSON.stringify([ctx.targets.map(targetKey), ctx.timeoutMs])}${SEP}${embeddingsBatchKey(first, ctx.body, ctx.tenant)}`;
    let out: Awaited<ReturnType<typeof batcher.submit>>;
    try {
      out = await batcher.submit(key, values.map((value) => ({ value, ctx })), { signal: ctx.signal });
    } catch (err) {
      const up = err !== null && typeof err === 'object' ? this.#failures.get(err) : undefined;
      if (up) {
        // the notes too: the attempts the call made outlast a stale answer the cache may serve next
        Object.assign(ctx.notes, up.notes);
        ctx.attempts = up.attempts;
        ctx.timings.queueMs = up.timings.queueMs;
        for (const t of up.trace) ctx.trace.push(t);
      }
      throw err;
    }
    const { response, headers, up } = out.result;
    this.#requests++;
    ctx.served = up.served;
    Object.assign(ctx.notes, up.notes);
    ctx.attempts = up.attempts;
    ctx.timings.queueMs = up.timings.queueMs;
    ctx.timings.upstreamMs = up.timings.upstreamMs;
    ctx.batchSize = out.batchSize;
    ctx.usage = { prompt_tokens: response.usage.prompt_tokens, completion_tokens: 0, total_tokens: response.usage.total_tokens };
    for (const t of up.trace) ctx.trace.push(t);
    if (out.batchSize > 1) {
      ctx.trace.push({
        stage: 'batch', message: `sent upstream in one call with ${out.batchSize - 1} other request(s), ${out.batchInputs} inputs in all`,
        say: { id: 'batch.sent', vars: { others: out.batchSize - 1, inputs: out.batchInputs } },
      });
    }
    const body = Buffer.from(JSON.stringify(response));
    return { status: 200, headers: { ...headers, 'content-type': 'application/json' }, body, json: response };
  }

  /** One upstream call for the merged inputs, through the rest of the pipeline. */
  async #send(next: Handler, items: Item[], signal: AbortSignal): Promise<Sent> {
    const lead = items[0].ctx;
    let priority = lead.priority;
    for (const i of items) if (LEVEL[i.ctx.priority] > LEVEL[priority]) priority = i.ctx.priority;
    const up: RequestContext = {
      ...lead,
      body: { ...lead.body, input: items.map((i) => i.value) },
      signal, priority,
      targets: [...lead.targets],
      trace: [],
      timings: { queueMs: 0, upstreamMs: 0, firstByteMs: null, totalMs: 0 },
      cacheKey: null, attempts: 0, served: null, usage: null, costUsd: 0, batchSize: null, notes: {},
    };
    this.#calls++;
    let result: ProxyResult;
    try {
      result = await next(up);
      const provider = up.served?.provider ?? lead.targets[0].provider;
      const response = parseAnswer(result, provider);
      assertEmbeddingsAnswer(provider, response, items.length);
      return { response, headers: result.headers, up };
    } catch (err) {
      if (err !== null && typeof err === 'object') this.#failures.set(err, up);
      throw err;
    }
  }
}
