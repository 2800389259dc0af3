// The cache's admin API (stats, browser, detail, delete, clear and its preview) with the events it
// pushes, and a corrupt cache.db at start: moved aside, recreated, a warning alert raised, serving goes on.
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../src/shared/events.ts';
import { ManualClock } from '../src/engine/clock.ts';
import { createEngine, defaultConfig, defaultDeps, silentLogger, type Engine } from '../src/engine/index.ts';
import { FakeUpstream } from './helpers/fake-upstream.ts';
import { startTestEngine, type TestEngine } from './helpers/test-engine.ts';

const jsonOf = async (r: Response | Promise<Response>): Promise<any> => (await r).json();
let fake: FakeUpstream;
let clock: ManualClock;
let sluice: TestEngine;
let events: EngineEvent[];

function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(sluice.url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}
const ask = (content: string, model = 'gpt-test') => ({ model, messages: [{ role: 'user', content }] });
const cacheEvents = () => events.filter((e): e is Extract<EngineEvent, { type: 'cache' }> => e.type === 'cache');

beforeEach(async () => {
  fake = new FakeUpstream();
  await fake.start();
  clock = new ManualClock();
  sluice = await startTestEngine({ providers: [{ id: 'upstream', type: 'openai-compatible', baseUrl: fake.url }], deps: { clock } });
  events = [];
  sluice.engine.events.subscribe((e) => { events.push(e); });
  await post('/v1/chat/completions', ask('what is the capital of France'));
  clock.advance(3600_000);
  await post('/v1/chat/completions', ask('how tall is Everest', 'gpt-other'));
  await post('/v1/chat/completions', ask('team question'), { 'x-sluice-cache-namespace': 'team-a' });
  await post('/v1/audio/speech', { model: 'tts-test', voice: 'alloy', input: 'Hello audio' });
  await post('/v1/chat/completions', ask('what is the capital of France')); // a hit
});

afterEach(async () => {
  await sluice.stop();
  await fake.stop();
});

