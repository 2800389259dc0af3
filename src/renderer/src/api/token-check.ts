// Whether the engine takes an admin token, asked before the panel keeps it and starts over with it.
import { AdminApiError } from './admin-api-error.ts';
import { AdminClient, type FetchLike } from './admin-client.ts';

export type TokenCheck = { ok: true } | { ok: false; reason: 'refused' } | { ok: false; reason: 'unreachable' | 'failed'; message: string };

export async function checkAdminToken(baseUrl: string, token: string, fetch?: FetchLike): Promise<TokenCheck> {
  try {
    await new AdminClient({ baseUrl, token, fetch }).call('info');
    return { ok: true };
  } catch (err) {
    if (err instanceof AdminApiError && (err.status === 401 || err.status === 403)) return { ok: false, reason: 'refused' };
    const message = (err as Error)?.message ?? String(err);
    return { ok: false, reason: err instanceof AdminApiError && err.unreachable ? 'unreachable' : 'failed', message };
  }
}
