// Where the panel finds the engine and its admin token: the Electron preload, else the URL fragment
// (`#token=…`, kept in sessionStorage and removed from the address bar).

export interface PreloadBridge { adminUrl?: string; adminToken?: string; appVersion?: string }

export interface SessionEnv {
  bridge: PreloadBridge | undefined;
  location: { origin: string; hash: string; pathname: string; search: string };
  session: { getItem(k: string): string | null; setItem(k: string, v: string): void } | null;
  replaceUrl(url: string): void;
}

export interface Session {
  baseUrl: string; token: string | null; appVersion: string | null;
  /** The desktop window's token, handed over by the preload: a token pasted by hand would not replace it. */
  fromPreload: boolean;
}

export const TOKEN_KEY = 'sluice.adminToken';

export function resolveSession(env: SessionEnv): Session {
  const b = env.bridge;
  if (b?.adminToken) {
    return { baseUrl: (b.adminUrl || env.location.origin).replace(/\/+$/, ''), token: b.adminToken, appVersion: b.appVersion || null, fromPreload: true };
  }
  const params = new URLSearchParams(env.location.hash.replace(/^#/, ''));
  const fromHash = params.get('token');
  if (fromHash) {
    try { env.session?.setItem(TOKEN_KEY, fromHash); } catch { /* storage refused: keep it for this page only */ }
    params.delete('token');
    const rest = params.toString();
    env.replaceUrl(`${env.location.pathname}${env.location.search}${rest ? `#${rest}` : ''}`);
    return { baseUrl: env.location.origin, token: fromHash, appVersion: null, fromPreload: false };
  }
  let stored: string | null = null;
  try { stored = env.session?.getItem(TOKEN_KEY) ?? null; } catch { stored = null; }
  return { baseUrl: env.location.origin, token: stored, appVersion: null, fromPreload: false };
}
