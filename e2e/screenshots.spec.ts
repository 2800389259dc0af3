// Screenshots of every page in both themes (and English + Chinese) for visual review, under test-results/screenshots/.
import { expect, sendChat, test } from './fixtures.ts';
import type { NavName } from './pages/panel-page.ts';

const PAGES: Array<[NavName, string]> = [
  ['Dashboard', 'dashboard'], ['Requests', 'requests'], ['Cache', 'cache'], ['Routing', 'routing'],
  ['Alerts', 'alerts'], ['Load test', 'loadtest'], ['Settings', 'settings'],
];

test('every page renders in light and dark themes', async ({ page, panel, engine }) => {
  test.setTimeout(120_000);
  await panel.open();
  for (let i = 0; i < 6; i++) await sendChat(engine.baseUrl, i % 2 ? 'sim-fast' : 'sim-chat', `prompt ${i % 3}`);
  await sendChat(engine.baseUrl, 'missing-model', 'x');
  await panel.goto('Load test');
  await page.getByRole('form', { name: 'New run' }).getByLabel('Total requests').fill('20');
  await page.getByRole('button', { name: 'Start load test' }).click();
  await expect(page.getByRole('table', { name: 'Results' })).toContainText('Done', { timeout: 30_000 });
  // An alert to show: a rule that holds at once (the in-flight gauge is never below zero), so no waiting on traffic.
  const rule = { id: 'busy', name: 'Busy gateway', metric: 'inFlight', comparator: '>=', threshold: 0, forSeconds: 0, severity: 'warning', enabled: true };
  await fetch(`${engine.baseUrl}/admin/api/alert-rules`, { method: 'POST', headers: { authorization: `Bearer ${engine.token}`, 'content-type': 'application/json' }, body: JSON.stringify(rule) });
  await sendChat(engine.baseUrl, 'sim-chat', 'prompt 0');
  await panel.goto('Alerts');
  await expect(page.getByRole('table', { name: 'Open alerts' })).toContainText('Busy gateway', { timeout: 15_000 });

  // A rule and a budget so the Routing page shows its editor and a progress bar.
  const auth = { authorization: `Bearer ${engine.token}`, 'content-type': 'application/json' };
  const routing = await (await fetch(`${engine.baseUrl}/admin/api/routing`, { headers: auth })).json() as { config: Record<string, unknown> };
  const saved = await fetch(`${engine.baseUrl}/admin/api/routing`, {
    method: 'PUT', headers: auth, body: JSON.stringify({
      ...routing.config,
      rules: [{ id: 'long-prompts', name: 'Long prompts to the smart model', enabled: true, when: { minPromptTokens: 2000 }, action: { targets: [{ provider: 'simulator', model: 'sim-reasoner' }], strategy: 'fallback' } }],
      budgets: [{ id: 'sim-daily', scope: 'provider', match: 'simulator', period: 'day', unit: 'tokens', limit: 4000, onExhausted: 'downgrade' }],
    }),
  });
  expect(saved.status, await saved.text()).toBe(200);

  for (const theme of ['light', 'dark'] as const) {
    await panel.themeSelect.selectOption(theme);
    for (const [name, file] of PAGES) {
      await panel.goto(name);
      await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
      await page.screenshot({ path: `test-results/screenshots/${file}-${theme}.png`, fullPage: true });
    }
  }
  await panel.goto('Requests');
  await page.getByRole('button', { name: /Open request/ }).first().click();
  await page.screenshot({ path: 'test-results/screenshots/request-detail-dark.png' });
  await page.keyboard.press('Escape');
  await panel.goto('Cache');
  await page.getByRole('button', { name: 'Clear cache…' }).click();
  await expect(page.getByRole('dialog').getByRole('status')).toHaveText(/This deletes/);
  await page.screenshot({ path: 'test-results/screenshots/cache-clear-dark.png' });
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: /Open entry/ }).first().click();
  await expect(page.getByRole('dialog')).toContainText('Response');
  await page.screenshot({ path: 'test-results/screenshots/cache-entry-dark.png' });
  await page.keyboard.press('Escape');
  await panel.goto('Alerts');
  await page.getByRole('button', { name: 'Add rule' }).click();
  await page.screenshot({ path: 'test-results/screenshots/alert-rule-dark.png' });
  await page.keyboard.press('Escape');
  await panel.goto('Dashboard');
  await page.getByRole('radio', { name: '24 h' }).check();
  await expect(page.getByText(/Loading 24 h/)).toBeHidden();
  await page.screenshot({ path: 'test-results/screenshots/dashboard-24h-dark.png', fullPage: true });
  await page.getByRole('radio', { name: 'Live' }).check();

  await panel.themeSelect.selectOption('light');
  await panel.languageSelect.selectOption('zh-CN');
  await panel.navLink('设置').click();
  await page.screenshot({ path: 'test-results/screenshots/settings-light-zh.png', fullPage: true });
  await panel.navLink('仪表盘').click();
  await page.setViewportSize({ width: 900, height: 760 });
  await page.screenshot({ path: 'test-results/screenshots/dashboard-900-zh.png', fullPage: true });
  await panel.navLink(/告警/).click();
  await page.screenshot({ path: 'test-results/screenshots/alerts-900-zh.png', fullPage: true });
  await panel.navLink('缓存').click();
  await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/screenshots/cache-900-zh.png', fullPage: true });
  await panel.navLink('路由').click();
  await expect(page.getByRole('table', { name: '提供方' })).toBeVisible();
  await page.screenshot({ path: 'test-results/screenshots/routing-900-zh.png', fullPage: true });
  await panel.navLink('请求').click();
  await page.screenshot({ path: 'test-results/screenshots/requests-900-zh.png', fullPage: true });
  const overflow = await page.locator('html').evaluate((html) => html.scrollWidth - html.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});
