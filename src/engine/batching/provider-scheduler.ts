// Every upstream call passes here (the engine's `wrapCall`): a slot at its provider from the
// PriorityScheduler, whose limit is the provider's AdaptiveLimiter capped by its `maxConnections`.
// Under the limit with nobody waiting, taking a slot is synchronous (no promise, no timer). How the
// call ended feeds the limiter: 429/503 and timeouts cut it, quick answers let it grow. A streamed
// answer holds its slot until the stream ends (or the client leaves).
import type { LimiterConfig, SchedulerConfig, SchedulerProviderStats } from '../../shared/scheduling.ts';
import type { Clock } from '../clock.ts';
import { UpstreamHttpError, UpstreamTimeoutError } from '../errors.ts';
import type { ProxyResult } from '../pipeline/context.ts';
import type { CallTarget } from '../pipeline/provider-call.ts';
import { AdaptiveLimiterSet, type LimiterOutcome } from './adaptive-limiter.ts';
import { PriorityScheduler, type Release } from './priority-scheduler.ts';

export interface ProviderSchedulerOptions {
  clock: Clock;
  scheduler: SchedulerConfig;
  limiter: LimiterConfig;
  /** The provider's configured `maxConnections` (an upper bound on its limit), if any. */
  maxConnections: (provider: string) => number | undefined;
}

/** What a failed call says about the provider's capacity. */
export function outcomeOf(err: unknown, signal: AbortSignal): LimiterOutcome {
  if (signal.aborted) return 'ignore';
  if (err instanceof UpstreamTimeoutError) return 'overload';
  if (err instanceof UpstreamHttpError && (err.upstreamStatus === 429 || err.upstreamStatus === 503)) return 'overload';
  return 'ignore';
}

export class ProviderScheduler {
  #clock: Clock;
  #enabled: boolean;
  #limiterEnabled: boolean;
  #staticLimit: number;
  #maxConnections: (provider: string) => number | undefined;
  #limiters: AdaptiveLimiterSet;
  #queue: PriorityScheduler;

  constructor(opts: ProviderSchedulerOptions) {
    if (!opts?.clock) throw new TypeError("ProviderScheduler: 'clock' is required.");
    if (!opts.scheduler || !opts.limiter) throw new TypeError("ProviderScheduler: 'scheduler' and 'limiter' configs are required.");
    if (typeof opts.maxConnections !== 'function') throw new TypeError("ProviderScheduler: 'maxConnections' must be a function of the provider id.");
    this.#clock = opts.clock;
    this.#enabled = opts.scheduler.enabled;
    this.#limiterEnabled = opts.limiter.enabled;
    this.#staticLimit = opts.limiter.maxLimit;
    this.#maxConnections = opts.maxConnections;
    const { enabled: _e, ...limiter } = opts.limiter;
    this.#limiters = new AdaptiveLimiterSet({ clock: opts.clock, config: limiter });
    this.#queue = new PriorityScheduler({
      clock: opts.clock,
      limit: (p) => this.limitOf(p),
      onRelease: (p, sample) => { if (this.#limiterEnabled) this.#limiters.get(p, this.#maxConnections(p)).record(sample); },
      queueTimeoutMs: opts.scheduler.queueTimeoutMs,
      maxQueueDepth: opts.scheduler.maxQueueDepth,
      agingMs: opts.scheduler.agingMs,
    });
  }

  /** Calls allowed at once for `provider` right now. */
  limitOf(provider: string): number {
    const cap = this.#maxConnections(provider);
    const limit = this.#limiterEnabled ? this.#limiters.get(provider, cap).limit : this.#staticLimit;
    return cap !== undefined && cap < limit ? cap : limit;
  }

  /** Wrap the upstream call: queue, limit, and feed the limiter. */
  wrap(call: CallTarget): CallTarget {
    if (!this.#enabled) return call;
    const clock = this.#clock;
    return async (target, ctx) => {
      let release: Release | null = this.#queue.tryAcquire(target.provider);
      if (release === null) {
        const t = clock.monotonic();
        try {
          release = await this.#queue.acquire(target.provider, ctx.priority, ctx.signal);
        } finally {
          const waited = clock.monotonic() - t;
          ctx.timings.queueMs += waited;
          ctx.trace.push({
            stage: 'scheduler', message: `waited ${Math.round(waited)} ms for a slot at provider '${target.provider}' (${ctx.priority} priority)`,
            say: { id: 'scheduler.waited', vars: { ms: Math.round(waited), provider: target.provider, priority: ctx.priority } },
          });
        }
      }
      const grantedAt = ctx.stream ? clock.monotonic() : 0;
      let result: ProxyResult;
      try {
        result = await call(target, ctx);
      } catch (err) {
        release(outcomeOf(err, ctx.signal));
        throw err;
      }
      if (!result.stream) {
        // a complete chat answer takes as long as it is long: no latency signal in it
        release(ctx.endpoint === 'chat' ? 'success-unmeasured' : 'success', ctx.endpoint);
        return result;
      }
      // The limiter learns from the time to the stream's headers; the stream's length says nothing.
      if (this.#limiterEnabled) this.#limiters.get(target.provider, this.#maxConnections(target.provider)).record({ startedAt: grantedAt, outcome: 'success', kind: `${ctx.endpoint}:stream` });
      return { ...result, stream: this.#holdWhileStreaming(result.stream, release, ctx.signal) };
    };
  }

  stats(): SchedulerProviderStats[] {
    return this.#queue.stats().map((q) => {
      const l = this.#limiterEnabled ? this.#limiters.get(q.provider, this.#maxConnections(q.provider)).stats() : null;
      return {
        provider: q.provider, limit: q.limit, inFlight: q.inFlight, queued: q.queued,
        decreases: l?.decreases ?? 0, minLatencyMs: l?.minLatencyMs ?? null, smoothedLatencyMs: l?.smoothedLatencyMs ?? null,
      };
    });
  }

  /** Keep the slot until the stream is done (already counted as a success at its headers). */
  #holdWhileStreaming(source: AsyncIterable<Uint8Array>, release: Release, signal: AbortSignal): AsyncIterable<Uint8Array> {
    const onAbort = () => release('ignore');
    signal.addEventListener('abort', onAbort, { once: true });
    return (async function* held() {
      try {
        yield* source;
      } finally {
        signal.removeEventListener('abort', onAbort);
        release('ignore');
      }
    })();
  }
}
