// The cache stage: keys the request on its resolved target (ctx.targets[0]), answers a fresh entry
// at once (memory, then disk, then the semantic cache when one is plugged in), replaying it as SSE
// when the client asked for a stream; otherwise plans the write of the upstream answer (done by
// the CacheWriter inside the coalesced call), and serves an expired entry when the upstream fails.
// A chat entry stored without usage by an older version gets an estimate as it is served (cache-usage.ts).
import type { SluiceConfig } from '../../shared/config.ts';
import type { Target } from '../../shared/targets.ts';
import type { ChatCompletion, Usage } from '../../shared/openai.ts';
import type { Clock } from '../clock.ts';
import type { Logger } from '../logger.ts';
import type { ProxyResult, RequestContext, Stage } from '../pipeline/context.ts';
import { SSE_HEADERS } from '../pipeline/provider-call.ts';
import type { CacheEntry } from './cache-entry.ts';
import { cacheKey, isDeterministic } from './cache-key.ts';
import { resolveCachePolicy, type EffectiveCachePolicy } from './cache-policy.ts';
import { lacksUsage, withEstimatedUsage } from './cache-usage.ts';
import type { CacheWriter } from './cache-writer.ts';
import { replayStream } from './stream-replay.ts';
import type { TieredCache } from './tiered-cache.ts';

/** The optional semantic cache, called only when present. */
export interface SemanticHooks {
  /** On an exact miss: a similar enough cached answer, or null. */
  lookup(ctx: RequestContext): Promise<{ entry: CacheEntry; similarity: number } | null>;
  /** After an entry was stored. */
  onStored(ctx: RequestContext, entry: CacheEntry): void;
  /** After entries were deleted or cleared. */
  onDeleted(keys: readonly string[] | 'all'): void;
}

export interface CacheStageOptions {
  cache: TieredCache;
  writer: CacheWriter;
  clock: Clock;
  config(): SluiceConfig;
  semantic?(): SemanticHooks | undefined;
  logger?: Logger;
  /** Told when an expired entry is served because the upstream failed. */
  onStale?(ctx: RequestContext): void;
  /** Told when the semantic cache answered an exact miss, with the entry it answered with. */
  onSemanticHit?(entry: CacheEntry): void;
  /** Price of a usage on the request's served target, for the estimate given to an entry without usage. */
  costOf?(ctx: RequestContext, usage: Usage): number;
}

function saved(ctx: RequestContext, entry: CacheEntry): void {
  ctx.notes.savedCostUsd = entry.meta.costUsd;
  ctx.notes.savedTokens = entry.meta.promptTokens + entry.meta.completionTokens;
  ctx.notes.savedLatencyMs = entry.meta.latencyMs;
}

/** The answer a cached entry gives this request: its bytes, or an SSE replay for a streamed chat request. */
export function answerFrom(ctx: RequestContext, entry: CacheEntry, headers: Record<string, string>): ProxyResult {
  ctx.served = { provider: entry.provider, model: entry.model };
  ctx.attempts = 0;
  if (entry.endpoint !== 'speech' && (entry.meta.promptTokens || entry.meta.completionTokens)) {
    ctx.usage = { prompt_tokens: entry.meta.promptTokens, completion_tokens: entry.meta.completionTokens, total_tokens: entry.meta.promptTokens + entry.meta.completionTokens };
    if (entry.meta.usageEstimated) ctx.usage.estimated = true;
  }
  saved(ctx, entry);
  if (ctx.stream && entry.endpoint === 'chat') {
    const completion = JSON.parse(entry.body.toString('utf8')) as ChatCompletion;
    const includeUsage = (ctx.body as { stream_options?: { include_usage?: unknown } | null }).stream_options?.include_usage === true;
    return { status: 200, headers: { ...SSE_HEADERS, ...headers }, stream: replayStream(completion, { includeUsage }) };
  }
  return { status: 200, headers: { 'content-type': entry.contentType, ...headers }, body: entry.body };
}

