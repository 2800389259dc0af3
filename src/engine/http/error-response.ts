// The one place errors become HTTP: OpenAI's shape, the right status, never a stack trace.
import type { ServerResponse } from 'node:http';
import type { ErrorIssue, OpenAIErrorBody } from '../../shared/openai.ts';
import { SluiceError } from '../errors.ts';
import { redact } from '../logger.ts';

export function toSluiceError(err: unknown): SluiceError {
  if (err instanceof SluiceError) return err;
  return new SluiceError('SLUICE_INTERNAL', 'Sluice hit an internal error; the request was not completed.', { status: 500 });
}

/**
 * The wire form of an error: an upstream's own error passed on (see UpstreamHttpError) or Sluice's.
 * Redacted: an upstream that echoes a key back must not hand it to the client.
 */
export function errorBody(err: SluiceError): OpenAIErrorBody {
  const body: OpenAIErrorBody = {
    error: { message: redact(err.clientMessage) as string, type: err.type, code: redact(err.clientCode) as string, param: redact(err.param) as string | null },
  };
  if (err.problems?.length) body.error.issues = err.problems.map(issueOnWire);
  return body;
}

/** One problem as sent: its words and the values they name redacted (a key pasted as a name must not come back). */
function issueOnWire(p: ErrorIssue): ErrorIssue {
  const out: ErrorIssue = { param: p.param, message: redact(p.message) as string };
  if (p.code) out.code = p.code;
  if (p.vars) out.vars = Object.fromEntries(Object.entries(p.vars).map(([k, v]) => [k, typeof v === 'string' ? redact(v) as string : v]));
  return out;
}

/**
 * The answer to a request Node's HTTP parser could not read (the 'clientError' event), written
 * straight to the socket: still OpenAI's error shape, 431 for headers over the limit, 408 for a
 * request that never finished arriving, 400 otherwise.
 */
export function unreadableRequestResponse(code: string | undefined, requestId: string): string {
  const [status, reason, message, errCode] =
    code === 'HPE_HEADER_OVERFLOW' ? [431, 'Request Header Fields Too Large', 'The request headers are larger than the server accepts.', 'headers_too_large']
    : code === 'ERR_HTTP_REQUEST_TIMEOUT' ? [408, 'Request Timeout', 'The request did not arrive in time.', 'request_timeout']
    : [400, 'Bad Request', 'The request is not valid HTTP/1.1 and could not be read.', 'malformed_http'];
  const body = JSON.stringify({ error: { message, type: 'invalid_request_error', code: errCode, param: null } });
  return `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json; charset=utf-8\r\nconnection: close\r\nx-request-id: ${requestId}\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

export function sendError(res: ServerResponse, err: unknown, extraHeaders: Record<string, string> = {}): SluiceError {
  const e = toSluiceError(err);
  if (res.headersSent) {
    res.destroy();
    return e;
  }
  const body = JSON.stringify(errorBody(e));
  res.writeHead(e.status, {
    ...extraHeaders,
    ...e.headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  res.end(body);
  return e;
}

export function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}
