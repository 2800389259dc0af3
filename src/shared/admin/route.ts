// A typed admin route: method + path pattern, with phantom types for query, body and response.
// The engine implements it (src/engine/admin), the panel calls it (src/renderer/src/api).

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface AdminRoute<Query = void, Body = void, Response = unknown> {
  readonly method: HttpMethod;
  /** Path under the origin, with `:name` parameters, e.g. /admin/api/cache/entries/:key */
  readonly path: string;
  /** Phantom field carrying the types; never set at runtime. */
  readonly __types?: { query: Query; body: Body; response: Response };
}

export function route<Query = void, Body = void, Response = unknown>(method: HttpMethod, path: string): AdminRoute<Query, Body, Response> {
  return { method, path };
}

export type QueryOf<R> = R extends AdminRoute<infer Q, unknown, unknown> ? Q : never;
export type BodyOf<R> = R extends AdminRoute<unknown, infer B, unknown> ? B : never;
export type ResponseOf<R> = R extends AdminRoute<unknown, unknown, infer S> ? S : never;

/** Path parameter names of a pattern. */
export function pathParams(pattern: string): string[] {
  return [...pattern.matchAll(/:([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]);
}

export function fillPath(pattern: string, params: Record<string, string | number> = {}): string {
  return pattern.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, (_, name: string) => {
    const v = params[name];
    if (v === undefined) throw new Error(`Missing path parameter '${name}' for ${pattern}`);
    return encodeURIComponent(String(v));
  });
}
