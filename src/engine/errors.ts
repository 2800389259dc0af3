// Typed errors with stable codes. Branch on `code`, never on the message.
// The HTTP edge turns any SluiceError into OpenAI's error shape; anything else becomes a 500
// with a generic message (never a stack trace).
import type { ErrorIssue } from '../shared/openai.ts';
import type { TraceSaying } from '../shared/trace.ts';

export interface SluiceErrorOptions {
  status?: number;
  type?: string;
  param?: string | null;
  headers?: Record<string, string>;
  cause?: unknown;
}

/** An error code as OpenAI-style clients see it: `SLUICE_BUDGET_EXCEEDED` → `budget_exceeded`. The request log keeps this form too. */
export function wireCode(code: string): string {
  return code.toLowerCase().replace(/^sluice_/, '');
}

export class SluiceError extends Error {
  readonly code: string;
  readonly status: number;
  readonly type: string;
  readonly param: string | null;
  readonly headers: Record<string, string>;
  /** Every problem with its path, when there are several (a refused document); sent as `error.issues`. */
  problems: ErrorIssue[] | null = null;
  /** The message as data (src/shared/trace.ts), for the panel to word in the reader's language; null when it has none. */
  say: TraceSaying | null = null;

  constructor(code: string, message: string, opts: SluiceErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.code = code;
    this.status = opts.status ?? 500;
    this.type = opts.type ?? 'server_error';
    this.param = opts.param ?? null;
    this.headers = opts.headers ?? {};
  }

  /** The `code` a client is told, and the request log keeps: Sluice's own code in wire form unless a subclass passes on another's. */
  get clientCode(): string { return wireCode(this.code); }

  /** The `message` a client is told (redacted at the edge). */
  get clientMessage(): string { return this.message; }
}

export class BadRequestError extends SluiceError {
  constructor(message: string, param: string | null = null, code = 'SLUICE_BAD_REQUEST') {
    super(code, message, { status: 400, type: 'invalid_request_error', param });
  }
}

export class UnauthorizedError extends SluiceError {
  constructor(message = 'Missing or invalid bearer token.') {
    super('SLUICE_UNAUTHORIZED', message, { status: 401, type: 'authentication_error', headers: { 'www-authenticate': 'Bearer' } });
  }
}

export class ForbiddenError extends SluiceError {
  constructor(message: string, code = 'SLUICE_FORBIDDEN') {
    super(code, message, { status: 403, type: 'permission_error' });
  }
}

/**
 * An HTTP/1.1 request with no Host header, which HTTP/1.1 requires (RFC 9112 §3.2): a 400, and the
 * connection closed, as Node's own check would, but in OpenAI's shape and with an x-request-id.
 */
export class MissingHostError extends SluiceError {
  constructor() {
    super('SLUICE_MISSING_HOST', 'The request has no Host header, which HTTP/1.1 requires; send the address Sluice was reached at, such as Host: 127.0.0.1:8640.', {
      status: 400, type: 'invalid_request_error', param: 'host', headers: { connection: 'close' },
    });
  }
}

export class NotFoundError extends SluiceError {
  constructor(message: string, code = 'SLUICE_NOT_FOUND') {
    super(code, message, { status: 404, type: 'invalid_request_error' });
  }
}

/** What the request would change has changed since the client read it (an edit from another window). */
export class ConflictError extends SluiceError {
  constructor(message: string, param: string | null = null, code = 'SLUICE_CONFLICT') {
    super(code, message, { status: 409, type: 'invalid_request_error', param });
  }
}

export class UnknownModelError extends SluiceError {
  /** `hint`: a sentence on what is served here instead, or how to reach more models. */
  constructor(model: string, hint = '') {
    super('SLUICE_MODEL_NOT_FOUND', `The model '${model}' does not exist or no provider serves it.${hint ? ` ${hint}` : ''}`, {
      status: 404, type: 'invalid_request_error', param: 'model',
    });
  }
}

export class MethodNotAllowedError extends SluiceError {
  constructor(method: string, path: string, allowed: string[]) {
    super('SLUICE_METHOD_NOT_ALLOWED', `Method ${method} is not allowed on ${path}; use ${allowed.join(', ')}.`, {
      status: 405, type: 'invalid_request_error', headers: { allow: allowed.join(', ') },
    });
  }
}

export class ClientClosedError extends SluiceError {
  constructor() { super('SLUICE_CLIENT_CLOSED', 'The client closed the connection.', { status: 499 }); }
}

/** Sluice is shutting down and the grace period for requests in flight is over. */
export class ServerShuttingDownError extends SluiceError {
  constructor() {
    super('SLUICE_SERVER_SHUTTING_DOWN', 'Sluice is shutting down and could not finish this request; send it again once Sluice is back.', {
      status: 503, type: 'server_error',
    });
  }
}

export class PayloadTooLargeError extends SluiceError {
  constructor(limitBytes: number) {
    super('SLUICE_PAYLOAD_TOO_LARGE', `Request body exceeds the limit of ${limitBytes} bytes.`, {
      status: 413, type: 'invalid_request_error',
    });
  }
}

