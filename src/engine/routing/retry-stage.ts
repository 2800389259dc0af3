// The retry/fallback stage: tries ctx.targets in order. A retryable failure (connection refused,
// timeout, 429, 5xx, a stream that breaks before its first byte) is retried on the same target with
// backoff (honouring Retry-After) or, when that target is spent or its breaker opens, moves on to the
// next one. An open breaker skips its target only while another one is left: when every target's
// breaker is open, the last one is tried anyway, so a lone provider's real error reaches the client.
// A client error (4xx other than 408/429) is final. Every wait goes through the injected clock and
// ends early when the client goes away. For SSE the first chunk is awaited before the
// answer is committed, so a stream that dies at once still falls back. Attempts are counted as they
// are made, on ctx.attempts and in ctx.notes, which the copies stages make of a context share with it.
// Every failed attempt, final or not, leaves a trace step and counts in timings.upstreamMs.
import { targetKey, type Target } from '../../shared/targets.ts';
import type { Clock, TimerHandle } from '../clock.ts';
import { isRetryable, ServiceUnavailableError, SluiceError, UnknownModelError, UpstreamHttpError, UpstreamProtocolError, UpstreamUnreachableError } from '../errors.ts';
import { redact } from '../logger.ts';
import type { Handler, ProxyResult, RequestContext, Stage, TraceStep } from '../pipeline/context.ts';
import { retryDelay, validateBackoff, type BackoffOptions } from './backoff.ts';
import type { BreakerRegistry } from './circuit-breaker.ts';

export interface AttemptReport {
  target: Target;
  attempt: number;
  ok: boolean;
  /** From the call to its answer (or failure), milliseconds. */
  ms: number;
  error?: unknown;
}

export interface RetryStageOptions {
  clock: Clock;
  random: () => number;
  call: (target: Target, ctx: RequestContext) => Promise<ProxyResult>;
  breakers?: BreakerRegistry;
  backoff: BackoffOptions;
  /** Attempts on one target before moving to the next (≥ 1). */
  attemptsPerTarget: number;
  /** Attempts in total (≥ 1). */
  maxAttempts: number;
  /** Every attempt's outcome (latency EWMA, metrics). */
  onAttempt?: (r: AttemptReport) => void;
}

const ATTEMPTS_NOTE = 'upstreamAttempts';

/**
 * The upstream attempts the retry stage made for a request, read from its notes: also right when a
 * copy of the context made them (the coalesced call) or a later stage reset ctx.attempts (a stale
 * answer). Undefined when the request never reached the retry stage (a cache hit, a coalesced follower).
 */
export function attemptsMade(ctx: Pick<RequestContext, 'notes'>): number | undefined {
  const n = ctx.notes[ATTEMPTS_NOTE];
  return typeof n === 'number' ? n : undefined;
}

function countAttempt(ctx: RequestContext): void {
  ctx.attempts++;
  ctx.notes[ATTEMPTS_NOTE] = ctx.attempts;
}

export function createRetryStage(opts: RetryStageOptions): Stage {
  if (!opts?.clock) throw new TypeError('createRetryStage: clock is required');
  if (typeof opts.call !== 'function') throw new TypeError('createRetryStage: call(target, ctx) is required');
  if (typeof opts.random !== 'function') throw new TypeError('createRetryStage: random is required');
  for (const k of ['attemptsPerTarget', 'maxAttempts'] as const) {
    if (!Number.isInteger(opts[k]) || opts[k] < 1) throw new RangeError(`createRetryStage: ${k} must be a positive integer, got ${opts[k]}`);
  }
  validateBackoff(opts.backoff);
  // The stage ends the chain: it calls the targets itself, so `next` is not used.
  return (_next: Handler) => (ctx) => run(opts, ctx);
}

