// The second identical request is a cache hit and shows up as an entry; clearing behind the
// confirmation empties the cache and the next request misses.
import { expect, sendChat, test } from './fixtures.ts';
import { CachePage } from './pages/cache-page.ts';

test('a repeated request hits the cache; clearing it makes the next one miss', async ({ page, panel, engine }) => {
  await panel.open();
  await panel.goto('Cache');
  const cache = new CachePage(page);
  await expect(page.getByText('The cache is empty.', { exact: false })).toBeVisible();

  const first = await sendChat(engine.baseUrl, 'sim-chat', 'What is the capital of France?');
  expect(first.headers.get('x-sluice-cache')).toBe('miss');
  const second = await sendChat(engine.baseUrl, 'sim-chat', 'What is the capital of France?');
  expect(second.headers.get('x-sluice-cache')).toMatch(/^hit-/);

  await expect(cache.rows).toHaveCount(1);
  await expect(cache.rows.first()).toContainText('sim-chat');
  await expect(cache.rows.first()).toContainText('capital of France');
  await expect(cache.tileValue('Hits')).toHaveText('1');
  await expect(cache.tierEntries('memory')).toHaveText('1');

  // Search narrows the list; the entry opens in detail.
  await cache.filter('Search').fill('Berlin');
  await expect(page.getByText('No entry matches these filters.')).toBeVisible();
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await cache.rows.first().getByRole('button', { name: /Open entry/ }).click();
  await expect(cache.dialog.getByRole('heading', { name: 'Cache entry' })).toBeVisible();
  await expect(cache.dialog).toContainText('capital of France');
  await page.keyboard.press('Escape');

  await cache.clearButton.click();
  await expect(cache.dialog.getByRole('status')).toHaveText(/This deletes 1 entries/);
  await cache.dialog.getByRole('button', { name: 'Delete 1 entries' }).click();
  await expect(panel.toast(/Cleared 1 entries/)).toBeVisible();
  await expect(cache.dialog).toBeHidden();
  await expect(cache.tierEntries('memory')).toHaveText('0');
  await expect(page.getByText('The cache is empty.', { exact: false })).toBeVisible();

  const third = await sendChat(engine.baseUrl, 'sim-chat', 'What is the capital of France?');
  expect(third.headers.get('x-sluice-cache')).toBe('miss');
  await expect(cache.rows).toHaveCount(1);
});

test('clearing by model says nothing matches for an unknown model', async ({ page, panel, engine }) => {
  await panel.open();
  await sendChat(engine.baseUrl, 'sim-chat', 'keep me');
  await panel.goto('Cache');
  const cache = new CachePage(page);
  await expect(cache.rows).toHaveCount(1);
  await cache.clearButton.click();
  await cache.dialog.getByRole('radio', { name: 'One model' }).check();
  await expect(cache.dialog.getByRole('status')).toHaveText(/Fill in the field/);
  await cache.dialog.getByLabel('Model').fill('no-such-model');
  await expect(cache.dialog.getByRole('status')).toHaveText(/Nothing matches/);
  await expect(cache.dialog.getByRole('button', { name: /Delete 0 entries/ })).toBeDisabled();
  await cache.dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(cache.rows).toHaveCount(1);
});
