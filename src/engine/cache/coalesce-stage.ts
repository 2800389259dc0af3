// The coalesce stage: identical requests in flight at the same moment share one upstream call.
// Requests are identical when their cache keys are (set by the cache stage) and they want the same
// shape of answer (plain, or a stream with or without a usage chunk). Followers are marked
// `coalesced`; streamed followers get what they missed first, then chunks as they arrive. The
// upstream call runs with the flight's own signal, so it carries on while anyone still waits; the
// cache capture sits inside it for the same reason.
import type { Usage } from '../../shared/openai.ts';
import type { Target } from '../../shared/targets.ts';
import type { Clock } from '../clock.ts';
import { Coalescer } from '../batching/coalescer.ts';
import type { ProxyResult, RequestContext, Stage } from '../pipeline/context.ts';

/** What every waiter of a flight shares besides the body stream. */
export interface SharedHead {
  result: Omit<ProxyResult, 'stream'>;
  served: Target | null;
  attempts: number;
  batchSize: number | null;
  usage: Usage | null;
}

export interface CoalesceStageOptions {
  clock: Clock;
  coalescer?: Coalescer<SharedHead>;
  /** Wraps the leader's answer inside the shared call (the cache writer). */
  capture?(ctx: RequestContext, result: ProxyResult, startedAt: number): ProxyResult;
  /** Told about every follower (for statistics). */
  onCoalesced?(ctx: RequestContext): void;
  /**
   * False for a request that may not go upstream itself (a refusing budget holds it): it may still
   * share a call already in flight, which costs nothing more, but it never starts one, or its
   * refusal would become the answer of every identical request that joined it meanwhile.
   */
  mayLead?(ctx: RequestContext): boolean;
}

export function flightKeyOf(ctx: RequestContext): string | null {
  if (!ctx.cacheKey) return null;
  if (!ctx.stream) return `${ctx.cacheKey}|plain`;
  const usage = (ctx.body as { stream_options?: { include_usage?: unknown } | null }).stream_options?.include_usage === true;
  return `${ctx.cacheKey}|sse${usage ? '+usage' : ''}`;
}

export function createCoalesceStage(opts: CoalesceStageOptions): Stage {
  if (!opts?.clock) throw new TypeError('createCoalesceStage: clock is required');
  const coalescer = opts.coalescer ?? new Coalescer<SharedHead>();
  return (next) => {
    const share = async (ctx: RequestContext, flightKey: string): Promise<ProxyResult> => {
      if (opts.mayLead && !coalescer.has(flightKey) && !opts.mayLead(ctx)) return next(ctx);
      const shared = await coalescer.run(flightKey, ctx.signal, async (signal) => {
        // The upstream call answers to the flight, not to the first client's connection.
        const upstreamCtx: RequestContext = { ...ctx, signal };
        const startedAt = opts.clock.monotonic();
        const raw = await next(upstreamCtx);
        ctx.served = upstreamCtx.served;
        ctx.attempts = upstreamCtx.attempts;
        ctx.batchSize = upstreamCtx.batchSize;
        ctx.timeoutMs = upstreamCtx.timeoutMs;
        if (upstreamCtx.usage) ctx.usage = upstreamCtx.usage;
        const captured = opts.capture ? opts.capture(ctx, raw, startedAt) : raw;
        const { stream, ...result } = captured;
        return {
          head: { result, served: upstreamCtx.served, attempts: upstreamCtx.attempts, batchSize: upstreamCtx.batchSize, usage: upstreamCtx.usage },
          stream,
        };
      });
      if (shared.coalesced) {
        ctx.cacheResult = 'coalesced';
        ctx.served = shared.head.served;
        ctx.attempts = 0;
        ctx.batchSize = shared.head.batchSize;
        ctx.trace.push({ stage: 'coalesce', message: 'shared an identical request already in flight', say: { id: 'coalesce.shared' } });
        opts.onCoalesced?.(ctx);
      }
      const result: ProxyResult = { ...shared.head.result, headers: { ...shared.head.result.headers } };
      if (shared.stream) result.stream = shared.stream;
      return result;
    };
    // every other request passes straight on, without an async frame of this stage's own
    return (ctx) => {
      const flightKey = flightKeyOf(ctx);
      return flightKey === null ? next(ctx) : share(ctx, flightKey);
    };
  };
}