async function run(o: RetryStageOptions, ctx: RequestContext): Promise<ProxyResult> {
  const targets = ctx.targets;
  if (!targets.length) throw new UnknownModelError(ctx.requestedModel);
  let lastErr: unknown = null;
  let firstStart: number | null = null;
  ctx.attempts = 0;
  ctx.notes[ATTEMPTS_NOTE] = 0;

  outer: for (let ti = 0; ti < targets.length; ti++) {
    const target = targets[ti];
    const key = targetKey(target);
    const more = ti < targets.length - 1;
    for (let a = 1; a <= o.attemptsPerTarget; a++) {
      if (ctx.attempts >= o.maxAttempts) break outer;
      throwIfAborted(ctx.signal);
      let pass = o.breakers?.tryAcquire(key) ?? null;
      if (o.breakers && !pass) {
        // an open breaker moves on to another target; when none is left and none was tried, try it anyway
        const alone = lastErr === null && ctx.attempts === 0 && !more;
        if (!alone) {
          ctx.trace.push({ stage: 'retry', message: `${key}: skipped, breaker open`, target: key, say: { id: 'retry.skipped', vars: { target: key } } });
          continue outer;
        }
        ctx.trace.push({ stage: 'retry', message: `${key}: breaker open, tried anyway (no other target)`, target: key, say: { id: 'retry.triedAnyway', vars: { target: key } } });
        pass = o.breakers.acquireAnyway(key);
      }
      countAttempt(ctx);
      const t0 = o.clock.monotonic();
      firstStart ??= t0;
      try {
        const result = await peekStream(await o.call(target, ctx), target);
        if (pass) o.breakers?.onSuccess(pass);
        o.onAttempt?.({ target, attempt: ctx.attempts, ok: true, ms: o.clock.monotonic() - t0 });
        ctx.served = target;
        ctx.timings.upstreamMs = o.clock.monotonic() - firstStart;
        if (ctx.attempts > 1) ctx.trace.push({ stage: 'retry', message: `${key} answered on attempt ${ctx.attempts}`, target: key, say: { id: 'retry.answered', vars: { target: key, attempt: ctx.attempts } } });
        return result;
      } catch (err) {
        o.onAttempt?.({ target, attempt: ctx.attempts, ok: false, ms: o.clock.monotonic() - t0, error: err });
        // a failed attempt took upstream time too, final or not
        ctx.timings.upstreamMs = o.clock.monotonic() - firstStart;
        if (ctx.signal.aborted) {
          if (pass) o.breakers?.release(pass);
          throw abortError(ctx.signal);
        }
        const { step, error } = failedAttemptStep(key, ctx.attempts, err);
        ctx.trace.push(step);
        if (!isRetryable(err)) {
          if (pass) o.breakers?.release(pass);
          throw err;
        }
        if (pass) {
          o.breakers?.onFailure(pass, err instanceof UpstreamHttpError
            ? { text: error, status: err.upstreamStatus, upstreamMessage: String(redact(err.upstreamMessage)) }
            : { text: error });
        }
        lastErr = err;
        // connection refused: another target is better than waiting for this one
        if (err instanceof UpstreamUnreachableError && more) continue outer;
        if (o.breakers?.isOpen(key)) continue outer;
        if (a >= o.attemptsPerTarget || ctx.attempts >= o.maxAttempts) continue outer;
        const delay = retryDelay(a, err, o.backoff, o.random);
        if (delay === null) {
          ctx.trace.push({ stage: 'retry', message: `${key}: Retry-After longer than ${o.backoff.maxRetryAfterMs} ms, moving on`, target: key, say: { id: 'retry.retryAfter', vars: { target: key, ms: o.backoff.maxRetryAfterMs } } });
          continue outer;
        }
        if (delay > 0) await sleep(o.clock, delay, ctx.signal);
      }
    }
  }
  if (lastErr) {
    if (targets.length > 1) ctx.trace.push({ stage: 'retry', message: `all ${targets.length} targets failed after ${ctx.attempts} attempts`, say: { id: 'retry.allFailed', vars: { targets: targets.length, attempts: ctx.attempts } } });
    throw lastErr;
  }
  throw new ServiceUnavailableError(`Every target for '${ctx.requestedModel}' has its circuit breaker open.`, 'SLUICE_BREAKER_OPEN');
}

/**
 * The trace step of a failed attempt, retried or final (a 4xx too): the upstream's status, its words
 * (redacted, as every message kept is) and its id for the answer, which its support asks for.
 */
function failedAttemptStep(key: string, attempt: number, err: unknown): { step: TraceStep; error: string } {
  const error = String(redact((err as Error)?.message));
  const code = err instanceof SluiceError ? err.code : 'error';
  const status = err instanceof UpstreamHttpError ? err.upstreamStatus : err instanceof SluiceError ? err.status : null;
  const upstreamRequestId = err instanceof UpstreamHttpError ? err.upstreamRequestId : null;
  const step: TraceStep = upstreamRequestId
    ? {
      stage: 'retry', message: `${key} attempt ${attempt} failed: ${error} (upstream request id ${upstreamRequestId})`, target: key, code, status, upstreamRequestId,
      say: { id: 'retry.failedWithId', vars: { target: key, attempt, error, upstreamRequestId } },
    }
    : { stage: 'retry', message: `${key} attempt ${attempt} failed: ${error}`, target: key, code, status, say: { id: 'retry.failed', vars: { target: key, attempt, error } } };
  return { step, error };
}

/** For an SSE answer, wait for its first chunk: a failure before it becomes a retryable error. */
async function peekStream(result: ProxyResult, target: Target): Promise<ProxyResult> {
  const stream = result.stream;
  if (!stream || !String(result.headers['content-type'] ?? '').includes('text/event-stream')) return result;
  const it = stream[Symbol.asyncIterator]();
  let first: IteratorResult<Uint8Array>;
  try {
    first = await it.next();
  } catch (err) {
    await it.return?.().catch(() => {});
    if (err instanceof SluiceError) throw err;
    throw new UpstreamProtocolError(target.provider, `stream failed before its first byte: ${(err as Error)?.message ?? String(err)}`);
  }
  if (first.done) throw new UpstreamProtocolError(target.provider, 'stream ended before its first byte');
  return { ...result, stream: resume(first.value, it) };
}

async function* resume(first: Uint8Array, it: AsyncIterator<Uint8Array>): AsyncGenerator<Uint8Array> {
  let done = false;
  try {
    yield first;
    for (;;) {
      const r = await it.next();
      if (r.done) { done = true; return; }
      yield r.value;
    }
  } finally {
    if (!done) await it.return?.();
  }
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw abortError(signal);
}

function sleep(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    let handle: TimerHandle | null = null;
    const onAbort = () => {
      if (handle !== null) clock.clearTimeout(handle);
      reject(abortError(signal));
    };
    handle = clock.setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
