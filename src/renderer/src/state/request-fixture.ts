// A request summary with sensible defaults, for tests.
import type { RequestSummary } from '../../../shared/events.ts';

export function req(id: string, ts: number, over: Partial<RequestSummary> = {}): RequestSummary {
  return {
    id, ts, endpoint: 'chat', path: '/v1/chat/completions', method: 'POST', model: 'sim-chat', requestedModel: 'sim-chat', provider: 'simulator',
    status: 200, latencyMs: 100, firstByteMs: 50, stream: false, cache: 'miss', attempts: 1, promptTokens: 10, completionTokens: 5, costUsd: 0,
    errorCode: null, client: 'test', ...over,
  };
}
