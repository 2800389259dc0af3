// The one place errors become HTTP: OpenAI's shape, the right status, never a stack trace.
import type { ServerResponse } from 'node:http';
import type { OpenAIErrorBody } from '../../shared/openai.ts';
import { SluiceError } from '../errors.ts';
import { redact } from '../logger.ts';

export function toSluiceError(err: unknown): SluiceError {
  if (err instanceof SluiceError) return err;
  return new SluiceError('SLUICE_INTERNAL', 'Sluice hit an internal error; the request was not completed.', { status: 500 });
}

/** The wire form of an error. The message is redacted: an upstream that echoes a key back must not hand it to the client. */
export function errorBody(err: SluiceError): OpenAIErrorBody {
  const body: OpenAIErrorBody = { error: { message: redact(err.message) as string, type: err.type, code: err.code.toLowerCase().replace(/^sluice_/, ''), param: err.param } };
  if (err.problems?.length) body.error.issues = err.problems.map((p) => ({ param: p.param, message: redact(p.message) as string }));
  return body;
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
