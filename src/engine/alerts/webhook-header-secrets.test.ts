import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_ALERT_NOTIFICATIONS } from '../../shared/alerts.ts';
import { silentLogger } from '../logger.ts';
import type { SecretCodec } from '../secrets.ts';
import { KeyFile } from '../store/key-file.ts';
import { maskedHeaders, unmaskedHeaders, WebhookHeaderVault } from './webhook-header-secrets.ts';

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });
const keyFile = () => { const d = mkdtempSync(join(tmpdir(), 'sluice-hooks-')); dirs.push(d); return new KeyFile({ dir: d }); };

/** A keychain as the desktop has one: sealed values are marked, others open to themselves. */
const keychain: SecretCodec = {
  encrypted: true,
  seal: (plain) => `safe:${Buffer.from(plain).toString('base64')}`,
  open: (sealed) => (sealed.startsWith('safe:') ? Buffer.from(sealed.slice(5), 'base64').toString() : sealed),
};

const withHeaders = (webhookHeaders: Record<string, string>) => ({ ...DEFAULT_ALERT_NOTIFICATIONS, webhookUrl: 'http://h/hook', webhookHeaders });

describe('webhook header values', () => {
  it('are masked as provider keys are, and a masked value sent back (any case of name) stands for the stored one', () => {
    const stored = { Authorization: 'Bearer xoxb-0123456789', 'x-short': 'abc' };
    expect(maskedHeaders(withHeaders(stored)).webhookHeaders).toEqual({ Authorization: 'Bea…6789', 'x-short': '…' });
    expect(unmaskedHeaders({ authorization: 'Bea…6789', 'x-short': 'new', 'x-other': '…' }, stored))
      .toEqual({ authorization: 'Bearer xoxb-0123456789', 'x-short': 'new', 'x-other': '…' });
  });

  it('are sealed by a keychain in what sluice.db keeps, opened again, and clear ones an older build saved are found and sealed', () => {
    const vault = new WebhookHeaderVault({ codec: keychain, keyFile: keyFile(), logger: silentLogger });
    const stored = vault.toStored(withHeaders({ 'x-token': 'xoxb-secret' }));
    expect(stored.webhookHeaders['x-token']).toMatch(/^safe:/);
    expect(vault.holdsClear(stored)).toBe(false);
    expect(vault.restore(stored)).toMatchObject({ webhookHeaders: { 'x-token': 'xoxb-secret' } });
    const older = withHeaders({ 'x-token': 'xoxb-secret' });
    expect(vault.holdsClear(older)).toBe(true);
    expect(vault.scrub(older)).toMatchObject({ webhookHeaders: { 'x-token': stored.webhookHeaders['x-token'] } });
  });

  it('without a keychain go to keys.json, and sluice.db keeps none', () => {
    const file = keyFile();
    const vault = new WebhookHeaderVault({ codec: { encrypted: false, seal: (s) => s, open: (s) => s }, keyFile: file, logger: silentLogger });
    const stored = vault.toStored(withHeaders({ 'x-token': 'xoxb-secret' }));
    expect(stored.webhookHeaders).toEqual({});
    expect(file.secret('alerts:webhookHeaders')).toBe('{"x-token":"xoxb-secret"}');
    expect(vault.restore(stored)).toMatchObject({ webhookHeaders: { 'x-token': 'xoxb-secret' } });
    vault.toStored(withHeaders({}));
    expect(file.secret('alerts:webhookHeaders')).toBeUndefined();
  });
});
