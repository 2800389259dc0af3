// CORS for the OpenAI-compatible API: a page served from this machine (an app under development at
// http://localhost:3000) may call it with fetch or OpenAI's SDK. The browser asks first (a preflight
// OPTIONS) and then reads the answer only if it names the page's origin. Pages of other sites stay
// refused (guards.ts), and the admin API grants no CORS at all: its one page, the panel, is served
// from Sluice's own origin.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { assertLocalOrigin, isLocalOrigin } from './guards.ts';

/** The root paths of the OpenAI-compatible API for clients whose base URL has no `/v1`. */
const ROOT_API_PATHS = new Set(['/chat/completions', '/embeddings', '/models']);

/** Paths a page on this machine may call cross-origin: the OpenAI-compatible API under each base URL it is served at. */
export function grantsCors(pathname: string): boolean {
  return /^\/(v1|llm|tts)(\/|$)/.test(pathname) || ROOT_API_PATHS.has(pathname.replace(/\/+$/, ''));
}

const ALLOWED_METHODS = 'GET, HEAD, POST';

/**
 * The answer headers a page's script may read besides the safelisted ones: Sluice's (the README's
 * "Headers Sluice adds") and those passed on from OpenAI-compatible upstreams. OpenAI's SDK reads
 * x-request-id and retry-after.
 */
export const EXPOSED_HEADERS = [
  'x-request-id', 'x-sluice-provider', 'x-sluice-model', 'x-sluice-attempts', 'x-sluice-cache', 'x-sluice-similarity',
  'x-sluice-batch', 'x-sluice-sentences', 'x-sluice-sentence-hits', 'x-sluice-wav-sizes', 'x-sluice-response-format',
  'x-sluice-upstream-request-id',
  'age', 'warning', 'retry-after', 'allow', 'www-authenticate',
  'openai-processing-ms', 'openai-model', 'x-ratelimit-remaining-requests', 'x-ratelimit-remaining-tokens',
].join(', ');

/** Chromium's cap: the preflight is asked again at most every two hours. Each request's Origin is still checked. */
const MAX_AGE_SECONDS = '7200';

const TOKEN = /^[!#$%&'*+.^_`|~0-9a-z-]+$/i;

/**
 * The headers a preflight asks to send, granted as asked: a page on this machine is trusted as far as
 * any other client here (SDKs send authorization, content-type, x-stainless-*, openai-organization,
 * openai-project; Sluice reads x-sluice-*). Only well-formed names are repeated back.
 */
function requestedHeaders(value: string | string[] | undefined): string {
  const list = Array.isArray(value) ? value.join(',') : value ?? '';
  return list.split(',').map((h) => h.trim().toLowerCase()).filter((h) => TOKEN.test(h)).join(', ');
}

/**
 * For a path where grantsCors() holds: answers a browser's preflight (true: the request is done), or
 * sets the headers that let a page on this machine read the answer to come, whatever it turns out to
 * be (a stream, an error). A preflight from another site's page is refused like its request would be:
 * 403 forbidden_origin, with no permission in it.
 */
export function applyCors(req: IncomingMessage, res: ServerResponse, allowedHosts: ReadonlySet<string>): boolean {
  res.setHeader('vary', 'Origin');
  const origin = req.headers.origin;
  if (origin === undefined) return false;
  if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) {
    assertLocalOrigin(req.headers, allowedHosts);
    const headers = requestedHeaders(req.headers['access-control-request-headers']);
    res.writeHead(204, {
      'access-control-allow-origin': origin,
      'access-control-allow-methods': ALLOWED_METHODS,
      ...(headers ? { 'access-control-allow-headers': headers } : {}),
      'access-control-max-age': MAX_AGE_SECONDS,
      vary: 'Origin, Access-Control-Request-Headers',
    });
    res.end();
    return true;
  }
  if (isLocalOrigin(origin, allowedHosts)) {
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('access-control-expose-headers', EXPOSED_HEADERS);
  }
  return false;
}
