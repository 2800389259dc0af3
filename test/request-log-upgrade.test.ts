// A data dir from a build that kept the request log in sluice.db (up to migration 52): its rows
// move to requests.db at the first start, and the old table goes.
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate, openDataDir } from '../src/engine/store/database.ts';
import { requestLogSchema } from '../src/engine/store/request-log.ts';
import { settingsHistoryMigration, settingsMigration } from '../src/engine/store/settings-repository.ts';
import { FEATURES } from '../src/engine/features.ts';
import { loadTestMigration } from '../src/engine/loadtest/load-test-runner.ts';
import { fastSimulator, startTestEngine } from './helpers/test-engine.ts';

/** sluice.db as the last build before the move left it: every migration up to 52, the request log inside. */
function oldDataDir(): { dataDir: string; old: ReturnType<typeof openDataDir> } {
  const dataDir = mkdtempSync(join(tmpdir(), 'sluice-upgrade-'));
  const old = openDataDir(dataDir);
  migrate(old, [settingsMigration, settingsHistoryMigration, loadTestMigration, ...FEATURES.flatMap((f) => f.migrations ?? []).filter((m) => m.version <= 52)]);
  expect(old.pragma('user_version', { simple: true })).toBe(52);
  requestLogSchema.up(old); // the old first migration created it, with the same columns
  return { dataDir, old };
}

describe('upgrading a data dir whose request log is in sluice.db', () => {
  it('shows the old requests in the log, now served from requests.db', async () => {
    const { dataDir, old } = oldDataDir();
    const insert = old.prepare(`INSERT INTO request_log (id, ts, endpoint, path, method, model, requested_model, provider, status, latency_ms,
      first_byte_ms, stream, cache, attempts, prompt_tokens, completion_tokens, cost_usd, error_code, client, detail)
      VALUES (?, ?, 'chat', '/v1/chat/completions', 'POST', 'sim-chat', 'sim-chat', 'simulator', 200, 12, NULL, 0, 'miss', 1, 3, 4, 0, NULL, 'ip:127.0.0.1', ?)`);
    for (let i = 1; i <= 3; i++) insert.run(`old-${i}`, 1_700_000_000_000 + i, JSON.stringify({ trace: [], timings: {}, cacheKey: null, requestHeaders: {} }));
    old.close();

    const sluice = await startTestEngine({ providers: [fastSimulator], dataDir });
    try {
      const list = (await (await sluice.admin('/admin/api/requests')).json()) as Array<{ id: string }>;
      expect(list.map((r) => r.id)).toEqual(['old-3', 'old-2', 'old-1']);
      expect((await sluice.admin('/admin/api/requests/old-2')).status).toBe(200);
      // the filter menus offer what the adopted rows hold
      expect(((await (await sluice.admin('/admin/api/requests/values')).json()) as { model: string[] }).model).toEqual(['sim-chat']);
      const res = await fetch(`${sluice.url}/v1/chat/completions`, {
        method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'sim-chat', messages: [{ role: 'user', content: 'after the upgrade' }] }),
      });
      expect(res.status).toBe(200);
      const id = res.headers.get('x-request-id');
      expect(((await (await sluice.admin('/admin/api/requests')).json()) as Array<{ id: string }>).map((r) => r.id)).toEqual([id, 'old-3', 'old-2', 'old-1']);
    } finally {
      await sluice.stop();
    }
  });

  it('leaves sluice.db without the old table', async () => {
    const { dataDir, old } = oldDataDir();
    old.close();
    const sluice = await startTestEngine({ providers: [fastSimulator], dataDir, keepDataDir: true });
    await sluice.stop();
    const db = new Database(join(dataDir, 'sluice.db'), { readonly: true });
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'request_log'").all()).toEqual([]);
    db.close();
  });
});