describe('cache admin API', () => {
  it('reports statistics per tier with hits, misses and what hits saved', async () => {
    const s = await jsonOf(sluice.admin('/admin/api/cache/stats'));
    expect(s.enabled).toBe(true);
    expect(s.memory.entries).toBe(4);
    expect(s.disk.entries).toBe(4);
    expect(s.memory.bytes).toBeGreaterThan(0);
    expect(s.hits).toBe(1);
    expect(s.misses).toBe(4);
    expect(s.hitRate).toBeCloseTo(0.2);
    expect(s.saved.tokens).toBe(12);
    expect(s.memory.evictions).toBe(0);
  });

  it('takes new tier sizes from the Settings save at once, without a restart', async () => {
    const before = await jsonOf(sluice.admin('/admin/api/cache/stats'));
    expect(before.memory.entries).toBeGreaterThan(1);
    const saved = await sluice.admin('/admin/api/settings', { method: 'PUT', body: JSON.stringify({ cacheMemoryMaxBytes: 2048, cacheDiskMaxBytes: 64 * 1024 * 1024 }) });
    expect(saved.status).toBe(200);
    const after = await jsonOf(sluice.admin('/admin/api/cache/stats'));
    expect(after.memory.maxBytes).toBe(2048);
    expect(after.memory.bytes).toBeLessThanOrEqual(2048);
    expect(after.memory.entries).toBeLessThan(before.memory.entries);
    expect(after.disk.maxBytes).toBe(64 * 1024 * 1024);
    expect(cacheEvents().find((e) => e.action === 'resized')?.detail).toMatchObject({ memoryMaxBytes: 2048, diskApplied: true });
    // an answer over the new memory entry limit (a quarter of 2 KiB) is still served from disk
    const body = ask('a new short question');
    await (await post('/v1/chat/completions', body)).text();
    sluice.engine.services.cache!.tiered.flush();
    expect((await post('/v1/chat/completions', body)).headers.get('x-sluice-cache')).toBe('hit-disk');
  });

  it('pages through entries newest first, filtered by model, namespace, endpoint, age and text', async () => {
    const all = await jsonOf(sluice.admin('/admin/api/cache/entries?limit=2'));
    expect(all.total).toBe(4);
    expect(all.items).toHaveLength(2);
    const next = await jsonOf(sluice.admin('/admin/api/cache/entries?limit=2&offset=2'));
    expect(next.items.at(-1).requestText).toBe('what is the capital of France');
    expect(next.items.at(-1).hits).toBe(1);
    const byModel = await jsonOf(sluice.admin('/admin/api/cache/entries?model=gpt-other'));
    expect(byModel.items.map((i: any) => i.requestText)).toEqual(['how tall is Everest']);
    const byNs = await jsonOf(sluice.admin('/admin/api/cache/entries?namespace=team-a'));
    expect(byNs.total).toBe(1);
    const speech = await jsonOf(sluice.admin('/admin/api/cache/entries?endpoint=speech'));
    expect(speech.items[0]).toMatchObject({ endpoint: 'speech', contentType: 'audio/mpeg', requestText: 'Hello audio' });
    const old = await jsonOf(sluice.admin('/admin/api/cache/entries?olderThanSeconds=1800'));
    expect(old.items.map((i: any) => i.requestText)).toEqual(['what is the capital of France']);
    const text = await jsonOf(sluice.admin('/admin/api/cache/entries?text=EVEREST'));
    expect(text.total).toBe(1);
    expect((await sluice.admin('/admin/api/cache/entries?limit=0')).status).toBe(400);
    expect((await sluice.admin('/admin/api/cache/entries?endpoint=fax')).status).toBe(400);
  });

  it('shows one entry with a readable preview: pretty JSON, or the size of audio', async () => {
    const [chat] = (await jsonOf(sluice.admin('/admin/api/cache/entries?model=gpt-other'))).items;
    const d = await jsonOf(sluice.admin(`/admin/api/cache/entries/${chat.key}`));
    expect(d.preview).toContain('\n  "choices": [');
    expect(d.preview).toContain('echo: \\"how tall is Everest\\"');
    expect(d.promptTokens).toBe(5);
    const [audio] = (await jsonOf(sluice.admin('/admin/api/cache/entries?endpoint=speech'))).items;
    const a = await jsonOf(sluice.admin(`/admin/api/cache/entries/${audio.key}`));
    expect(a.preview).toBe(`${'AUDIO:alloy:Hello audio'.length} bytes of audio/mpeg`);
    expect((await sluice.admin('/admin/api/cache/entries/nope')).status).toBe(404);
  });

  it('deletes one entry: the next request misses, and the change is pushed', async () => {
    const [chat] = (await jsonOf(sluice.admin('/admin/api/cache/entries?model=gpt-other'))).items;
    const res = await sluice.admin(`/admin/api/cache/entries/${chat.key}`, { method: 'DELETE' });
    expect(await jsonOf(res)).toEqual({ deleted: true });
    expect(cacheEvents().at(-1)).toMatchObject({ action: 'deleted', detail: { key: chat.key } });
    expect((await sluice.admin(`/admin/api/cache/entries/${chat.key}`, { method: 'DELETE' })).status).toBe(404);
    const again = await post('/v1/chat/completions', ask('how tall is Everest', 'gpt-other'));
    expect(again.headers.get('x-sluice-cache')).toBe('miss');
  });

  it('previews a clear by model, namespace or age, then clears exactly that', async () => {
    const preview = await jsonOf(sluice.admin('/admin/api/cache/clear/preview', { method: 'POST', body: JSON.stringify({ olderThanSeconds: 1800 }) }));
    expect(preview.count).toBe(1);
    expect(preview.bytes).toBeGreaterThan(100);
    const stats = await jsonOf(sluice.admin('/admin/api/cache/stats'));
    expect(stats.memory.entries).toBe(4);
    // clearing everything would free what the tier says it holds
    const everything = await jsonOf(sluice.admin('/admin/api/cache/clear/preview', { method: 'POST', body: '{}' }));
    expect(everything.bytes).toBe(stats.disk.bytes);
    const cleared = await jsonOf(sluice.admin('/admin/api/cache/clear', { method: 'POST', body: JSON.stringify({ olderThanSeconds: 1800 }) }));
    expect(cleared).toEqual({ deleted: 1, memory: 1, disk: 1 });
    expect(cacheEvents().at(-1)).toMatchObject({ action: 'cleared', detail: { result: { deleted: 1 } } });
    const ns = await jsonOf(sluice.admin('/admin/api/cache/clear', { method: 'POST', body: JSON.stringify({ namespace: 'team-a' }) }));
    expect(ns.deleted).toBe(1);
    const byModel = await jsonOf(sluice.admin('/admin/api/cache/clear/preview', { method: 'POST', body: JSON.stringify({ model: 'gpt-other' }) }));
    expect(byModel.count).toBe(1);
    const rest = await jsonOf(sluice.admin('/admin/api/cache/clear', { method: 'POST', body: '{}' }));
    expect(rest.deleted).toBe(2);
    expect((await jsonOf(sluice.admin('/admin/api/cache/entries'))).total).toBe(0);
    expect((await post('/v1/chat/completions', ask('what is the capital of France'))).headers.get('x-sluice-cache')).toBe('miss');
    expect((await sluice.admin('/admin/api/cache/clear', { method: 'POST', body: JSON.stringify({ colour: 'red' }) })).status).toBe(400);
  });
});