export class UnsupportedMediaTypeError extends SluiceError {
  constructor(message: string, param: string | null = null) {
    super('SLUICE_UNSUPPORTED_MEDIA_TYPE', message, { status: 415, type: 'invalid_request_error', param });
  }
}

export class RateLimitedError extends SluiceError {
  constructor(message: string, retryAfterSeconds: number, code = 'SLUICE_RATE_LIMITED') {
    super(code, message, {
      status: 429, type: 'rate_limit_error', headers: { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) },
    });
  }
}

export class BudgetExceededError extends SluiceError {
  constructor(message: string, retryAfterSeconds?: number) {
    super('SLUICE_BUDGET_EXCEEDED', message, {
      status: 429, type: 'insufficient_quota',
      headers: retryAfterSeconds ? { 'retry-after': String(Math.ceil(retryAfterSeconds)) } : {},
    });
  }
}

export class QueueTimeoutError extends SluiceError {
  constructor(message: string, retryAfterSeconds = 1) {
    super('SLUICE_QUEUE_TIMEOUT', message, {
      status: 503, type: 'server_error', headers: { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) },
    });
  }
}

export class ServiceUnavailableError extends SluiceError {
  constructor(message: string, code = 'SLUICE_UNAVAILABLE', retryAfterSeconds?: number) {
    super(code, message, {
      status: 503, type: 'server_error',
      headers: retryAfterSeconds ? { 'retry-after': String(Math.ceil(retryAfterSeconds)) } : {},
    });
  }
}

/** The upstream could not be reached (refused, DNS, reset before a response; after one, see UpstreamConnectionClosedError). */
export class UpstreamUnreachableError extends SluiceError {
  constructor(provider: string, detail: string, cause?: unknown) {
    super('SLUICE_UPSTREAM_UNREACHABLE', `Upstream provider '${provider}' could not be reached: ${detail}`, {
      status: 502, type: 'upstream_error', cause,
    });
  }
}

/** The upstream did not answer (connect, headers or body) in time. */
export class UpstreamTimeoutError extends SluiceError {
  constructor(provider: string, phase: 'connect' | 'headers' | 'body' | 'total', timeoutMs: number) {
    super('SLUICE_UPSTREAM_TIMEOUT', `Upstream provider '${provider}' timed out (${phase}) after ${timeoutMs} ms.`, {
      status: 504, type: 'upstream_error',
    });
  }
}

/** The upstream answered with something that is not what its protocol promises. */
export class UpstreamProtocolError extends SluiceError {
  constructor(provider: string, detail: string) {
    super('SLUICE_UPSTREAM_PROTOCOL', `Upstream provider '${provider}' sent an invalid response: ${detail}`, {
      status: 502, type: 'upstream_error',
    });
  }
}

/** The fields of an OpenAI-shaped error body, `{"error":{"message","type","code","param"}}`. */
export interface OpenAIErrorFields { message: string; type: string; code: string | null; param: string | null }

/**
 * The upstream answered with an HTTP error. Its status is passed through to the client, and so is
 * its error when the body is OpenAI's shape (`message`, `type`, and `code` or `param`): an app that
 * tests `e.code === 'invalid_api_key'` sees the upstream's code. Any other body (HTML, text, other
 * JSON) keeps Sluice's code, `upstream_http`, with the upstream's message after the provider's name.
 */
/**
 * The header that passes the upstream's own request id on to the client (OpenAI's support asks for it),
 * on its answers and on its errors alike.
 */
export const UPSTREAM_REQUEST_ID_HEADER = 'x-sluice-upstream-request-id';

export interface UpstreamHttpErrorOptions {
  /** From the upstream's Retry-After. */
  retryAfterMs?: number | null;
  /** The upstream's id for its answer (its x-request-id or request-id header). */
  requestId?: string | null;
}

export class UpstreamHttpError extends SluiceError {
  readonly upstreamStatus: number;
  readonly retryAfterMs: number | null;
  readonly upstreamBody: string;
  /** The upstream's own error, when its body was OpenAI's shape. */
  readonly upstreamError: OpenAIErrorFields | null;
  readonly upstreamRequestId: string | null;
  /** The upstream's own words, after "answered {status}:" in the message (`HTTP {status}` when it said nothing). */
  readonly upstreamMessage: string;

