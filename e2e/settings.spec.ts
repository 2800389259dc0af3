// Settings persist in the engine; an added provider shows in the list with a masked key.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from './fixtures.ts';
import { SettingsPage } from './pages/settings-page.ts';

test('body logging toggles and survives a reload', async ({ page, panel }) => {
  await panel.open();
  await panel.goto('Settings');
  const settings = new SettingsPage(page);
  await expect(settings.logBodies).toHaveAttribute('aria-checked', 'false');
  await settings.logBodies.click();
  await expect(panel.toast('Settings saved.')).toBeVisible();
  await expect(settings.logBodies).toHaveAttribute('aria-checked', 'true');

  await page.reload();
  await expect(settings.logBodies).toHaveAttribute('aria-checked', 'true');
});

test('a switch saves itself and keeps the unsaved edits of other fields', async ({ page, panel, engine }) => {
  await panel.open();
  await panel.goto('Settings');
  const settings = new SettingsPage(page);
  const ttl = page.getByLabel('Cache time to live (seconds)');
  await ttl.fill('1800');
  await settings.logBodies.click();
  await expect(panel.toast('Settings saved.')).toBeVisible();
  await expect(settings.logBodies).toHaveAttribute('aria-checked', 'true');
  await expect(ttl).toHaveValue('1800'); // still the user's, not yet saved
  const saved = await (await fetch(`${engine.baseUrl}/admin/api/settings`, { headers: { authorization: `Bearer ${engine.token}` } })).json() as { cacheTtlSeconds: number; logBodies: boolean };
  expect(saved).toMatchObject({ logBodies: true });
  expect(saved.cacheTtlSeconds).not.toBe(1800);
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect.poll(async () => ((await (await fetch(`${engine.baseUrl}/admin/api/settings`, { headers: { authorization: `Bearer ${engine.token}` } })).json()) as { cacheTtlSeconds: number }).cacheTtlSeconds).toBe(1800);
});

test('a size out of range is named under its field, in its unit, and nothing is saved', async ({ page, panel }) => {
  await panel.open();
  await panel.goto('Settings');
  const memory = page.getByLabel('Memory cache size (MiB)', { exact: true });
  await memory.fill('99999999');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(memory).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('alert').filter({ hasText: 'Enter a number from 0 to 65536.' })).toBeVisible();
  await expect(panel.toast('Settings saved.')).toHaveCount(0);
  await memory.fill('128');
  await expect(memory).not.toHaveAttribute('aria-invalid', 'true');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(panel.toast('Settings saved.')).toBeVisible();
});

test('a size in MiB shows as saved, to the byte, and saving another field leaves it as it is', async ({ page, panel, engine }) => {
  const auth = { authorization: `Bearer ${engine.token}`, 'content-type': 'application/json' };
  const stored = async () => (await (await fetch(`${engine.baseUrl}/admin/api/settings`, { headers: auth })).json()) as { cacheMemoryMaxBytes: number; cacheDiskMaxBytes: number; cacheTtlSeconds: number };
  const put = await fetch(`${engine.baseUrl}/admin/api/settings`, { method: 'PUT', headers: auth, body: JSON.stringify({ cacheMemoryMaxBytes: 1_572_864, cacheDiskMaxBytes: 10 * 1024 * 1024 + 1 }) });
  expect(put.status).toBe(200);
  await panel.open();
  await panel.goto('Settings');
  const memory = page.getByLabel('Memory cache size (MiB)', { exact: true });
  const disk = page.getByLabel('Disk cache size (MiB)', { exact: true });
  const ttl = page.getByLabel('Cache time to live (seconds)', { exact: true });
  await expect(memory).toHaveValue('1.5');
  await expect(disk).toHaveValue('10.000001');

  await ttl.fill('1800');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(panel.toast('Settings saved.')).toBeVisible();
  await expect.poll(stored).toMatchObject({ cacheTtlSeconds: 1800, cacheMemoryMaxBytes: 1_572_864, cacheDiskMaxBytes: 10 * 1024 * 1024 + 1 });

  // a fraction of a second is refused, not rounded; a fraction of a MiB is a size like any other
  await ttl.fill('2.5');
  await memory.fill('0.75');
  await page.getByRole('button', { name: 'Save settings' }).click();
  // the field keeps its name with the error shown: the error describes it
  await expect(ttl).toHaveAttribute('aria-invalid', 'true');
  await expect(ttl).toHaveAccessibleDescription('Enter a whole number from 0 to 315360000.');
  await expect(page.getByRole('alert').filter({ hasText: 'Enter a whole number from 0 to 315360000.' })).toBeVisible();
  await ttl.fill('1800');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect.poll(async () => (await stored()).cacheMemoryMaxBytes).toBe(786_432);
  await page.reload();
  await expect(memory).toHaveValue('0.75');
  await expect(ttl).toHaveValue('1800');
});

