// Turning what undici throws into the engine's typed upstream errors.
import { SluiceError, UpstreamConnectionClosedError, UpstreamTimeoutError, UpstreamUnreachableError } from '../errors.ts';

export interface Timeouts { connectMs: number; headersMs: number; bodyMs: number }

/**
 * `phase` 'answer': the upstream's response headers had arrived, so a broken connection is one
 * closed mid-answer, not an upstream that could not be reached.
 */
export function mapUpstreamError(provider: string, err: unknown, timeouts: Timeouts, totalMs?: number, phase: 'request' | 'answer' = 'request'): SluiceError {
  if (err instanceof SluiceError) return err;
  const e = err as { code?: string; name?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = e?.code ?? e?.cause?.code ?? '';
  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT': return new UpstreamTimeoutError(provider, 'connect', timeouts.connectMs);
    case 'UND_ERR_HEADERS_TIMEOUT': return new UpstreamTimeoutError(provider, 'headers', timeouts.headersMs);
    case 'UND_ERR_BODY_TIMEOUT': return new UpstreamTimeoutError(provider, 'body', timeouts.bodyMs);
  }
  if (e?.name === 'TimeoutError') return new UpstreamTimeoutError(provider, 'total', totalMs ?? 0);
  const detail = code ? `${code}${e?.message ? ` (${e.message})` : ''}` : (e?.message ?? String(err));
  // an abort is the caller's doing (every waiter of a shared call left), not the upstream's
  if (phase === 'answer' && e?.name !== 'AbortError') return new UpstreamConnectionClosedError(provider, detail, err);
  return new UpstreamUnreachableError(provider, detail, err);
}

/**
 * The upstream's id for its answer, which its support asks for: OpenAI sends x-request-id, Anthropic
 * request-id. Null when it sent none, or one that is not a plain token (it goes on into a header of ours).
 */
export function upstreamRequestIdOf(headers: Record<string, string | string[] | undefined>): string | null {
  for (const name of ['x-request-id', 'request-id']) {
    const raw = headers[name];
    const v = (Array.isArray(raw) ? raw[0] : raw)?.trim();
    if (v) return /^[\x21-\x7e]{1,200}$/.test(v) ? v : null;
  }
  return null;
}

export function parseRetryAfterMs(value: string | string[] | undefined, now: number): number | null {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return null;
  if (/^\s*\d+(\.\d+)?\s*$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}
