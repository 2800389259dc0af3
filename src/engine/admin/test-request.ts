// The panel's "Send a test request": one chat completion through Sluice's own proxy endpoint over
// real HTTP, as an app sends it, with the client token when one is set. The panel holds the admin token
// only; sent from the browser, the request was refused with 401 wherever a client token is required
// (which listening beyond loopback requires).
import type { TestRequestResult } from '../../shared/admin/core-routes.ts';
import { BadRequestError, UpstreamHttpError } from '../errors.ts';

export const TEST_PROMPT = 'Hello from the Sluice control panel. Reply in one short sentence.';

export interface TestRequestOptions {
  /** Sluice's own base URL (http://127.0.0.1:8640). */
  baseUrl: string;
  clientToken: string | undefined;
  model: unknown;
  /** A monotonic clock, ms. */
  now(): number;
}

export async function sendTestRequest(o: TestRequestOptions): Promise<TestRequestResult> {
  if (typeof o.model !== 'string' || !o.model) throw new BadRequestError('model: expected a model name', 'model');
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-sluice-client': 'panel' };
  if (o.clientToken) headers.authorization = `Bearer ${o.clientToken}`;
  const started = o.now();
  const res = await fetch(`${o.baseUrl}/v1/chat/completions`, {
    method: 'POST', headers,
    body: JSON.stringify({ model: o.model, messages: [{ role: 'user', content: TEST_PROMPT }], temperature: 0 }),
  });
  const text = await res.text();
  const latencyMs = o.now() - started;
  const header = (name: string) => res.headers.get(name);
  let error: TestRequestResult['error'] = null;
  if (!res.ok) {
    // Sluice's own answer, in OpenAI's error shape; anything else is said by its status
    const e = UpstreamHttpError.openAIErrorOf(text);
    error = { message: e?.message ?? `HTTP ${res.status}`, code: e?.code ?? null };
  }
  return {
    status: res.status, latencyMs, requestId: header('x-request-id'), provider: header('x-sluice-provider'), model: header('x-sluice-model'),
    cache: header('x-sluice-cache'), error,
  };
}
