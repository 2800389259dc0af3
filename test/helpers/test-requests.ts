// Builds RecordedRequest values for tests and benchmarks.
import type { RecordedRequest } from '../../src/engine/metrics/recorded-request.ts';

let seq = 0;

export function recordedRequest(over: Partial<RecordedRequest> = {}): RecordedRequest {
  return {
    id: `r${seq++}`,
    ts: 0,
    endpoint: 'chat',
    path: '/v1/chat/completions',
    method: 'POST',
    model: 'gpt-4o-mini',
    requestedModel: 'gpt-4o-mini',
    provider: 'openai',
    status: 200,
    latencyMs: 100,
    firstByteMs: null,
    stream: false,
    cache: 'miss',
    attempts: 1,
    promptTokens: 10,
    completionTokens: 5,
    costUsd: 0.001,
    errorCode: null,
    client: 'app',
    ...over,
  };
}
