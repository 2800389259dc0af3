// The cache key: sha256 of a canonical form of everything that changes the answer.
// Transport details (stream, stream_options), attribution (user, metadata) and key order do not;
// the resolved target replaces the requested model name; tenant and namespace keep scopes apart.
import { hash } from 'node:crypto';
import type { Endpoint, Target } from '../../shared/targets.ts';

export interface CacheKeyInput {
  endpoint: Endpoint;
  /** The resolved upstream (provider + provider's model name), not the alias the client used. */
  target: Target;
  /** The validated request body. */
  body: Record<string, unknown>;
  /** Hash of the client's credential scope ('' when anonymous). */
  tenant: string;
  namespace: string;
}

const KEY_VERSION = 1;

/** Fields that never change the content of the answer. */
const DROPPED = new Set(['model', 'stream', 'stream_options', 'user', 'metadata', 'store', 'service_tier', 'prompt_cache_key', 'safety_identifier']);

/** Values equal to the API's own default, normalised away when the meaning is the same everywhere. */
function isNeutral(field: string, value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (field === 'n' && value === 1) return true;
  if (field === 'logprobs' && value === false) return true;
  return false;
}

/** JSON with object keys sorted at every depth and undefined members left out. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) return 'null';
    return JSON.stringify(value) ?? 'null';
  }
  // string building rather than map/join: this runs on every cacheable request
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      const v: unknown = value[i];
      out += v === undefined ? 'null' : canonicalJson(v);
    }
    return out + ']';
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  let out = '{';
  for (const k of keys) {
    const v = obj[k];
    if (v === undefined) continue;
    if (out.length > 1) out += ',';
    out += JSON.stringify(k) + ':' + canonicalJson(v);
  }
  return out + '}';
}

/** The body's canonical JSON without the fields that never change the answer, defaults normalised. */
function canonicalBody(endpoint: Endpoint, body: Record<string, unknown>): string {
  const keys = Object.keys(body).sort();
  let out = '{';
  for (const field of keys) {
    let value = body[field];
    if (DROPPED.has(field) || isNeutral(field, value)) continue;
    if (endpoint === 'chat' && field === 'stop') {
      if (typeof value === 'string') value = [value];
      else if (Array.isArray(value) && value.length === 0) continue;
    }
    if (out.length > 1) out += ',';
    out += JSON.stringify(field) + ':' + canonicalJson(value);
  }
  return out + '}';
}

export function cacheKey(input: CacheKeyInput): string {
  const { endpoint, target, body, tenant, namespace } = input;
  if (!target || typeof target.provider !== 'string' || typeof target.model !== 'string') {
    throw new TypeError('cacheKey: target must be { provider, model }');
  }
  if (!body || typeof body !== 'object') throw new TypeError('cacheKey: body must be an object');
  // canonicalJson of { v, endpoint, provider, model, tenant, namespace, body }, written out in its sorted
  // key order: the same bytes as before, so entries already on disk keep their keys
  const material = `{"body":${canonicalBody(endpoint, body)},"endpoint":${JSON.stringify(endpoint)},"model":${JSON.stringify(target.model)}`
    + `,"namespace":${JSON.stringify(namespace ?? '')},"provider":${JSON.stringify(target.provider)},"tenant":${JSON.stringify(tenant ?? '')},"v":${KEY_VERSION}}`;
  return hash('sha256', material);
}

/**
 * Whether the same request is expected to give the same answer, for the 'deterministic' cache mode:
 * chat at temperature 0, or with temperature unset and a seed; one choice only.
 * Embeddings and speech are always deterministic enough to cache.
 */
export function isDeterministic(body: Record<string, unknown>, endpoint: Endpoint = 'chat'): boolean {
  if (endpoint !== 'chat') return true;
  const n = body.n;
  if (n != null && n !== 1) return false;
  const t = body.temperature;
  if (t === 0) return true;
  return t == null && body.seed != null;
}
