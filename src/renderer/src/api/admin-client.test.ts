import { describe, expect, it } from 'vitest';
import { AdminClient } from './admin-client.ts';
import { AdminApiError } from './admin-api-error.ts';

function fakeFetch(handler: (url: string, init: RequestInit) => Response) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const fetch = async (url: string, init?: RequestInit) => {
    calls.push({ url, init: init ?? {} });
    return handler(url, init ?? {});
  };
  return { fetch, calls };
}

describe('AdminClient', () => {
  it('fills path params and query, sends the bearer token and JSON body', async () => {
    const f = fakeFetch(() => new Response(JSON.stringify({ id: 'x' }), { status: 200 }));
    const c = new AdminClient({ baseUrl: 'http://127.0.0.1:1/', token: 'tok', fetch: f.fetch });
    await c.call('requestsList', { query: { limit: 5, model: 'a b', text: '' } });
    expect(f.calls[0].url).toBe('http://127.0.0.1:1/admin/api/requests?limit=5&model=a+b');
    expect((f.calls[0].init.headers as Record<string, string>).authorization).toBe('Bearer tok');
    await c.call('providerSave', { params: { id: 'my/prov' }, body: { id: 'my/prov', type: 'openai-compatible' } });
    expect(f.calls[1].url).toBe('http://127.0.0.1:1/admin/api/providers/my%2Fprov');
    expect(f.calls[1].init.method).toBe('PUT');
    expect(JSON.parse(String(f.calls[1].init.body))).toEqual({ id: 'my/prov', type: 'openai-compatible' });
  });

  it('throws an error carrying the server message and code', async () => {
    const f = fakeFetch(() => new Response(JSON.stringify({ error: { message: 'logMaxRows: expected an integer', type: 'invalid_request_error', code: 'SLUICE_BAD_REQUEST', param: 'logMaxRows' } }), { status: 400 }));
    const c = new AdminClient({ baseUrl: 'http://h', token: 't', fetch: f.fetch });
    const err = await c.call('settingsSave', { body: { logMaxRows: 1 } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AdminApiError);
    expect((err as AdminApiError).message).toBe('logMaxRows: expected an integer');
    expect((err as AdminApiError).status).toBe(400);
    expect((err as AdminApiError).code).toBe('SLUICE_BAD_REQUEST');
    expect((err as AdminApiError).param).toBe('logMaxRows');
  });

  it('reports a non-JSON error body and an unreachable engine plainly', async () => {
    const c1 = new AdminClient({ baseUrl: 'http://h', token: 't', fetch: async () => new Response('upstream exploded', { status: 502 }) });
    await expect(c1.call('info')).rejects.toThrow('HTTP 502: upstream exploded');
    const c2 = new AdminClient({ baseUrl: 'http://h', token: 't', fetch: async () => { throw new TypeError('Failed to fetch'); } });
    const err = (await c2.call('info').catch((e: unknown) => e)) as AdminApiError;
    expect(err.unreachable).toBe(true);
    expect(err.message).toMatch(/cannot be reached/);
  });

  it('validates its options', () => {
    expect(() => new AdminClient({ baseUrl: 'ftp://x', token: 't' })).toThrow(/baseUrl/);
    expect(() => new AdminClient({ baseUrl: 'http://x', token: '' })).toThrow(/token/);
  });
});
