// Exact-path routes with per-method handlers, plus prefix mounts. 404 for unknown paths,
// 405 (with Allow) for known paths with the wrong method.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MethodNotAllowedError, NotFoundError } from '../errors.ts';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void> | void;

export class HttpRouter {
  #exact = new Map<string, Map<string, RouteHandler>>();
  #prefixes: Array<{ prefix: string; handler: RouteHandler }> = [];
  #hints: Array<{ prefix: string; text: string }> = [];

  on(method: string, path: string, handler: RouteHandler): this {
    let byMethod = this.#exact.get(path);
    if (!byMethod) this.#exact.set(path, (byMethod = new Map()));
    if (byMethod.has(method)) throw new Error(`Route ${method} ${path} registered twice`);
    byMethod.set(method, handler);
    return this;
  }

  mount(prefix: string, handler: RouteHandler): this {
    this.#prefixes.push({ prefix, handler });
    this.#prefixes.sort((a, b) => b.prefix.length - a.prefix.length);
    return this;
  }

  /** A sentence added to the 404 of unknown paths under `prefix` (what is served there instead). */
  hint(prefix: string, text: string): this {
    this.#hints.push({ prefix, text });
    return this;
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
    const hint = this.#hints.find((h) => url.pathname.startsWith(h.prefix))?.text;
    return () => { throw new NotFoundError(`No route for ${method} ${url.pathname}.${hint ? ` ${hint}` : ''}`, 'SLUICE_UNKNOWN_PATH'); };
  }
}
