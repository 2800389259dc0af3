// Turns a successful upstream answer into a cache entry. A complete body is stored at once; a
// stream is followed as it passes (StreamAssembler) and stored only when it completed properly,
// rebuilt as a plain ChatCompletion so later plain and streamed requests can both be served.
// A chat answer without usage is stored with an estimate of it (cache-usage.ts).
// Errors, partial and broken streams are never stored, nor is empty audio: a 200 with no sound would
// answer every repeat with silence until the entry expired. The plan (key, TTL, scope) is made by the
// cache stage; the capture runs inside the coalesced upstream call, so it carries on when the
// first client goes away.
import type { ChatCompletion, Usage } from '../../shared/openai.ts';
import type { Endpoint, Target } from '../../shared/targets.ts';
import type { Clock } from '../clock.ts';
import type { Logger } from '../logger.ts';
import type { ProxyResult, RequestContext } from '../pipeline/context.ts';
import { SseTextCounter } from '../pipeline/sse-text-count.ts';
import { estimateChatUsage, estimateCompletionTokens } from '../routing/token-estimate.ts';
import { requestTextOf, type CacheEntry } from './cache-entry.ts';
import { bodyWithUsage } from './cache-usage.ts';
import { StreamAssembler } from './stream-assembler.ts';
import { speechUsage } from '../tts/speech-request.ts';

export interface WritePlan {
  key: string;
  endpoint: Endpoint;
  /** The target the key was computed on; an answer from another target (fallback) is not stored under it. */
  target: Target;
  namespace: string;
  tenant: string;
  ttlSeconds: number;
}

export interface CacheWriterOptions {
  clock: Clock;
  logger: Logger;
  /** Where entries go (the tiered cache). */
  store(entry: CacheEntry, ctx: RequestContext): void;
  /** Price of the upstream call, kept in the entry so a hit can report what it saved. */
  costOf?(ctx: RequestContext, usage: Usage): number;
}

function usageOf(json: unknown): Usage | null {
  const u = (json as { usage?: Usage } | null)?.usage;
  return u && typeof u.prompt_tokens === 'number' ? u : null;
}

export class CacheWriter {
  #opts: CacheWriterOptions;
  #plans = new WeakMap<RequestContext, WritePlan>();

  constructor(opts: CacheWriterOptions) {
    if (!opts?.clock) throw new TypeError('CacheWriter: clock is required');
    if (!opts.logger) throw new TypeError('CacheWriter: logger is required');
    if (typeof opts.store !== 'function') throw new TypeError('CacheWriter: store must be a function');
    this.#opts = opts;
  }

  /** Mark a request's answer for storing (called by the cache stage). */
  plan(ctx: RequestContext, plan: WritePlan): void {
    this.#plans.set(ctx, plan);
  }

  planOf(ctx: RequestContext): WritePlan | undefined {
    return this.#plans.get(ctx);
  }