  constructor(provider: string, status: number, body: string, opts: UpstreamHttpErrorOptions = {}) {
    const upstream = UpstreamHttpError.openAIErrorOf(body);
    const message = upstream?.message ?? UpstreamHttpError.messageOf(body) ?? `HTTP ${status}`;
    const retryAfterMs = opts.retryAfterMs ?? null;
    const headers: Record<string, string> = {};
    if (retryAfterMs !== null) headers['retry-after'] = String(Math.max(1, Math.ceil(retryAfterMs / 1000)));
    if (opts.requestId) headers[UPSTREAM_REQUEST_ID_HEADER] = opts.requestId;
    super('SLUICE_UPSTREAM_HTTP', `Upstream provider '${provider}' answered ${status}: ${message}`, {
      status,
      type: upstream?.type ?? (status === 429 ? 'rate_limit_error' : status >= 500 ? 'upstream_error' : 'invalid_request_error'),
      param: upstream?.param ?? null,
      headers,
    });
    this.upstreamStatus = status;
    this.retryAfterMs = retryAfterMs;
    this.upstreamBody = body.slice(0, 4096);
    this.upstreamError = upstream;
    this.upstreamRequestId = opts.requestId ?? null;
    this.upstreamMessage = message;
  }

  /** The upstream's code when it sent one (a null code stays `upstream_http`, so the log can still tell the error apart). */
  override get clientCode(): string { return this.upstreamError?.code ?? super.clientCode; }

  /** The upstream's message as it wrote it, when its body was OpenAI's shape. */
  override get clientMessage(): string { return this.upstreamError?.message ?? this.message; }

  /** The error of an OpenAI-shaped body, or null. */
  static openAIErrorOf(body: string): OpenAIErrorFields | null {
    let parsed: unknown;
    try { parsed = JSON.parse(body); } catch { return null; }
    const e = (parsed as { error?: unknown } | null)?.error as Record<string, unknown> | null | undefined;
    if (!e || typeof e !== 'object' || typeof e.message !== 'string' || typeof e.type !== 'string' || !e.type) return null;
    if (!('code' in e) && !('param' in e)) return null;
    return {
      message: e.message,
      type: e.type,
      code: typeof e.code === 'string' && e.code ? e.code : null,
      param: typeof e.param === 'string' ? e.param : null,
    };
  }

  static messageOf(body: string): string | null {
    try {
      const parsed = JSON.parse(body) as { error?: { message?: unknown } | string; message?: unknown };
      if (typeof parsed.error === 'string') return parsed.error;
      if (parsed.error && typeof parsed.error.message === 'string') return parsed.error.message;
      if (typeof parsed.message === 'string') return parsed.message;
    } catch { /* not JSON */ }
    const text = body.trim().slice(0, 300);
    return text || null;
  }
}

/** The upstream's connection broke after its answer had started: reset, or closed in the middle of a body. */
export class UpstreamConnectionClosedError extends SluiceError {
  constructor(provider: string, detail: string, cause?: unknown) {
    super('SLUICE_UPSTREAM_CONNECTION_CLOSED', `Upstream provider '${provider}' closed the connection mid-answer: ${detail}`, {
      status: 502, type: 'upstream_error', cause,
    });
  }
}

/** The upstream ended a stream in good order, but before its answer was complete. */
export class UpstreamStreamIncompleteError extends SluiceError {
  constructor(provider: string, detail: string) {
    super('SLUICE_UPSTREAM_STREAM_INCOMPLETE', `Upstream provider '${provider}' ended the stream before the answer was complete (${detail}).`, {
      status: 502, type: 'upstream_error',
    });
  }
}

/**
 * The upstream reported an error inside a stream it had begun (an SSE error event). The event went to
 * the client as the upstream wrote it, so the stream only ends: nothing more is said to the client.
 * The request log keeps the upstream's code, or `upstream_stream_error`.
 */
export class UpstreamStreamErrorEvent extends SluiceError {
  readonly upstreamCode: string | null;

  constructor(provider: string, event: { message: string | null; type: string | null; code: string | null }) {
    super('SLUICE_UPSTREAM_STREAM_ERROR', `Upstream provider '${provider}' reported an error in its stream: ${event.message ?? 'no message'}`, {
      status: 502, type: event.type ?? 'upstream_error',
    });
    this.upstreamCode = event.code;
  }

  override get clientCode(): string { return this.upstreamCode ?? super.clientCode; }
}

/** A failure worth retrying on the same target or falling back to the next one. */
export function isRetryable(err: unknown): boolean {
  if (!(err instanceof SluiceError)) return false;
  if (err instanceof UpstreamHttpError) return err.upstreamStatus === 429 || err.upstreamStatus >= 500 || err.upstreamStatus === 408;
  return err instanceof UpstreamUnreachableError || err instanceof UpstreamTimeoutError || err instanceof UpstreamProtocolError
    || err instanceof UpstreamConnectionClosedError || err instanceof UpstreamStreamIncompleteError;
}

/**
 * The data dir cannot be used: not a folder, not writable (`SLUICE_DATA_DIR_UNUSABLE`), or held by another
 * Sluice (`SLUICE_DATA_DIR_IN_USE`). A start problem the host prints, never an HTTP answer.
 */
export class DataDirError extends SluiceError {
  constructor(code: 'SLUICE_DATA_DIR_UNUSABLE' | 'SLUICE_DATA_DIR_IN_USE', message: string, cause?: unknown) {
    super(code, message, { cause });
  }
}
