// Typed admin API client: `call(name, { params, query, body })`, typed from the shared route table.
import { adminRoutes, fillPath, type AdminRoute, type AdminRouteName, type AdminRoutes, type BodyOf, type QueryOf, type ResponseOf } from '../../../shared/admin-api.ts';
import { AdminApiError, errorFromBody } from './admin-api-error.ts';

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface AdminClientOptions {
  /** Origin of the engine, e.g. http://127.0.0.1:8640 (no trailing slash needed). */
  baseUrl: string;
  token: string;
  fetch?: FetchLike;
}

type Void<T> = [T] extends [void] ? true : false;

export type CallOptions<R> =
  & { params?: Record<string, string | number>; signal?: AbortSignal }
  & (Void<QueryOf<R>> extends true ? { query?: undefined } : { query?: QueryOf<R> })
  & (Void<BodyOf<R>> extends true ? { body?: undefined } : { body: BodyOf<R> });

export class AdminClient {
  readonly baseUrl: string;
  readonly token: string;
  #fetch: FetchLike;

  constructor(opts: AdminClientOptions) {
    if (!opts || typeof opts.baseUrl !== 'string' || !/^https?:\/\//.test(opts.baseUrl)) {
      throw new TypeError(`AdminClient: baseUrl must be an http(s) URL, got ${JSON.stringify(opts?.baseUrl)}`);
    }
    if (typeof opts.token !== 'string' || !opts.token) throw new TypeError('AdminClient: token must be a non-empty string');
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.token = opts.token;
    this.#fetch = opts.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  /** URL of a route with its path parameters and query filled in. */
  url<N extends AdminRouteName>(name: N, params?: Record<string, string | number>, query?: object): string {
    return this.#url(adminRoutes[name].path, params, query);
  }

  #url(path: string, params?: Record<string, string | number>, query?: object): string {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query ?? {})) {
      if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
    }
    const q = qs.toString();
    return `${this.baseUrl}${fillPath(path, params)}${q ? `?${q}` : ''}`;
  }

  async call<N extends AdminRouteName>(name: N, opts?: CallOptions<AdminRoutes[N]>): Promise<ResponseOf<AdminRoutes[N]>> {
    return this.#request(adminRoutes[name] as AdminRoutes[N], opts, name);
  }

  async #request<R extends AdminRoute<unknown, unknown, unknown>>(r: R, opts?: CallOptions<R>, name = r.path): Promise<ResponseOf<R>> {
    const o = (opts ?? {}) as { params?: Record<string, string | number>; query?: object; body?: unknown; signal?: AbortSignal };
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}`, accept: 'application/json' };
    let body: string | undefined;
    if (r.method === 'POST' || r.method === 'PUT') {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(o.body ?? {});
    }
    let res: Response;
    try {
      res = await this.#fetch(this.#url(r.path, o.params, o.query), { method: r.method, headers, body, signal: o.signal });
    } catch (err) {
      if ((err as Error)?.name === 'AbortError') throw err;
      throw new AdminApiError(`The engine cannot be reached (${(err as Error)?.message ?? 'network error'}).`, { status: 0, code: 'unreachable' });
    }
    const text = await res.text();
    if (!res.ok) throw errorFromBody(res.status, text);
    if (!text) return undefined as ResponseOf<R>;
    try {
      return JSON.parse(text) as ResponseOf<R>;
    } catch {
      throw new AdminApiError(`The engine answered ${name} with something that is not JSON.`, { status: res.status, code: 'bad_json' });
    }
  }
}
