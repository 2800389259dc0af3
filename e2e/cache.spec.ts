// The second identical request is a cache hit and shows up as an entry; clearing behind the
// confirmation empties the cache and the next request misses.
import { enableSemanticForSimChat, expect, sendChat, test } from './fixtures.ts';
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

test('Tab and Shift+Tab go round inside the clear dialog; Escape closes it and gives focus back', async ({ page, panel, engine }) => {
  await panel.open();
  await sendChat(engine.baseUrl, 'sim-chat', 'keep me');
  await panel.goto('Cache');
  const cache = new CachePage(page);
  await expect(cache.rows).toHaveCount(1);
  await cache.clearButton.focus();
  await page.keyboard.press('Enter');
  const d = cache.dialog;
  const stops = [d.getByRole('button', { name: 'Close' }), d.getByRole('radio', { name: 'Entries older than' }), d.getByRole('spinbutton', { name: 'Hours' }),
    d.getByRole('button', { name: 'Cancel' }), d.getByRole('button', { name: 'Delete 1 entry' })];
  await stops[1].check();
  await stops[2].fill('0');
  await expect(stops[4]).toBeEnabled();
  await stops[0].focus();
  // twice round, forward from Close, then back: focus never leaves for the page body
  for (let i = 1; i <= stops.length * 2; i += 1) {
    await page.keyboard.press('Tab');
    await expect(stops[i % stops.length]).toBeFocused();
  }
  for (let i = stops.length * 2 - 1; i >= 0; i -= 1) {
    await page.keyboard.press('Shift+Tab');
    await expect(stops[i % stops.length]).toBeFocused();
  }

  await page.keyboard.press('Escape');
  await expect(cache.dialog).toBeHidden();
  await expect(cache.clearButton).toBeFocused();
  await expect(cache.rows).toHaveCount(1);
});

test('a semantic hit shows side by side, can be marked false, and the replay lab compares policies', async ({ page, panel, engine }) => {
  await enableSemanticForSimChat(engine, { threshold: 0.85 });

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

test('marking a semantic hit false marks the earlier hits of the same question too', async ({ page, panel, engine }) => {
  await enableSemanticForSimChat(engine);
  await sendChat(engine.baseUrl, 'sim-chat', 'What is machine learning?');
  // the same question asked twice (hits of one pair), and another wording of it (a pair of its own)
  for (const q of ["what's machine learning", 'Can you tell me what machine learning is?', "What's machine learning?"]) {
    expect((await sendChat(engine.baseUrl, 'sim-chat', q)).headers.get('x-sluice-cache')).toBe('hit-semantic');
  }

  await panel.open();
  await panel.goto('Cache');
  const hits = page.getByRole('list', { name: 'Recent semantic hits' });
  await expect(hits.getByRole('listitem')).toHaveCount(3);
  await hits.getByRole('listitem').first().getByRole('button', { name: /Mark the hit for/ }).click();
  await expect(panel.toast(/That entry now needs a similarity of/)).toBeVisible();
  // review 4: the older hit of the marked pair still offered an active "Mark as false hit"
  const item = (text: string) => hits.getByRole('listitem').filter({ has: page.getByRole('blockquote').getByText(text, { exact: true }) });
  for (const q of ["What's machine learning?", "what's machine learning"]) {
    await expect(item(q)).toContainText('Marked as false hit');
    await expect(item(q).getByRole('button', { name: /Mark the hit for/ })).toHaveCount(0);
  }
  await expect(item('Can you tell me what machine learning is?').getByRole('button', { name: /Mark the hit for/ })).toBeEnabled();
  // and so they stay after a reload
  await page.reload();
  await expect(hits.getByRole('button', { name: /Mark the hit for/ })).toHaveCount(1);
});

test('a long namespace stays in its column, the exact filters offer the whole name, and sizes say what they count', async ({ page, panel, engine }) => {
  const namespace = `team-${'x'.repeat(123)}`; // 128 characters, the longest the header takes
  const res = await fetch(`${engine.baseUrl}/v1/chat/completions`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-sluice-cache-namespace': namespace },
    body: JSON.stringify({ model: 'sim-chat', messages: [{ role: 'user', content: 'namespaced question' }] }),
  });
  expect(res.status).toBe(200);
  await res.text();
  await page.setViewportSize({ width: 1024, height: 800 });
  await panel.open();
  await panel.goto('Cache');
  const cache = new CachePage(page);
  await expect(cache.rows).toHaveCount(1);

  // the namespace is cut like Model and Request, whole on hover; the table fits the card
  const cell = cache.rows.first().getByRole('cell').nth(3);
  await expect(cell).toHaveAttribute('title', namespace);
  expect((await cell.boundingBox())!.width).toBeLessThan(220);
  const wrap = page.locator('.table-wrap').filter({ has: cache.entries });
  expect(await wrap.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  await expect(cache.entries.getByRole('columnheader', { name: 'Response size' })).toBeVisible();

  // Model and Namespace match the whole name: part of it finds nothing, says why, and offers the whole name
  await expect(page.getByText('Model and Namespace match the whole name')).toBeVisible();
  await cache.filter('Model').fill('sim');
  await expect(page.getByText('No entry matches these filters. Model and Namespace match the whole name only; Search finds any part of the request text.')).toBeVisible();
  await page.getByRole('button', { name: 'Filter by Model “sim-chat”' }).click();
  await expect(cache.filter('Model')).toHaveValue('sim-chat');
  await expect(cache.rows).toHaveCount(1);
  await cache.filter('Namespace').fill('team');
  await page.getByRole('button', { name: `Filter by Namespace “${namespace}”` }).click();
  await expect(cache.rows).toHaveCount(1);

  // the clear preview counts cache space as the tier sizes do, and says so
  await cache.clearButton.click();
  await cache.dialog.getByRole('radio', { name: 'One namespace' }).check();
  await cache.dialog.getByRole('textbox', { name: 'Namespace' }).fill(namespace);
  await expect(cache.dialog.getByRole('status')).toHaveText(/^This deletes 1 entry from memory and disk: [\d.]+ (B|KB) of cache space, counted as the tier sizes above count it \(the responses plus each entry’s bookkeeping\)\./);
  await cache.dialog.getByRole('button', { name: 'Cancel' }).click();

  // the entry's endpoint reads as the table words it, in Chinese too
  await panel.languageSelect.selectOption('zh-CN');
  const row = page.getByRole('table', { name: '缓存条目' }).getByRole('row').filter({ has: page.getByRole('cell') }).first();
  await expect(row.getByRole('cell').nth(1)).toHaveText('对话');
  await row.getByRole('button').first().click();
  const dialog = page.getByRole('dialog', { name: '缓存条目' });
  await expect(dialog.getByRole('definition').nth(1)).toHaveText('对话');
  await page.keyboard.press('Escape');
  await panel.languageSelect.selectOption('en');
});
