// Who may talk to Sluice: loopback Host names only (DNS-rebinding guard), no cross-origin browser
// calls to the admin API, bearer tokens compared in constant time.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { ForbiddenError, MissingHostError, UnauthorizedError } from '../errors.ts';

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export function hostName(hostHeader: string): string {
  const h = hostHeader.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  const colon = h.lastIndexOf(':');
  return colon >= 0 ? h.slice(0, colon) : h;
}

export function isAllowedHost(hostHeader: string | undefined, allowed: ReadonlySet<string>): boolean {
  if (!hostHeader) return false;
  const name = hostName(hostHeader);
  return LOOPBACK_NAMES.has(name) || name.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(name) || allowed.has(name);
}

/** `httpVersion` as Node reads it ('1.1', '1.0'): HTTP/1.0 may leave Host out, and is refused by the guard like a foreign name. */
export function assertAllowedHost(headers: IncomingHttpHeaders, allowed: ReadonlySet<string>, httpVersion = '1.1'): void {
  if (headers.host === undefined) {
    if (httpVersion !== '1.0') throw new MissingHostError();
    throw new ForbiddenError('The request has no Host header; Sluice answers only requests that name it by a loopback name (DNS-rebinding guard).', 'SLUICE_FORBIDDEN_HOST');
  }
  if (!isAllowedHost(headers.host, allowed)) {
    throw new ForbiddenError(`Host '${headers.host}' is not allowed; Sluice answers loopback names only (DNS-rebinding guard).`, 'SLUICE_FORBIDDEN_HOST');
  }
}

/**
 * Browsers send Origin on cross-origin requests. The admin API accepts only its own origin
 * (the panel at /ui) — or no Origin at all (curl, SDKs, the Electron window loading /ui).
 */
export function assertSameOrigin(headers: IncomingHttpHeaders, allowed: ReadonlySet<string>): void {
  const origin = headers.origin;
  if (origin === undefined) return;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    throw new ForbiddenError('Cross-origin requests to the admin API are refused.', 'SLUICE_FORBIDDEN_ORIGIN');
  }
  const sameHost = headers.host !== undefined && url.host.toLowerCase() === headers.host.toLowerCase();
  if (!sameHost || !isAllowedHost(url.host, allowed)) {
    throw new ForbiddenError('Cross-origin requests to the admin API are refused.', 'SLUICE_FORBIDDEN_ORIGIN');
  }
}

/**
 * The proxy endpoints take a browser's request only from a page served on this machine (any port:
 * an app under development at http://localhost:3000). A page from anywhere else could otherwise
 * make blind "simple" POSTs that spend the user's upstream keys.
 */
export function assertLocalOrigin(headers: IncomingHttpHeaders, allowed: ReadonlySet<string>): void {
  const origin = headers.origin;
  if (origin !== undefined && !isLocalOrigin(origin, allowed)) {
    throw new ForbiddenError(`Requests from web pages of other sites are refused (Origin ${origin.slice(0, 100)}); only pages served from this machine may call Sluice.`, 'SLUICE_FORBIDDEN_ORIGIN');
  }
}

/** An Origin naming a page served from this machine (loopback, or a name the Host guard takes). */
export function isLocalOrigin(origin: string, allowed: ReadonlySet<string>): boolean {
  let host = '';
  try {
    host = new URL(origin).host;
  } catch { /* 'null' (a file or sandboxed page) or garbage: not local */ }
  return host !== '' && isAllowedHost(host, allowed);
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Constant-time comparison (hashing first makes lengths equal). */
export function tokenMatches(presented: string | undefined, expected: string): boolean {
  if (!presented) return false;
  return timingSafeEqual(digest(presented), digest(expected));
}

export function bearerOf(headers: IncomingHttpHeaders): string | undefined {
  const auth = headers.authorization;
  if (typeof auth !== 'string') return undefined;
  const m = /^Bearer\s+(.+)$/i.exec(auth.trim());
  return m ? m[1].trim() : undefined;
}

export function assertBearer(headers: IncomingHttpHeaders, expected: string, queryToken?: string | null): void {
  const presented = bearerOf(headers) ?? queryToken ?? undefined;
  if (!tokenMatches(presented, expected)) throw new UnauthorizedError();
}
