// Sluice's own headers read as the UTF-8 clients send: a namespace named in Chinese can be found and
// cleared by that name, a client's name is logged as written, and bytes that are not UTF-8 are refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fastSimulator, startTestEngine, type TestEngine } from './helpers/test-engine.ts';

let sluice: TestEngine;
beforeAll(async () => { sluice = await startTestEngine({ providers: [fastSimulator] }); });
afterAll(async () => { await sluice.stop(); });

/** A header value as its UTF-8 bytes on the wire, the way curl sends `-H 'x: 名字'`. */
const wire = (text: string) => Buffer.from(text, 'utf8').toString('latin1');

function ask(content: string, headers: Record<string, string>): Promise<Response> {
  return fetch(`${sluice.url}/v1/chat/completions`, {
    method: 'POST', headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ model: 'sim-chat', messages: [{ role: 'user', content }] }),
  });
}

describe('UTF-8 in Sluice headers', () => {
  it('a namespace named in Chinese is stored, listed, previewed and cleared by that name', async () => {
    const first = await ask('namespaced in Chinese', { 'x-sluice-cache-namespace': wire('名字') });
    expect(first.status).toBe(200);
    const again = await ask('namespaced in Chinese', { 'x-sluice-cache-namespace': wire('名字') });
    expect(again.headers.get('x-sluice-cache')).toBe('hit-memory');
    const list = await (await sluice.admin(`/admin/api/cache/entries?namespace=${encodeURIComponent('名字')}`)).json() as { total: number; items: Array<{ namespace: string }> };
    expect(list.total).toBe(1);
    expect(list.items[0].namespace).toBe('名字');
    const preview = await (await sluice.admin('/admin/api/cache/clear/preview', { method: 'POST', body: JSON.stringify({ namespace: '名字' }) })).json() as { count: number };
    expect(preview.count).toBe(1);
  });

  it('counts a namespace\'s length in characters, not bytes', async () => {
    const ok = await ask('long Chinese namespace', { 'x-sluice-cache-namespace': wire('名'.repeat(128)) });
    expect(ok.status).toBe(200);
    const long = await ask('too long Chinese namespace', { 'x-sluice-cache-namespace': wire('名'.repeat(129)) });
    expect(long.status).toBe(400);
    expect(((await long.json()) as { error: { message: string } }).error.message).toContain('got 129');
  });

  it('refuses a namespace whose bytes are not UTF-8, naming the header', async () => {
    const res = await ask('not utf-8', { 'x-sluice-cache-namespace': '\xff\xfeabc' });
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { param: string; message: string } };
    expect(error.param).toBe('x-sluice-cache-namespace');
    expect(error.message).toContain('UTF-8');
  });

  it('logs a client name and tags as written', async () => {
    const res = await ask('client named with accents', { 'x-sluice-client': wire('Zoë 的应用'), 'x-sluice-tags': wire('Équipe,测试') });
    const id = res.headers.get('x-request-id');
    await res.arrayBuffer();
    const rows = await (await sluice.admin('/admin/api/requests?limit=5')).json() as Array<{ id: string; client: string }>;
    expect(rows.find((r) => r.id === id)?.client).toBe('Zoë 的应用');
    const explain = await (await sluice.admin(`/admin/api/requests/${id}`)).json() as { detail: { trace: unknown[] } };
    expect(JSON.stringify(explain)).not.toContain('Ã');
  });
});
