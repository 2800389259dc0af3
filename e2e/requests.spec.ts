// Requests sent to the gateway appear live in the panel, with model, provider and status; the detail opens.
import { expect, sendChat, test } from './fixtures.ts';
import { RequestsPage } from './pages/requests-page.ts';

test('chat requests appear live in the Requests list and open in detail', async ({ page, panel, engine }) => {
  await panel.open();
  await panel.goto('Requests');
  const requests = new RequestsPage(page);
  await expect(page.getByText('No requests yet.')).toBeVisible();

  for (const content of ['first question', 'second question']) {
    const res = await sendChat(engine.baseUrl, 'sim-chat', content);
    expect(res.status).toBe(200);
  }
  const fast = await sendChat(engine.baseUrl, 'sim-fast', 'a quick one');
  expect(fast.status).toBe(200);

  await expect(requests.rows).toHaveCount(3);
  const chatRows = requests.rowWith('sim-chat');
  await expect(chatRows).toHaveCount(2);
  await expect(chatRows.first()).toContainText('simulator');
  await expect(chatRows.first()).toContainText('200');
  await expect(requests.rowWith('sim-fast')).toHaveCount(1);

  // Filter by model, then clear.
  await requests.filter('Model').selectOption('sim-fast');
  await expect(requests.rows).toHaveCount(1);
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(requests.rows).toHaveCount(3);

  // An unknown model fails and shows as an error.
  const bad = await sendChat(engine.baseUrl, 'no-such-model', 'hello');
  expect(bad.status).toBeGreaterThanOrEqual(400);
  await requests.filter('Status').selectOption('error');
  await expect(requests.rows).toHaveCount(1);
  await expect(requests.rows.first()).toContainText(String(bad.status));
  await requests.filter('Status').selectOption('');

  await requests.rowWith('sim-fast').getByRole('button', { name: /Open request/ }).click();
  const dialog = requests.detail;
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('heading', { name: 'Summary' })).toBeVisible();
  await expect(dialog.getByRole('heading', { name: 'Route trace' })).toBeVisible();
  await expect(dialog).toContainText('sim-fast');
  await expect(dialog).toContainText('/v1/chat/completions');
  await expect(dialog.getByText(/Bodies are not logged/)).toBeVisible();
  // Timings read as words, each value with its unit.
  const timings = dialog.getByRole('region', { name: 'Timings' });
  for (const label of ['Queue', 'Upstream', 'First byte', 'Total']) await expect(timings.getByRole('term').filter({ hasText: label })).toHaveCount(1);
  await expect(timings.getByRole('definition').last()).toHaveText(/^\d+(\.\d)? m?s$/);
  await expect(timings).not.toContainText('Ms');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  // focus goes back to the button that opened it, so a keyboard user carries on where they were
  await expect(requests.rowWith('sim-fast').getByRole('button', { name: /Open request/ })).toBeFocused();

  // The panel's own test button goes through the gateway too.
  await requests.testButton.click();
  await expect(panel.toast(/Test request answered by simulator/)).toBeVisible();
  await expect(requests.rows).toHaveCount(5);
});

test('search finds a request long gone from the live list, and "Load older" pages back through the whole log', async ({ page, panel, engine }) => {
  test.setTimeout(120_000);
  await panel.open();
  await panel.goto('Requests');
  const requests = new RequestsPage(page);
  const openButton = (id: string) => requests.table.getByRole('button', { name: `Open request ${id}` });
  const loadOlder = page.getByRole('button', { name: 'Load older requests' });

  // 600 requests with distinct contents, more than the live list keeps; the id each answer names
  const ids: string[] = [];
  for (let i = 0; i < 600; i += 20) {
    const batch = await Promise.all(Array.from({ length: 20 }, (_, j) => sendChat(engine.baseUrl, 'sim-fast', `question number ${i + j}`)));
    for (const res of batch) {
      expect(res.status).toBe(200);
      ids.push(res.headers.get('x-request-id')!);
    }
  }
  const early = ids[10];
  await expect(openButton(ids.at(-1)!)).toBeVisible();
  await expect(openButton(early)).toHaveCount(0);

  await requests.search.fill(early);
  await expect(requests.rows).toHaveCount(1);
  await expect(page.getByText('1 shown', { exact: true })).toBeVisible();
  await openButton(early).click();
  await expect(requests.detail).toContainText(early);
  await expect(requests.detail).toContainText('sim-fast');
  await page.keyboard.press('Escape');

  // A filter pages back too, in pages of 200; the keyboard stays on the button from page to page.
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await requests.filter('Model').selectOption('sim-fast');
  await expect(page.getByText('200 shown', { exact: true })).toBeVisible();
  await loadOlder.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByText('400 shown', { exact: true })).toBeVisible();
  await expect(loadOlder).toBeFocused();

  // Without a filter: the live list, then the rest of the log after its last row, each request once.
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(requests.rows).not.toHaveCount(0);
  expect(await requests.rows.count()).toBeLessThanOrEqual(500);
  await expect(openButton(ids[0])).toHaveCount(0);
  await loadOlder.click();
  await expect(requests.rows).toHaveCount(600);
  await expect(page.getByText('600 shown', { exact: true })).toBeVisible();
  await expect(openButton(ids[0])).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'No older requests.' })).toBeVisible();
  await expect(loadOlder).toBeDisabled();
});

