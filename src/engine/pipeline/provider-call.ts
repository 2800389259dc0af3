// The last step: ask one target's adapter, and shape its answer as a ProxyResult.
import type { Endpoint, Target } from '../../shared/targets.ts';
import { BadRequestError, UnknownModelError, UPSTREAM_REQUEST_ID_HEADER, type SluiceError } from '../errors.ts';
import type { ProviderRegistry } from '../providers/registry.ts';
import type { UpstreamResponse } from '../providers/provider.ts';
import type { Handler, ProxyResult, RequestContext } from './context.ts';

export const SSE_HEADERS: Record<string, string> = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  'x-accel-buffering': 'no',
};

/** The answer as the pipeline passes it on, with the upstream's id for it (see UPSTREAM_REQUEST_ID_HEADER) when it gave one. */
export function toProxyResult(res: UpstreamResponse): ProxyResult {
  const b = res.body;
  const id: Record<string, string> = res.headers['x-request-id'] ? { [UPSTREAM_REQUEST_ID_HEADER]: res.headers['x-request-id'] } : {};
  switch (b.kind) {
    case 'json': return { status: res.status, headers: { 'content-type': 'application/json', ...id }, body: b.bytes, json: b.json };
    case 'sse': return { status: res.status, headers: { ...SSE_HEADERS, ...id }, stream: b.stream };
    case 'audio': return { status: res.status, headers: { 'content-type': b.contentType, ...id }, body: b.bytes };
  }
}

export type CallTarget = (target: Target, ctx: RequestContext) => Promise<ProxyResult>;

/** The body a target's adapter is given: the request's, with the target's model. */
export const targetBody = <B extends object>(body: B, target: Target): B & { model: string } => ({ ...body, model: target.model });

/**
 * The 400 a target's provider gives this request before calling anyone (its adapter's own check, as its
 * call makes it), or null; at once (no promise) for the providers that check nothing.
 */
export function targetRefusal(registry: ProviderRegistry, target: Target, endpoint: Endpoint, body: Record<string, unknown>): SluiceError | null | Promise<SluiceError | null> {
  const adapter = registry.get(target.provider);
  return adapter?.refuses ? adapter.refuses(endpoint, targetBody(body, target)) : null;
}

export function createProviderCall(registry: ProviderRegistry): CallTarget {
  return async (target, ctx) => {
    const adapter = registry.get(target.provider);
    if (!adapter) throw new UnknownModelError(`${target.provider}/${target.model}`);
    const body = targetBody(ctx.body, target);
    const callCtx = { signal: ctx.signal, requestId: ctx.id, timeoutMs: ctx.timeoutMs ?? undefined };
    let res: UpstreamResponse;
    switch (ctx.endpoint) {
      case 'chat':
        if (!adapter.chat) throw new BadRequestError(`Provider '${adapter.id}' does not serve chat completions.`, 'model');
        res = await adapter.chat(body, callCtx);
        break;
      case 'embeddings':
        if (!adapter.embeddings) throw new BadRequestError(`Provider '${adapter.id}' does not serve embeddings.`, 'model');
        res = await adapter.embeddings(body, callCtx);
        break;
      case 'speech':
        if (!adapter.speech) throw new BadRequestError(`Provider '${adapter.id}' does not serve speech.`, 'model');
        res = await adapter.speech(body, callCtx);
        break;
    }
    return toProxyResult(res);
  };
}

/** Terminal handler that tries only the first target (the retry/fallback stage replaces it when routing is on). */
export function singleTargetHandler(call: CallTarget): Handler {
  return async (ctx) => {
    const target = ctx.targets[0];
    if (!target) throw new UnknownModelError(ctx.requestedModel);
    const t = performance.now();
    ctx.attempts = 1;
    try {
      const result = await call(target, ctx);
      ctx.served = target;
      return result;
    } finally {
      // a failed call took upstream time too
      ctx.timings.upstreamMs = performance.now() - t;
    }
  };
}
