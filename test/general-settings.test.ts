// PUT /admin/api/settings saves only the keys it is sent: the config file keeps controlling the others,
// and a start says which saved keys win over a different value in the file. It used to save all eight
// on any PUT, even {}, after which edits to cache.* and log.* in the file were ignored without a word.
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { GeneralSettings } from '../src/shared/admin/core-routes.ts';
import { startTestEngine, type TestEngine } from './helpers/test-engine.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

/** An engine on `dataDir` (a fresh one when absent) with the file's cache and log sections, and the lines it logged. */
async function start(file: { cache?: object; log?: object }, dataDir?: string): Promise<{ sluice: TestEngine; logged: string[] }> {
  const logged: string[] = [];
  const note = (msg: string) => { logged.push(msg); };
  const sluice = await startTestEngine({ config: file, dataDir, keepDataDir: true, deps: { logger: { debug() {}, info: note, warn: note, error: note } } });
  // kept across the restarts of a test, then removed
  if (!dataDir) cleanups.unshift(async () => rmSync(sluice.dataDir, { recursive: true, force: true }));
  return { sluice, logged };
}

async function settings(sluice: TestEngine): Promise<GeneralSettings> {
  return (await (await sluice.admin('/admin/api/settings')).json()) as GeneralSettings;
}

async function put(sluice: TestEngine, body: object): Promise<GeneralSettings> {
  const res = await sluice.admin('/admin/api/settings', { method: 'PUT', body: JSON.stringify(body) });
  expect(res.status).toBe(200);
  return (await res.json()) as GeneralSettings;
}

describe('general settings saved through the admin API', () => {
  it('keep only the keys sent: the config file still controls the others on the next start', async () => {
    const { sluice: first } = await start({ cache: { ttlSeconds: 3600 }, log: { maxRows: 1000 } });
    await put(first, {});
    expect(await put(first, { logMaxRows: 5000 })).toMatchObject({ logMaxRows: 5000, cacheTtlSeconds: 3600 });
    await first.stop();

    // the file now says otherwise for both keys
    const { sluice, logged } = await start({ cache: { ttlSeconds: 60 }, log: { maxRows: 200 } }, first.dataDir);
    cleanups.push(() => sluice.stop());
    expect(await settings(sluice)).toMatchObject({ logMaxRows: 5000, cacheTtlSeconds: 60 });
    // one line says why the file's log.maxRows is not used, and names no key the file controls
    const lines = logged.filter((l) => l.includes('win over the config file'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('log.maxRows (file 200, saved 5000)');
    expect(lines[0]).not.toContain('ttlSeconds');
  });

  it('give a key back to the config file when it is sent as null', async () => {
    const { sluice: first } = await start({ cache: { ttlSeconds: 3600 } });
    expect(await put(first, { cacheTtlSeconds: 120, cacheMode: 'deterministic' })).toMatchObject({ cacheTtlSeconds: 120, cacheMode: 'deterministic' });
    expect(await put(first, { cacheTtlSeconds: null })).toMatchObject({ cacheTtlSeconds: 3600, cacheMode: 'deterministic' });
    await first.stop();

    const { sluice, logged } = await start({ cache: { ttlSeconds: 90, mode: 'all' } }, first.dataDir);
    cleanups.push(() => sluice.stop());
    expect(await settings(sluice)).toMatchObject({ cacheTtlSeconds: 90, cacheMode: 'deterministic' });
    expect(logged.join('\n')).toContain("cache.mode (file \"all\", saved \"deterministic\")");
  });

  it('saved whole by an older build, are kept as they were, and the start names the keys that differ from the file', async () => {
    const { sluice: first } = await start({});
    const whole = await settings(first);
    first.engine.settings.set('general', { ...whole, cacheTtlSeconds: 777 }, first.engine.deps.clock.now());
    await first.stop();

    const { sluice, logged } = await start({ cache: { ttlSeconds: 60, serveStale: false } }, first.dataDir);
    cleanups.push(() => sluice.stop());
    expect(await settings(sluice)).toMatchObject({ cacheTtlSeconds: 777, serveStale: true });
    const line = logged.find((l) => l.includes('win over the config file')) ?? '';
    expect(line).toContain('cache.ttlSeconds (file 60, saved 777)');
    expect(line).toContain('cache.serveStale (file false, saved true)');
    expect(line).not.toContain('log.maxRows');
  });
});
