// The outermost stage: times the request, follows a stream to its end, and hands one finished
// record to whoever keeps them (request log, live events, metrics, alerts). Costs a few
// microseconds on the way in and nothing per chunk beyond a usage watch.
import type { RequestSummary } from '../../shared/events.ts';
import type { Usage } from '../../shared/openai.ts';
import type { Clock } from '../clock.ts';
import { ServerShuttingDownError, SluiceError, UPSTREAM_REQUEST_ID_HEADER } from '../errors.ts';
import { toSluiceError } from '../http/error-response.ts';
import type { ProxyResult, RequestContext, Stage } from './context.ts';
import { estimateChatUsage } from '../routing/token-estimate.ts';
import { speechUsage } from '../tts/speech-request.ts';
import { SseTextCounter } from './sse-text-count.ts';
import { SseUsageWatcher } from './sse-usage.ts';

/** Answers that cost no upstream call of their own (a coalesced follower shared its leader's). */
export const SERVED_WITHOUT_UPSTREAM: ReadonlySet<string> = new Set(['hit-memory', 'hit-disk', 'hit-semantic', 'stale', 'coalesced']);

export interface FinishedRequest {
  ctx: RequestContext;
  summary: RequestSummary;
  error: SluiceError | null;
  /** What the client was sent (at most BODY_LOG_LIMIT bytes), only while body logging is on. */
  responseBody?: string;
  /** The upstream's id for the answer or error the client was sent, when it gave one (also sent as UPSTREAM_REQUEST_ID_HEADER). */
  upstreamRequestId?: string;
}

/** How a request ended besides its status and error. */
interface Ending { clientClosed?: boolean; responseBody?: string; headers?: Record<string, string> }

/** Bytes of a body kept in the request log when body logging is on. */
export const BODY_LOG_LIMIT = 65_536;

export interface RecordStageOptions {
  clock: Clock;
  onFinished(done: FinishedRequest): void;
  /** Price a request's usage on its served target (USD). */
  costOf?(ctx: RequestContext, usage: Usage): number;
  /** Body logging is on: keep the start of each answer for the request log. */
  logBodies?(): boolean;
}

/** Text of an answer for the log; audio is described, not copied. */
function describeBody(result: ProxyResult, bytes: Buffer): string {
  const type = result.headers['content-type'] ?? '';
  if (type.startsWith('audio/') || type === 'application/octet-stream') return `[${type || 'binary'}: ${result.body?.length ?? bytes.length} bytes]`;
  return bytes.subarray(0, BODY_LOG_LIMIT).toString('utf8');
}

function usageOf(json: unknown): Usage | null {
  const u = (json as { usage?: Usage } | null)?.usage;
  return u && typeof u.prompt_tokens === 'number' ? u : null;
}

