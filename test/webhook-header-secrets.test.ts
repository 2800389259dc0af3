// Alert webhook headers carry secrets (a Slack or PagerDuty token) and are kept as provider keys are:
// masked by the admin API, kept when sent back masked, and at rest in keys.json (0600), never in sluice.db.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, openDataDir } from '../src/engine/store/database.ts';
import { SettingsRepository, settingsHistoryMigration, settingsMigration } from '../src/engine/store/settings-repository.ts';
import { fastSimulator, startTestEngine, type TestEngine } from './helpers/test-engine.ts';
import { until } from './helpers/waiting.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => { for (const c of cleanups.splice(0).reverse()) await c(); });

const TOKEN = 'xoxb-secret-token-0123456789';
const dbBytes = (dir: string) => Buffer.concat(['sluice.db', 'sluice.db-wal'].map((f) => { try { return readFileSync(join(dir, f)); } catch { return Buffer.alloc(0); } }));

/** A webhook receiver that keeps the headers of each delivery. */
async function receiver(): Promise<{ url: string; received: Array<IncomingMessage['headers']> }> {
  const received: Array<IncomingMessage['headers']> = [];
  const hook = createServer((req, res) => { req.resume(); req.on('end', () => { received.push(req.headers); res.end(); }); });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise<void>((r) => hook.close(() => r())));
  return { url: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`, received };
}

const settings = (s: TestEngine, body?: object) => s.admin('/admin/api/alerts/settings', body ? { method: 'PUT', body: JSON.stringify(body) } : {});

describe('alert webhook headers', () => {
  it('are shown masked, kept when sent back masked, sent in clear to the webhook, and kept out of sluice.db across a restart', async () => {
    const hook = await receiver();
    const first = await startTestEngine({ providers: [fastSimulator], keepDataDir: true });
    const saved = await settings(first, { webhookUrl: hook.url, webhookHeaders: { authorization: `Bearer ${TOKEN}`, 'x-short': 'abc' } });
    expect(saved.status).toBe(200);
    const masked = { authorization: 'Bea…6789', 'x-short': '…' };
    expect(((await saved.json()) as { webhookHeaders: object }).webhookHeaders).toEqual(masked);
    const shown = (await (await settings(first)).json()) as { webhookHeaders: Record<string, string>; minSeverity: string };
    expect(shown.webhookHeaders).toEqual(masked);

    // the panel saves every field back as it was shown, with one changed
    expect((await settings(first, { ...shown, minSeverity: 'critical', webhookHeaders: { ...shown.webhookHeaders, 'x-new': 'plain' } })).status).toBe(200);
    await first.stop();
    expect(statSync(join(first.dataDir, 'keys.json')).mode & 0o777).toBe(0o600);
    expect(dbBytes(first.dataDir).includes(TOKEN), 'sluice.db holds the token').toBe(false);

    const second = await startTestEngine({ providers: [fastSimulator], dataDir: first.dataDir });
    cleanups.push(() => second.stop());
    expect(await (await settings(second)).json()).toMatchObject({ minSeverity: 'critical', webhookHeaders: { ...masked, 'x-new': '…' } });
    expect((await second.admin('/admin/api/alerts/settings/test', { method: 'POST' })).status).toBe(200);
    await until(() => hook.received.length === 1, 'the test alert');
    expect(hook.received[0]).toMatchObject({ authorization: `Bearer ${TOKEN}`, 'x-short': 'abc', 'x-new': 'plain' });

    // a value typed anew replaces the stored one; a header left out is removed
    expect((await settings(second, { webhookHeaders: { authorization: 'Bearer other-token-value' } })).status).toBe(200);
    expect((await (await settings(second)).json() as { webhookHeaders: object }).webhookHeaders).toEqual({ authorization: 'Bea…alue' });
  });

  it('saved in clear by an older build are moved to keys.json, and sluice.db and its history no longer hold them', async () => {
    const boot = await startTestEngine({ providers: [fastSimulator], keepDataDir: true });
    await boot.stop();
    const db = openDataDir(boot.dataDir);
    migrate(db, [settingsMigration, settingsHistoryMigration]);
    const repo = new SettingsRepository(db);
    const old = { webhookUrl: 'http://127.0.0.1:9/hook', webhookHeaders: { 'x-token': TOKEN }, minSeverity: 'warning', notifyResolved: true, desktop: true };
    repo.set('alerts.notifications', old, 1);
    repo.set('alerts.notifications', { ...old, minSeverity: 'critical' }, 2);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    expect(dbBytes(boot.dataDir).includes(TOKEN)).toBe(true);

    const after = await startTestEngine({ providers: [fastSimulator], dataDir: boot.dataDir, keepDataDir: true });
    expect(await (await settings(after)).json()).toMatchObject({ minSeverity: 'critical', webhookHeaders: { 'x-token': 'xox…6789' } });
    await after.stop();
    expect(readFileSync(join(boot.dataDir, 'keys.json'), 'utf8')).toContain(TOKEN);
    expect(dbBytes(boot.dataDir).includes(TOKEN), 'sluice.db still holds the token').toBe(false);
    const again = await startTestEngine({ providers: [fastSimulator], dataDir: boot.dataDir });
    cleanups.push(() => again.stop());
    expect(await (await settings(again)).json()).toMatchObject({ webhookHeaders: { 'x-token': 'xox…6789' } });
  });
});