test('the Model menu offers a model sent before the rows the page loaded, and picking it finds that request', async ({ page, panel, engine }) => {
  test.setTimeout(120_000);
  // 'smart' is an alias: the simulator answers with sim-reasoner
  const early = await sendChat(engine.baseUrl, 'smart', 'asked before everything else');
  expect(early.status).toBe(200);
  const earlyId = early.headers.get('x-request-id')!;
  for (let i = 0; i < 520; i += 20) {
    const batch = await Promise.all(Array.from({ length: 20 }, (_, j) => sendChat(engine.baseUrl, 'sim-fast', `later question ${i + j}`)));
    expect(batch.every((r) => r.status === 200)).toBe(true);
  }

  await panel.open();
  await panel.goto('Requests');
  const requests = new RequestsPage(page);
  await expect(requests.rows).toHaveCount(500);
  await expect(requests.rowWith('sim-reasoner')).toHaveCount(0);
  const model = requests.filter('Model');
  // both names the request carries: the alias asked for and the model that answered
  await expect(model.getByRole('option', { name: 'sim-reasoner', exact: true })).toHaveCount(1);
  await expect(model.getByRole('option', { name: 'smart', exact: true })).toHaveCount(1);
  await model.selectOption('sim-reasoner');
  await expect(requests.rows).toHaveCount(1);
  await expect(requests.table.getByRole('button', { name: `Open request ${earlyId}` })).toBeVisible();
  await model.selectOption('smart');
  await expect(requests.rows).toHaveCount(1);

  // a model first used now is offered as soon as its request arrives
  await expect(model.getByRole('option', { name: 'sim-chat', exact: true })).toHaveCount(0);
  expect((await sendChat(engine.baseUrl, 'sim-chat', 'a model new to the log')).status).toBe(200);
  await expect(model.getByRole('option', { name: 'sim-chat', exact: true })).toHaveCount(1);
});

test('the Status menu tells client errors, rate-limited requests and server errors apart, and offers the codes in the log', async ({ page, panel, engine }) => {
  const auth = { authorization: `Bearer ${engine.token}`, 'content-type': 'application/json' };
  const admin = async (method: string, path: string, body: unknown) => {
    const res = await fetch(`${engine.baseUrl}/admin/api${path}`, { method, headers: auth, body: JSON.stringify(body) });
    expect(res.status, await res.text()).toBe(200);
  };
  // a budget of one token refuses the second request with a 429; a provider nothing listens for answers 502
  await admin('PUT', '/routing', { budgets: [{ id: 'reasoner-day', scope: 'model', match: 'sim-reasoner', period: 'day', unit: 'tokens', limit: 1, onExhausted: 'refuse' }] });
  await admin('PUT', '/providers/gone', { type: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1', models: ['nothing-here'] });
  const sent: number[] = [];
  for (const [i, model] of ['sim-fast', 'smart', 'smart', 'no-such-model', 'gone/nothing-here'].entries()) {
    sent.push((await sendChat(engine.baseUrl, model, `question ${i}`)).status);
  }
  expect(sent).toEqual([200, 200, 429, 404, 502]);

  await panel.open();
  await panel.goto('Requests');
  const requests = new RequestsPage(page);
  await expect(requests.rows).toHaveCount(5);
  const status = requests.filter('Status');
  const shown = async (label: string, count: number, codes: string[]) => {
    await status.selectOption({ label });
    await expect(requests.rows).toHaveCount(count);
    for (const code of codes) await expect(requests.rowWith(code)).not.toHaveCount(0);
  };
  await shown('Client errors (4xx)', 2, ['429', '404']);
  await shown('Rate-limited (429)', 1, ['429']);
  await shown('Server or upstream errors (5xx)', 1, ['502']);
  await shown('Success (2xx)', 2, ['200']);
  await shown('Any error', 3, ['429', '404', '502']);
  // the codes the log holds, each its own entry
  await expect(status.locator('optgroup[label="Status codes in the log"] > option')).toHaveText(['200', '404', '502']);
  await shown('404', 1, ['404']);
});

test('the dashboard counts requests it receives live', async ({ page, panel, engine }) => {
  await panel.open();
  await expect(page.getByText(/No requests yet/)).toBeVisible();
  for (let i = 0; i < 3; i++) await sendChat(engine.baseUrl, 'sim-fast', `dash ${i}`);
  await expect(page.getByRole('table', { name: 'Latest requests' }).getByRole('row')).toHaveCount(4);
  await expect(page.getByRole('figure', { name: 'Throughput', exact: true })).toBeVisible();
  await expect(page.getByRole('group', { name: 'Error rate' })).toContainText('0.0%');
});