export function createCacheStage(opts: CacheStageOptions): Stage {
  if (!opts?.cache || !opts.writer || !opts.clock || typeof opts.config !== 'function') {
    throw new TypeError('createCacheStage: cache, writer, clock and config are required');
  }
  const { cache, writer, clock } = opts;
  /**
   * The entry to answer with: as found, or for a chat entry without usage (stored by an older version)
   * with an estimate, written back unless it answers another question (a semantic hit) than the one it was stored for.
   */
  const withUsage = (ctx: RequestContext, entry: CacheEntry, writeBack: boolean): CacheEntry => {
    if (!lacksUsage(entry)) return entry; // nearly every hit: nothing to build
    const served = { ...ctx, served: { provider: entry.provider, model: entry.model } };
    const estimated = withEstimatedUsage(entry, ctx.body, opts.costOf && ((usage) => opts.costOf!(served, usage)));
    if (!estimated) return entry;
    if (writeBack) {
      try {
        cache.set(estimated);
      } catch (err) {
        opts.logger?.warn('cache write failed', { error: String((err as Error)?.message ?? err) });
      }
    }
    return estimated;
  };
  // The cache is disposable: a tier that fails a read is a miss, never a failed request.
  const lookup = <T>(fn: () => T | undefined): T | undefined => {
    try {
      return fn();
    } catch (err) {
      opts.logger?.warn('cache read failed; treated as a miss', { error: String((err as Error)?.message ?? err) });
      return undefined;
    }
  };
  return (next) => {
    const cached = async (ctx: RequestContext, target: Target, cfg: SluiceConfig['cache'], policy: EffectiveCachePolicy): Promise<ProxyResult> => {
      const d = ctx.cacheDirectives;
      const key = cacheKey({ endpoint: ctx.endpoint, target, body: ctx.body, tenant: ctx.tenant, namespace: d.namespace });
      ctx.cacheKey = key;
      if (d.noRead) {
        ctx.cacheResult = 'refresh';
      } else {
        const found = lookup(() => cache.get(key));
        if (found) {
          ctx.cacheResult = found.tier === 'memory' ? 'hit-memory' : 'hit-disk';
          return answerFrom(ctx, withUsage(ctx, found.entry, true), { age: String(found.ageSeconds) });
        }
        const semantic = opts.semantic?.();
        if (semantic) {
          const similar = await semantic.lookup(ctx);
          if (similar) {
            ctx.cacheResult = 'hit-semantic';
            opts.onSemanticHit?.(similar.entry);
            const age = Math.max(0, Math.floor((clock.now() - similar.entry.createdAt) / 1000));
            return answerFrom(ctx, withUsage(ctx, similar.entry, false), { age: String(age), 'x-sluice-similarity': similar.similarity.toFixed(4) });
          }
        }
        ctx.cacheResult = 'miss';
      }
      if (policy.ttlSeconds > 0) {
        writer.plan(ctx, { key, endpoint: ctx.endpoint, target, namespace: d.namespace, tenant: ctx.tenant, ttlSeconds: policy.ttlSeconds });
      }
      try {
        return await next(ctx);
      } catch (err) {
        if (!cfg.serveStale || ctx.signal.aborted) throw err;
        const stale = lookup(() => cache.stale(key));
        if (!stale || clock.now() - stale.entry.expiresAt > cfg.staleMaxSeconds * 1000) throw err;
        ctx.cacheResult = 'stale';
        const code = (err as { code?: string })?.code ?? 'error';
        ctx.trace.push({ stage: 'cache', message: `upstream failed (${code}); served an expired entry`, say: { id: 'cache.stale', vars: { code } } });
        opts.onStale?.(ctx);
        return answerFrom(ctx, withUsage(ctx, stale.entry, true), { age: String(stale.ageSeconds), warning: '110 - "Response is Stale"' });
      }
    };
    // a request the cache does not take passes straight on, without an async frame of this stage's own
    return (ctx) => {
      const target = ctx.targets[0];
      if (!target) return next(ctx);
      const cfg = opts.config().cache;
      const d = ctx.cacheDirectives;
      const policy = resolveCachePolicy(cfg, ctx.requestedModel, ctx.cachePolicy, d.ttlSeconds);
      if (d.noStore || !policy.enabled || (policy.mode === 'deterministic' && !isDeterministic(ctx.body, ctx.endpoint))) {
        ctx.cacheResult = 'bypass';
        ctx.trace.push(d.noStore ? { stage: 'cache', message: 'bypass: no-store', say: { id: 'cache.bypass.noStore' } }
        : !policy.enabled ? { stage: 'cache', message: 'bypass: caching off for this request', say: { id: 'cache.bypass.off' } }
        : { stage: 'cache', message: 'bypass: not deterministic', say: { id: 'cache.bypass.nondeterministic' } });
        return next(ctx);
      }
      return cached(ctx, target, cfg, policy);
    };
  };
}
