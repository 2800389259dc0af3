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

  for (const theme of ['light', 'dark'] as const) {
    await panel.themeSelect.selectOption(theme);
    for (const [name, file] of PAGES) {
      await panel.goto(name);
      await page.screenshot({ path: `test-results/screenshots/${file}-${theme}.png`, fullPage: true });
    }
  }
  await panel.goto('Requests');
  await page.getByRole('button', { name: /Open request/ }).first().click();
  await page.screenshot({ path: 'test-results/screenshots/request-detail-dark.png' });
  await page.keyboard.press('Escape');

  await panel.themeSelect.selectOption('light');
  await panel.languageSelect.selectOption('zh-CN');
  await panel.navLink('设置').click();
  await page.screenshot({ path: 'test-results/screenshots/settings-light-zh.png', fullPage: true });
  await panel.navLink('仪表盘').click();
  await page.setViewportSize({ width: 900, height: 760 });
  await page.screenshot({ path: 'test-results/screenshots/dashboard-900-zh.png', fullPage: true });
  await panel.navLink('请求').click();
  await page.screenshot({ path: 'test-results/screenshots/requests-900-zh.png', fullPage: true });
  const overflow = await page.locator('html').evaluate((html) => html.scrollWidth - html.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});