describe('a corrupt cache database', () => {
  let dataDir: string;
  let engine: Engine | null = null;
  beforeEach(() => { dataDir = mkdtempSync(join(tmpdir(), 'sluice-corrupt-')); });
  afterEach(async () => { await engine?.stop(); engine = null; rmSync(dataDir, { recursive: true, force: true }); });

  it('is moved aside and recreated at start; Sluice serves and caches, and says so on the event stream', async () => {
    writeFileSync(join(dataDir, 'cache.db'), Buffer.alloc(8192, 'this is not a sqlite database '));
    const config = defaultConfig();
    config.server.port = 0;
    config.providers.push({ id: 'upstream', type: 'openai-compatible', baseUrl: fake.url });
    engine = createEngine(config, defaultDeps(dataDir, { logger: silentLogger, clock }), { detectLocal: false });
    const seen: EngineEvent[] = [];
    engine.events.subscribe((e) => { seen.push(e); });
    const url = await engine.start();
    expect(seen.find((e) => e.type === 'cache')).toMatchObject({ action: 'rebuilt', detail: { reason: 'corrupt' } });
    const moved = readdirSync(dataDir).filter((f) => f.startsWith('cache.db.corrupt-'));
    expect(moved).toHaveLength(1);
    expect(existsSync(join(dataDir, 'cache.db'))).toBe(true);
    const body = JSON.stringify(ask('after the rebuild'));
    const req = () => fetch(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect((await req()).status).toBe(200);
    const again = await req();
    expect(again.headers.get('x-sluice-cache')).toBe('hit-memory');
    expect(engine.services.cache!.stats().rebuilds).toBe(1);
  });

  it('found at start, raises the same warning alert as one found while running, in the alert list the panel shows', async () => {
    writeFileSync(join(dataDir, 'cache.db'), Buffer.alloc(8192, 'this is not a sqlite database '));
    const started = await startTestEngine({ dataDir, providers: [{ id: 'upstream', type: 'openai-compatible', baseUrl: fake.url }], deps: { clock } });
    try {
      const res = await started.admin('/admin/api/alerts?status=open');
      expect(res.status).toBe(200);
      const { alerts } = (await res.json()) as { alerts: Array<{ kind: string; severity: string; title: string; message: string }> };
      expect(alerts.filter((a) => a.kind === 'cache-rebuilt')).toEqual([
        expect.objectContaining({ severity: 'warning', title: 'Cache database rebuilt', message: expect.stringContaining('corrupt') }),
      ]);
    } finally {
      await started.stop();
    }
  });
});