  /**
   * Store `result` if the request was planned for it and the answer is cacheable. Returns the
   * result to pass on: the same one, or for a stream a stream that stores itself when complete.
   * `startedAt` is the clock's monotonic time when the upstream call began.
   */
  capture(ctx: RequestContext, result: ProxyResult, startedAt: number): ProxyResult {
    const plan = this.#plans.get(ctx);
    if (!plan || result.status !== 200) return result;
    if (ctx.served && (ctx.served.provider !== plan.target.provider || ctx.served.model !== plan.target.model)) {
      const target = `${ctx.served.provider}/${ctx.served.model}`;
      ctx.trace.push({ stage: 'cache', message: `not stored: answered by ${target}, not the keyed target`, say: { id: 'cache.notStored.otherTarget', vars: { target } } });
      return result;
    }
    if (result.body) {
      if (plan.endpoint === 'speech' && result.body.length === 0) {
        ctx.trace.push({ stage: 'cache', message: 'not stored: the audio is empty', say: { id: 'cache.notStored.emptyAudio' } });
        return result;
      }
      const json = result.json ?? (plan.endpoint === 'speech' ? null : safeParse(result.body));
      if (plan.endpoint !== 'speech' && json === null) return result;
      const contentType = result.headers['content-type'] ?? 'application/octet-stream';
      if (plan.endpoint === 'chat' && usageOf(json) === null && Array.isArray((json as ChatCompletion).choices)) {
        const usage = estimateChatUsage(ctx.body, estimateCompletionTokens(json as ChatCompletion));
        this.#store(ctx, plan, bodyWithUsage(json as ChatCompletion, usage), contentType, usage, startedAt);
        return result;
      }
      this.#store(ctx, plan, result.body, contentType, plan.endpoint === 'speech' ? speechUsage(ctx.body) : usageOf(json), startedAt);
      return result;
    }
    if (result.stream && plan.endpoint === 'chat' && String(result.headers['content-type'] ?? '').includes('text/event-stream')) {
      return { ...result, stream: this.#follow(ctx, plan, result.stream, startedAt) };
    }
    return result;
  }

  async *#follow(ctx: RequestContext, plan: WritePlan, source: AsyncIterable<Uint8Array>, startedAt: number): AsyncGenerator<Uint8Array> {
    const assembler = new StreamAssembler();
    // counted as the request log counts a stream without usage, so both report the same estimate
    const asked = (ctx.body as { stream_options?: { include_usage?: unknown } | null }).stream_options?.include_usage === true;
    const counter = asked ? null : new SseTextCounter();
    let broken = false;
    for await (const chunk of source) {
      if (!broken) {
        try { assembler.push(chunk); counter?.observe(chunk); } catch { broken = true; }
      }
      yield chunk;
    }
    if (broken) return;
    const done = assembler.end();
    if (!done.complete) {
      ctx.trace.push({ stage: 'cache', message: `stream not stored: ${done.reason}`, say: { id: 'cache.notStored.stream', vars: { reason: done.reason } } });
      return;
    }
    const { completion } = done;
    if (completion.usage) {
      this.#store(ctx, plan, Buffer.from(JSON.stringify(completion)), 'application/json', completion.usage, startedAt);
      return;
    }
    const usage = estimateChatUsage(ctx.body, counter ? counter.tokens : estimateCompletionTokens(completion));
    this.#store(ctx, plan, bodyWithUsage(completion, usage), 'application/json', usage, startedAt);
  }

  #store(ctx: RequestContext, plan: WritePlan, body: Buffer, contentType: string, usage: Usage | null, startedAt: number): void {
    const { clock } = this.#opts;
    const now = clock.now();
    let costUsd = 0;
    if (usage && this.#opts.costOf) {
      try { costUsd = this.#opts.costOf(ctx, usage); } catch { costUsd = 0; }
    }
    const entry: CacheEntry = {
      key: plan.key, endpoint: plan.endpoint, provider: plan.target.provider, model: plan.target.model,
      namespace: plan.namespace, tenant: plan.tenant, createdAt: now, expiresAt: now + plan.ttlSeconds * 1000,
      contentType, body, size: body.byteLength, hits: 0, lastHitAt: null,
      meta: {
        requestText: requestTextOf(plan.endpoint, ctx.body),
        promptTokens: usage?.prompt_tokens ?? 0,
        completionTokens: usage?.completion_tokens ?? 0,
        usageEstimated: usage?.estimated === true,
        costUsd,
        latencyMs: Math.max(0, Math.round((clock.monotonic() - startedAt) * 1000) / 1000),
      },
    };
    try {
      this.#opts.store(entry, ctx);
      ctx.trace.push({ stage: 'cache', message: `stored for ${plan.ttlSeconds} s`, say: { id: 'cache.stored', vars: { seconds: plan.ttlSeconds } } });
    } catch (err) {
      this.#opts.logger.warn('cache write failed', { error: String((err as Error)?.message ?? err) });
    }
  }
}

function safeParse(body: Buffer): unknown {
  if (body.length > 16 * 1024 * 1024) return null;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return null;
  }
}
