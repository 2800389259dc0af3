// Matches admin requests to the implementations of the shared route table.
import { adminRoutes, type AdminRouteName, type AdminRoutes, type BodyOf, type QueryOf, type ResponseOf } from '../../shared/admin-api.ts';

export interface AdminInput<R> {
  params: Record<string, string>;
  /** Query string values arrive as strings; implementations coerce what they need. */
  query: Partial<Record<keyof QueryOf<R> & string, string>> & Record<string, string | undefined>;
  body: BodyOf<R>;
}

export type AdminImpl<R> = (input: AdminInput<R>) => Promise<ResponseOf<R>> | ResponseOf<R>;

interface Compiled { name: AdminRouteName; method: string; regex: RegExp; names: string[] }

export type AdminMatch =
  | { kind: 'found'; name: AdminRouteName; impl: AdminImpl<any>; params: Record<string, string> }
  | { kind: 'method'; allowed: string[] }
  | { kind: 'none' };

export class AdminRouter {
  #compiled: Compiled[];
  #impls = new Map<AdminRouteName, AdminImpl<any>>();

  constructor() {
    this.#compiled = (Object.entries(adminRoutes) as Array<[AdminRouteName, { method: string; path: string }]>).map(([name, r]) => {
      const names: string[] = [];
      const pattern = r.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, (_, n: string) => {
        names.push(n);
        return '([^/]+)';
      });
      return { name, method: r.method, regex: new RegExp(`^${pattern}$`), names };
    });
  }

  implement<N extends AdminRouteName>(name: N, impl: AdminImpl<AdminRoutes[N]>): void {
    if (this.#impls.has(name)) throw new Error(`Admin route '${String(name)}' is implemented twice`);
    this.#impls.set(name, impl);
  }

  /** Names of declared routes with no implementation (a test keeps this empty). */
  unimplemented(): AdminRouteName[] {
    return this.#compiled.map((c) => c.name).filter((n) => !this.#impls.has(n));
  }

  match(method: string, pathname: string): AdminMatch {
    const allowed: string[] = [];
    for (const c of this.#compiled) {
      const m = c.regex.exec(pathname);
      if (!m) continue;
      const impl = this.#impls.get(c.name);
      if (!impl) continue;
      // HEAD is GET without the body (node:http leaves the body out of a HEAD's answer)
      if (c.method !== method && !(method === 'HEAD' && c.method === 'GET')) {
        allowed.push(...(c.method === 'GET' ? ['GET', 'HEAD'] : [c.method]));
        continue;
      }
      const params: Record<string, string> = {};
      c.names.forEach((n, i) => {
        try { params[n] = decodeURIComponent(m[i + 1]); } catch { params[n] = m[i + 1]; }
      });
      return { kind: 'found', name: c.name, impl, params };
    }
    return allowed.length ? { kind: 'method', allowed } : { kind: 'none' };
  }
}