test('add, edit and delete an OpenAI-compatible provider', async ({ page, panel, engine }) => {
  await panel.open();
  await panel.goto('Settings');
  const settings = new SettingsPage(page);
  await expect(settings.providerRow('simulator')).toBeVisible();
  // always there: it is edited (and disabled there), never deleted
  await expect(settings.providerRow('simulator').getByRole('button', { name: 'Edit provider simulator' })).toBeVisible();
  await expect(settings.providerRow('simulator').getByRole('button', { name: 'Delete provider simulator' })).toHaveCount(0);

  await settings.addProvider.click();
  const dialog = settings.dialog;
  await dialog.getByLabel('Id', { exact: true }).fill('acme');
  await dialog.getByLabel('Label').fill('Acme AI');
  await dialog.getByLabel('Base URL').fill('http://127.0.0.1:9/v1');
  await dialog.getByLabel('API key').fill('sk-acme-secret-1234');
  await dialog.getByLabel(/^Models/).fill('acme-large');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();

  const row = settings.providerRow('acme');
  await expect(row).toContainText('sk-…1234');
  await expect(row).not.toContainText('secret');
  await expect(row).toContainText('http://127.0.0.1:9/v1');

  // The engine never hands the key back.
  const listed = await (await fetch(`${engine.baseUrl}/admin/api/providers`, { headers: { authorization: `Bearer ${engine.token}` } })).text();
  expect(listed).not.toContain('sk-acme-secret-1234');

  // Editing without typing a key keeps it.
  await row.getByRole('button', { name: 'Edit provider acme' }).click();
  await expect(dialog.getByLabel('API key')).toHaveValue('');
  await expect(dialog.getByText(/keep the stored key \(sk-…1234\)/)).toBeVisible();
  await dialog.getByLabel('Label').fill('Acme AI (edited)');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(row).toContainText('Acme AI (edited)');
  await expect(row).toContainText('sk-…1234');

  await page.reload();
  await expect(settings.providerRow('acme')).toContainText('sk-…1234');

  await settings.providerRow('acme').getByRole('button', { name: 'Delete provider acme' }).click();
  await expect(settings.dialog.getByRole('heading', { name: 'Delete provider acme?' })).toBeVisible();
  await settings.dialog.getByRole('button', { name: 'Delete' }).click();
  await expect(settings.providerRow('acme')).toHaveCount(0);
});

test('the provider id hint says what an id may hold, and the dialog holds to the same rule as the engine', async ({ page, panel }) => {
  await panel.open();
  await panel.goto('Settings');
  const settings = new SettingsPage(page);
  await settings.addProvider.click();
  const dialog = settings.dialog;
  const id = dialog.getByLabel('Id', { exact: true });
  await expect(id).toHaveAccessibleDescription('Up to 64 lower-case letters, digits, “.”, “_” and “-”, starting with a letter or digit; used in model names as id/model.');
  await dialog.getByLabel('Base URL').fill('http://127.0.0.1:9/v1');
  // upper case is what the engine refuses: the dialog says so in its own words, before sending
  await id.fill('Acme');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('Id must be up to 64 lower-case letters, digits, “.”, “_” and “-”, starting with a letter or digit.');
  await expect(id).toHaveAttribute('aria-invalid', 'true');
  await expect(id).toHaveAccessibleDescription(/starting with a letter or digit; used in model names as id\/model\. Id must be up to 64 lower-case/);
  // dots and underscores, as the hint says, are fine
  await id.fill('acme.eu_2');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await expect(settings.providerRow('acme.eu_2')).toBeVisible();
});

test('deleting a provider that routing still uses says what uses it, and keeps the provider', async ({ page, panel, engine }) => {
  const auth = { authorization: `Bearer ${engine.token}`, 'content-type': 'application/json' };
  expect((await fetch(`${engine.baseUrl}/admin/api/providers/spare`, { method: 'PUT', headers: auth, body: JSON.stringify({ type: 'simulator' }) })).status).toBe(200);
  const alias = { targets: [{ provider: 'simulator', model: 'sim-chat' }, { provider: 'spare', model: 'sim-chat' }] };
  expect((await fetch(`${engine.baseUrl}/admin/api/routing/aliases/team`, { method: 'PUT', headers: auth, body: JSON.stringify(alias) })).status).toBe(200);

  await panel.open();
  await panel.goto('Settings');
  const settings = new SettingsPage(page);
  await settings.providerRow('spare').getByRole('button', { name: 'Delete provider spare' }).click();
  await settings.dialog.getByRole('button', { name: 'Delete' }).click();
  await expect(panel.toast('Provider spare was not deleted: routing still uses it in alias “team”. Point them at another provider on the Routing page, then delete it.')).toBeVisible();
  await expect(settings.providerRow('spare')).toBeVisible();
});

test('saving an open provider unchanged keeps it open to every model', async ({ page, panel, engine }) => {
  // an OpenAI-compatible server that lists one model: the dialog shows it, and must not save it as a restriction
  const upstream = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ object: 'list', data: [{ id: 'up-listed', object: 'model', created: 0, owned_by: 'acme' }] }));
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const auth = { authorization: `Bearer ${engine.token}`, 'content-type': 'application/json' };
  const providers = async () => (await (await fetch(`${engine.baseUrl}/admin/api/providers`, { headers: auth })).json()) as Array<{ id: string; open: boolean; models: string[]; configuredModels: string[] }>;
  try {
    const baseUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1`;
    const put = await fetch(`${engine.baseUrl}/admin/api/providers/open1`, { method: 'PUT', headers: auth, body: JSON.stringify({ id: 'open1', type: 'openai-compatible', baseUrl }) });
    expect(put.status).toBe(200);
    await expect.poll(async () => (await providers()).find((p) => p.id === 'open1')?.models).toEqual(['up-listed']);

    await panel.open();
    await panel.goto('Settings');
    const settings = new SettingsPage(page);
    await settings.providerRow('open1').getByRole('button', { name: 'Edit provider open1' }).click();
    await expect(settings.dialog.getByLabel(/^Models/)).toHaveValue('');
    await expect(settings.dialog.getByText(/serves any model name a request asks for \(it lists up-listed\)/)).toBeVisible();
    await settings.dialog.getByRole('button', { name: 'Save' }).click();
    await expect(settings.dialog).toBeHidden();

    const saved = (await providers()).find((p) => p.id === 'open1');
    expect(saved).toMatchObject({ open: true, configuredModels: [] });
  } finally {
    upstream.close();
  }
});
