// Exact-path routes with per-method handlers, plus prefix mounts. 404 for unknown paths,
// 405 (with Allow) for known paths with the wrong method.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MethodNotAllowedError, NotFoundError } from '../errors.ts';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void> | void;

/** "a, b and c" */
function listed(items: readonly string[]): string {
  return items.length > 1 ? `${items.slice(0, -1).join(', ')} and ${items.at(-1)}` : (items[0] ?? '');
}

export class HttpRouter {
  #exact = new Map<string, Map<string, RouteHandler>>();
  #prefixes: Array<{ prefix: string; handler: RouteHandler; shown?: { method: string; path: string } }> = [];
  #listing: string[] = [];

  on(method: string, path: string, handler: RouteHandler): this {
    let byMethod = this.#exact.get(path);
    if (!byMethod) this.#exact.set(path, (byMethod = new Map()));
    if (byMethod.has(method)) throw new Error(`Route ${method} ${path} registered twice`);
    byMethod.set(method, handler);
    return this;
  }

  /** Paths under `prefix` go to `handler`; `shown` is how an unknown path's 404 lists it (`GET /v1/models/{id}`). */
  mount(prefix: string, handler: RouteHandler, shown?: { method: string; path: string }): this {
    this.#prefixes.push({ prefix, handler, shown });
    this.#prefixes.sort((a, b) => b.prefix.length - a.prefix.length);
    return this;
  }

  /**
   * Unknown paths under `prefix` get a 404 that lists what is served there, by method, as registered
   * when it is asked (so a route a feature adds later is listed too).
   */
  listServedUnder(prefix: string): this {
    this.#listing.push(prefix);
    return this;
  }

  #served(prefix: string): string {
    const byMethod = new Map<string, string[]>();
    for (const [path, methods] of this.#exact) {
      if (!path.startsWith(prefix)) continue;
      for (const m of methods.keys()) byMethod.set(m, [...(byMethod.get(m) ?? []), path]);
    }
    // a mount is listed after the path it extends (GET /v1/models, then /v1/models/{id})
    for (const { prefix: p, shown } of this.#prefixes) {
      if (!shown || !p.startsWith(prefix)) continue;
      const paths = byMethod.get(shown.method) ?? [];
      const at = paths.indexOf(p);
      byMethod.set(shown.method, at < 0 ? [...paths, shown.path] : [...paths.slice(0, at + 1), shown.path, ...paths.slice(at + 1)]);
    }
    const methods = [...byMethod.keys()].sort((a, b) => Number(b === 'POST') - Number(a === 'POST'));
    return methods.length ? `Sluice serves ${methods.map((m) => `${m} ${listed(byMethod.get(m)!)}`).join(', and ')}.` : '';
  }

  resolve(method: string, url: URL): RouteHandler {
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
    const byMethod = this.#exact.get(path);
    if (byMethod) {
      const h = byMethod.get(method) ?? (method === 'HEAD' ? byMethod.get('GET') : undefined);
      if (h) return h;
      // HEAD is answered wherever GET is, so it is allowed there too (as the admin routes and mounts say)
      const allowed = [...byMethod.keys()].flatMap((m) => (m === 'GET' && !byMethod.has('HEAD') ? ['GET', 'HEAD'] : [m]));
      return () => { throw new MethodNotAllowedError(method, path, allowed); };
    }
    for (const p of this.#prefixes) {
      if (url.pathname === p.prefix || url.pathname.startsWith(p.prefix.endsWith('/') ? p.prefix : p.prefix + '/')) return p.handler;
    }
    const under = this.#listing.find((prefix) => url.pathname.startsWith(prefix));
    const hint = under ? this.#served(under) : '';
    return () => { throw new NotFoundError(`No route for ${method} ${url.pathname}.${hint ? ` ${hint}` : ''}`, 'SLUICE_UNKNOWN_PATH'); };
  }
}
