// Builds a pipeline RequestContext for stage tests: a plain chat request to p/m, nothing decided yet.
import type { RequestContext } from '../../src/engine/pipeline/context.ts';

export function requestContext(over: Partial<RequestContext> = {}): RequestContext {
  return {
    id: 'r1', endpoint: 'chat', path: '/v1/chat/completions', method: 'POST', body: {}, headers: {}, tenant: '', client: 'c',
    signal: new AbortController().signal, receivedAt: 0, t0: 0, requestedModel: 'm', stream: false, priority: 'normal', tags: [],
    cacheDirectives: { noRead: false, noStore: false, ttlSeconds: null, namespace: '' },
    targets: [{ provider: 'p', model: 'm' }], timeoutMs: null, cachePolicy: null, trace: [],
    timings: { queueMs: 0, upstreamMs: 0, firstByteMs: null, totalMs: 0 },
    cacheResult: 'miss', cacheKey: null, attempts: 0, served: null, usage: null, costUsd: 0, batchSize: null, notes: {},
    ...over,
  };
}
