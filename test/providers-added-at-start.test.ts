// Providers Sluice adds itself (the built-in simulator, those the environment names, those detected)
// behave as a user expects when deleted: the simulator, always there, is disabled instead; another
// stays deleted at the next start, until it is added again by hand.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProviderConfig } from '../src/shared/config.ts';
import { createEngine, defaultConfig, defaultDeps, silentLogger, type Engine } from '../src/engine/index.ts';
import { FakeUpstream, json } from './helpers/fake-upstream.ts';
import { postChat } from './helpers/test-engine.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-providers-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** An engine on `dataDir` with detection of one local server at `localUrl`, and `providers` as the environment would add them. */
async function start(dataDir: string, opts: { localUrl?: string; env?: ProviderConfig[] } = {}): Promise<Engine> {
  const config = defaultConfig();
  config.server.port = 0;
  config.providers.push(...(opts.env ?? []));
  const engine = createEngine(config, defaultDeps(dataDir, { logger: silentLogger }), {
    detectLocal: opts.localUrl ? [{ id: 'ollama', label: 'Ollama (detected)', baseUrl: opts.localUrl }] : false,
  });
  await engine.start();
  return engine;
}

const admin = (engine: Engine, path: string, init: RequestInit = {}) => fetch(`${engine.url}/admin/api${path}`, {
  ...init, headers: { authorization: `Bearer ${engine.adminToken}`, 'content-type': 'application/json' },
});
const ids = async (engine: Engine) => ((await (await admin(engine, '/providers')).json()) as Array<{ id: string }>).map((p) => p.id);

describe('the built-in simulator', () => {
  it('is refused deletion with a 400 that says to disable it, and a disabled simulator stays disabled at the next start', async () => {
    const dataDir = tempDir();
    let engine = await start(dataDir);
    const del = await admin(engine, '/providers/simulator', { method: 'DELETE' });
    expect(del.status).toBe(400);
    const err = ((await del.json()) as { error: { code: string; message: string } }).error;
    expect(err.code).toBe('provider_built_in');
    expect(err.message).toContain('"enabled": false');
    expect((await postChat(engine.url, 'sim-chat')).status).toBe(200);

    expect((await admin(engine, '/providers/simulator', { method: 'PUT', body: JSON.stringify({ enabled: false }) })).status).toBe(200);
    await engine.stop();
    engine = await start(dataDir);
    cleanups.push(() => engine.stop());
    expect(await (await admin(engine, '/providers')).json()).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'simulator', enabled: false })]));
  });
});

describe('a provider Sluice adds again at each start', () => {
  it('stays deleted when detected or named by the environment, until it is added again by hand', async () => {
    const local = new FakeUpstream();
    local.on('GET /v1/models', (_req, res) => json(res, 200, { object: 'list', data: [{ id: 'llama3.2:1b', object: 'model', created: 0, owned_by: 'library' }] }));
    const localUrl = await local.start();
    cleanups.push(() => local.stop());
    const env: ProviderConfig[] = [{ id: 'openai', type: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1', source: 'env' }];
    const dataDir = tempDir();

    let engine = await start(dataDir, { localUrl, env });
    expect(await ids(engine)).toEqual(expect.arrayContaining(['ollama', 'openai']));
    expect((await admin(engine, '/providers/ollama', { method: 'DELETE' })).status).toBe(200);
    expect((await admin(engine, '/providers/openai', { method: 'DELETE' })).status).toBe(200);
    await engine.stop();

    engine = await start(dataDir, { localUrl, env });
    expect(await ids(engine)).not.toContain('ollama');
    expect(await ids(engine)).not.toContain('openai');
    // added again by hand: it is the user's own now, and stays
    expect((await admin(engine, '/providers/ollama', { method: 'PUT', body: JSON.stringify({ type: 'openai-compatible', baseUrl: localUrl }) })).status).toBe(200);
    await engine.stop();

    engine = await start(dataDir, { localUrl, env });
    cleanups.push(() => engine.stop());
    expect(await ids(engine)).toContain('ollama');
    expect(await ids(engine)).not.toContain('openai');
  });
});
