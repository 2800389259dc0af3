// What the header and the pages say when the engine is away, or back with a new admin token.
import { expect, test } from './fixtures.ts';
import { startEngine } from './engine-process.ts';
import { PanelPage } from './pages/panel-page.ts';

test('an engine that refuses the token (restarted with a new one) says so and takes the new token', async ({ page, engine }) => {
  // the tab still holds the token of the engine's previous start
  await page.goto(`${engine.baseUrl}/ui/#token=token-of-the-last-start`);
  const panel = new PanelPage(page, engine.panelUrl);
  await expect(page.getByTestId('engine-state')).toHaveText('Up, token refused');
  await expect(panel.page.getByRole('switch', { name: 'Engine accepts requests' })).toBeDisabled();
  // not drawn as off (that reads as paused): its state is said to be unknown
  await expect(panel.page.getByRole('switch', { name: 'Engine accepts requests' })).toHaveAccessibleDescription('· unknown');
  await expect(page.getByRole('banner')).toContainText('Engine accepts requests · unknown');
  await expect(page.getByRole('alert').first()).toHaveText(/^The engine is running but refused the admin token\. It makes a new token each time it starts/);
  await expect(page.getByText('The engine cannot be reached.')).toHaveCount(0);

  const field = page.getByLabel('Admin token', { exact: true });
  await field.fill('still-not-it');
  await page.getByRole('button', { name: 'Connect' }).click();
  await expect(field).toHaveAccessibleDescription('The engine refused this token too. Copy the “Admin token:” line of its latest start.');

  await field.fill(engine.token);
  await page.getByRole('button', { name: 'Connect' }).click();
  await expect(panel.connection).toHaveText('Live');
  await expect(page.getByTestId('engine-state')).toHaveText('Running');
  await expect(page.getByRole('switch', { name: 'Engine accepts requests' })).toBeChecked();
  await expect(page.getByRole('banner')).not.toContainText('unknown');
});

test('while the engine is down the header does not say Running, and the Cache page says what it cannot load', async ({ page }) => {
  const engine = await startEngine();
  try {
    const panel = new PanelPage(page, engine.panelUrl);
    await panel.open();
    await expect(page.getByTestId('engine-state')).toHaveText('Running');
    await engine.stop();

    await expect(page.getByTestId('engine-state')).toHaveText('Unreachable');
    const engineSwitch = page.getByRole('switch', { name: 'Engine accepts requests' });
    await expect(engineSwitch).not.toBeChecked();
    await expect(engineSwitch).toBeDisabled();
    await expect(engineSwitch).toHaveAccessibleDescription('· unknown');

    await panel.goto('Cache');
    await expect(page.getByText(/^The cache statistics cannot be loaded: The engine cannot be reached/)).toBeVisible();
    await expect(page.getByText(/^The entries cannot be loaded: The engine cannot be reached/)).toBeVisible();
    await expect(page.getByText('Loading…')).toHaveCount(0);
    // said once in the page, not as a toast per poll
    await page.waitForTimeout(2500);
    await expect(page.getByRole('region', { name: 'Notifications' }).getByText(/cannot be reached/)).toHaveCount(0);
  } finally {
    await engine.stop();
  }
});