export function createRecordStage(opts: RecordStageOptions): Stage {
  const finish = (ctx: RequestContext, status: number, error: SluiceError | null, { clientClosed = false, responseBody, headers }: Ending = {}) => {
    ctx.timings.totalMs = opts.clock.monotonic() - ctx.t0;
    if (ctx.usage && opts.costOf && ctx.served && !SERVED_WITHOUT_UPSTREAM.has(ctx.cacheResult)) {
      ctx.costUsd = opts.costOf(ctx, ctx.usage);
    }
    const summary: RequestSummary = {
      id: ctx.id,
      ts: ctx.receivedAt,
      endpoint: ctx.endpoint,
      path: ctx.path,
      method: ctx.method,
      model: ctx.served?.model ?? ctx.targets[0]?.model ?? ctx.requestedModel,
      requestedModel: ctx.requestedModel,
      provider: ctx.served?.provider ?? ctx.targets[0]?.provider ?? '',
      status,
      latencyMs: Math.round(ctx.timings.totalMs * 1000) / 1000,
      firstByteMs: ctx.timings.firstByteMs === null ? null : Math.round(ctx.timings.firstByteMs * 1000) / 1000,
      stream: ctx.stream,
      cache: ctx.cacheResult,
      attempts: ctx.attempts,
      promptTokens: ctx.usage?.prompt_tokens ?? 0,
      completionTokens: ctx.usage?.completion_tokens ?? 0,
      costUsd: ctx.costUsd,
      errorCode: error ? error.clientCode : clientClosed ? 'client_closed' : null,
      client: ctx.client,
    };
    const done: FinishedRequest = { ctx, summary, error };
    if (responseBody !== undefined) done.responseBody = responseBody;
    const upstreamRequestId = headers?.[UPSTREAM_REQUEST_ID_HEADER];
    if (upstreamRequestId) done.upstreamRequestId = upstreamRequestId;
    opts.onFinished(done);
  };

  return (next) => async (ctx) => {
    let result: ProxyResult;
    try {
      result = await next(ctx);
    } catch (err) {
      const e = toSluiceError(err);
      // aborted by the client leaving, or by the engine shutting down (which the client is told)
      const gone = ctx.signal.aborted && !(ctx.signal.reason instanceof ServerShuttingDownError);
      finish(ctx, gone ? 499 : e.status, e, { clientClosed: gone, headers: e.headers });
      throw err;
    }
    if (!result.stream) {
      if (ctx.endpoint !== 'speech') ctx.usage ??= usageOf(result.json ?? (result.body && result.status < 300 ? safeParse(result.body) : null));
      else if (result.status < 300) ctx.usage ??= speechUsage(ctx.body);
      ctx.timings.firstByteMs ??= opts.clock.monotonic() - ctx.t0;
      // recorded once the answer is on its way: at concurrency 1 the client would otherwise wait for the log row and metrics
      let recorded = false;
      const afterSend = () => {
        if (recorded) return;
        recorded = true;
        finish(ctx, result.status, null, { responseBody: opts.logBodies?.() && result.body ? describeBody(result, result.body) : undefined, headers: result.headers });
      };
      return { ...result, afterSend };
    }
    const source = result.stream;
    const watchUsage = ctx.endpoint === 'chat' && ctx.usage === null;
    // a client that did not ask for stream_options.include_usage gets a stream without usage: estimate it
    const countText = watchUsage && (ctx.body as { stream_options?: { include_usage?: unknown } | null }).stream_options?.include_usage !== true;
    const keep: Buffer[] | null = opts.logBodies?.() ? [] : null;
    let kept = 0;
    async function* observed(): AsyncGenerator<Uint8Array> {
      const watcher = watchUsage ? new SseUsageWatcher() : null;
      const counter = countText ? new SseTextCounter() : null;
      let done = false;
      let error: SluiceError | null = null;
      try {
        for await (const chunk of source) {
          if (ctx.timings.firstByteMs === null) ctx.timings.firstByteMs = opts.clock.monotonic() - ctx.t0;
          watcher?.observe(chunk);
          counter?.observe(chunk);
          if (keep && kept < BODY_LOG_LIMIT) { keep.push(Buffer.from(chunk)); kept += chunk.length; }
          yield chunk;
        }
        done = true;
      } catch (err) {
        error = toSluiceError(err);
        throw err;
      } finally {
        // cut off by the engine shutting down: that is the error the client was sent, whatever became of the upstream call
        if (!done && ctx.signal.reason instanceof ServerShuttingDownError) error = ctx.signal.reason;
        if (watcher?.usage) ctx.usage = watcher.usage;
        else if (counter) {
          ctx.usage = estimateChatUsage(ctx.body, counter.tokens);
          ctx.trace.push({ stage: 'record', message: 'the stream reported no usage (the client did not ask for stream_options.include_usage): tokens and cost are estimated', say: { id: 'record.estimated' } });
        } else if (ctx.endpoint === 'speech' && done && result.status < 300) {
          // speech sent sentence by sentence arrives as a stream: counted in characters, as a whole answer is
          ctx.usage ??= speechUsage(ctx.body);
        }
        finish(ctx, error ? error.status : result.status, error, { clientClosed: !done && !error, responseBody: keep ? describeBody(result, Buffer.concat(keep)) : undefined, headers: result.headers });
      }
    }
    return { ...result, stream: observed() };
  };
}

function safeParse(body: Buffer): unknown {
  if (body.length > 8 * 1024 * 1024) return null;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return null;
  }
}
