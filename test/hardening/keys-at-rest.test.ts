// Keys at rest in the headless host: keys.json (0600), never sluice.db — including keys an older
// build left in the settings table and its history.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDataDir, migrate } from '../../src/engine/store/database.ts';
import { SettingsRepository, settingsHistoryMigration, settingsMigration } from '../../src/engine/store/settings-repository.ts';
import { fastSimulator, startTestEngine } from '../helpers/test-engine.ts';

const dbBytes = (dir: string) => Buffer.concat(['sluice.db', 'sluice.db-wal'].map((f) => { try { return readFileSync(join(dir, f)); } catch { return Buffer.alloc(0); } }));

describe('provider keys at rest (headless)', () => {
  it('a key saved in the panel goes to keys.json (0600), not sluice.db, and comes back after a restart', async () => {
    const first = await startTestEngine({ providers: [fastSimulator], keepDataDir: true });
    const key = 'sk-at-rest-' + 'a1b2c3d4e5f6'.repeat(2);
    const res = await first.admin('/admin/api/providers/up', { method: 'PUT', body: JSON.stringify({ type: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1', apiKey: key }) });
    expect(res.status).toBe(200);
    await first.stop();
    expect(statSync(join(first.dataDir, 'keys.json')).mode & 0o777).toBe(0o600);
    expect(dbBytes(first.dataDir).includes(key)).toBe(false);
    const second = await startTestEngine({ providers: [fastSimulator], dataDir: first.dataDir });
    expect(second.engine.config.providers.find((p) => p.id === 'up')?.apiKey).toBe(key);
    await second.stop();
  });

  it('moves keys an older build stored in the settings table (and its history) into keys.json', async () => {
    const boot = await startTestEngine({ providers: [fastSimulator], keepDataDir: true });
    await boot.stop();
    const key = 'sk-legacy-' + 'f00dfeedbeef'.repeat(2);
    const db = openDataDir(boot.dataDir);
    migrate(db, [settingsMigration, settingsHistoryMigration]);
    const settings = new SettingsRepository(db);
    settings.set('providers', [{ id: 'old', type: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1', apiKey: `plain:${key}`, source: 'admin' }], 1);
    settings.set('providers', [{ id: 'old', type: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1', apiKey: `plain:${key}`, source: 'admin', label: 'Old' }], 2);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    expect(dbBytes(boot.dataDir).includes(key)).toBe(true);

    const after = await startTestEngine({ providers: [fastSimulator], dataDir: boot.dataDir, keepDataDir: true });
    expect(after.engine.config.providers.find((p) => p.id === 'old')?.apiKey).toBe(key);
    await after.stop();
    expect(JSON.parse(readFileSync(join(boot.dataDir, 'keys.json'), 'utf8'))).toEqual({ old: key });
    expect(dbBytes(boot.dataDir).includes(key), 'sluice.db still holds the key').toBe(false);
    const again = await startTestEngine({ providers: [fastSimulator], dataDir: boot.dataDir });
    expect(again.engine.config.providers.find((p) => p.id === 'old')?.apiKey).toBe(key);
    await again.stop();
  });
});
