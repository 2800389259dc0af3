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
  await expect(cache.dialog.getByRole('status')).toHaveText(/This deletes 1 entry\b/);
  await cache.dialog.getByRole('button', { name: 'Delete 1 entry' }).click();
  await expect(panel.toast(/Cleared 1 entry \(/)).toBeVisible();
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
  await cache.dialog.getByRole('combobox', { name: 'Model' }).fill('no-such-model');
  await expect(cache.dialog.getByRole('status')).toHaveText(/Nothing matches/);
  await expect(cache.dialog.getByRole('button', { name: /Delete 0 entries/ })).toBeDisabled();
  await cache.dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(cache.rows).toHaveCount(1);
});

test('a semantic hit shows side by side, can be marked false, and the replay lab compares policies', async ({ page, panel, engine }) => {
  const auth = { authorization: `Bearer ${engine.token}`, 'content-type': 'application/json' };
  const current = await (await fetch(`${engine.baseUrl}/admin/api/routing`, { headers: auth })).json() as { config: { rules: unknown[] } };
  const rule = {
    id: 'semantic-chat', name: 'Semantic chat', enabled: true, when: { model: ['sim-chat'] },
    action: { targets: [{ provider: 'simulator', model: 'sim-chat' }], strategy: 'fallback', cache: { semantic: { enabled: true, threshold: 0.85 } } },
  };
  const put = await fetch(`${engine.baseUrl}/admin/api/routing`, { method: 'PUT', headers: auth, body: JSON.stringify({ ...current.config, rules: [rule] }) });
  expect(put.status).toBe(200);

  await panel.open();
  await panel.goto('Cache');
  expect((await sendChat(engine.baseUrl, 'sim-chat', 'What is the capital city of France?')).headers.get('x-sluice-cache')).toBe('miss');
  const similar = await sendChat(engine.baseUrl, 'sim-chat', 'what is the capital city of france');
  expect(similar.headers.get('x-sluice-cache')).toBe('hit-semantic');

  const hits = page.getByRole('list', { name: 'Recent semantic hits' });
  await expect(hits.getByRole('listitem')).toHaveCount(1);
  await expect(hits).toContainText('what is the capital city of france');
  await expect(hits).toContainText('What is the capital city of France?');
  await hits.getByRole('button', { name: /Mark the hit for/ }).click();
  await expect(panel.toast(/That entry now needs a similarity of/)).toBeVisible();
  await expect(hits).toContainText('Marked as false hit');

  const lab = page.getByRole('form', { name: 'Replay lab' });
  await lab.getByRole('button', { name: 'Run replay' }).click();
  await expect(panel.toast(/Replayed \d+ requests?\./)).toBeVisible();
  const results = page.getByRole('table', { name: 'Replay results' });
  // Two recorded requests with different wording: exact matching finds nothing, the semantic policies find one.
  await expect(results.getByRole('row', { name: /^Exact only/ })).toContainText('0 + 0');
  await expect(results.getByRole('row', { name: /^Semantic ≥ 0\.9 / })).toContainText('0 + 1');
  // Every column shows in the card at the usual window widths: nothing hides behind a sideways scroll.
  for (const width of [1280, 1024]) {
    await page.setViewportSize({ width, height: 900 });
    expect(await results.evaluate((t) => t.scrollWidth - t.parentElement!.clientWidth), `table overflow at ${width} px`).toBeLessThanOrEqual(0);
  }
});
