import { describe, expect, it } from 'vitest';
import { checkAdminToken } from './token-check.ts';

const answer = (status: number, body: unknown) => async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('checkAdminToken', () => {
  it('takes a token the engine answers with its info', async () => {
    const seen: string[] = [];
    const fetch = async (url: string, init?: RequestInit) => {
      seen.push(`${url} ${(init?.headers as Record<string, string>).authorization}`);
      return answer(200, { version: '1' })();
    };
    expect(await checkAdminToken('http://127.0.0.1:1', 'new-token', fetch)).toEqual({ ok: true });
    expect(seen).toEqual(['http://127.0.0.1:1/admin/api/info Bearer new-token']);
  });

  it('tells a refused token from an engine that cannot be reached', async () => {
    expect(await checkAdminToken('http://127.0.0.1:1', 'old', answer(401, { error: { message: 'Missing or invalid admin token.' } }))).toEqual({ ok: false, reason: 'refused' });
    const down = await checkAdminToken('http://127.0.0.1:1', 'x', async () => { throw new TypeError('Failed to fetch'); });
    expect(down).toMatchObject({ ok: false, reason: 'unreachable' });
    expect(await checkAdminToken('http://127.0.0.1:1', 'x', answer(500, { error: { message: 'boom' } }))).toEqual({ ok: false, reason: 'failed', message: 'boom' });
  });
});
