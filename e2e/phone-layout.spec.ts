// A phone (390 × 844): every page fits the width in both languages, with no sideways scrolling, a header
// of one or two rows, and the controls a person reaches for inside the screen.
import type { Locator, Page } from '@playwright/test';
import { expect, sendChat, test } from './fixtures.ts';

const PAGES = ['dashboard', 'requests', 'cache', 'routing', 'alerts', 'loadtest', 'settings'] as const;

/** Sideways overflow of the whole page past the screen's width, in px (0 or less when it fits). */
const overflow = async (page: Page) => (await page.locator('html').evaluate((html) => html.scrollWidth)) - page.viewportSize()!.width;

async function expectInsideWidth(page: Page, control: Locator, what: string, minWidth = 40): Promise<void> {
  await control.scrollIntoViewIfNeeded();
  const box = await control.boundingBox();
  const width = page.viewportSize()!.width;
  expect(box, `${what} is on the page`).not.toBeNull();
  expect(box!.x, `${what} starts inside the screen`).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width, `${what} ends inside the screen (${width} px)`).toBeLessThanOrEqual(width);
  // wide enough to use: a menu squeezed to its arrow is not
  expect(box!.width, `${what} is not squeezed`).toBeGreaterThanOrEqual(minWidth);
}

test('every page fits a phone in English and Chinese', async ({ page, panel, engine }) => {
  test.setTimeout(120_000);
  const auth = { authorization: `Bearer ${engine.token}`, 'content-type': 'application/json' };
  // Data on every page: requests and charts, a rule with its form, an alert and its rule, a load test result.
  for (let i = 0; i < 6; i++) expect((await sendChat(engine.baseUrl, i % 2 ? 'sim-fast' : 'sim-chat', `phone ${i % 3}`)).status).toBe(200);
  const routing = await (await fetch(`${engine.baseUrl}/admin/api/routing`, { headers: auth })).json() as { config: Record<string, unknown> };
  const saved = await fetch(`${engine.baseUrl}/admin/api/routing`, {
    method: 'PUT', headers: auth, body: JSON.stringify({
      ...routing.config,
      rules: [{ id: 'long-prompts', name: 'Long prompts', enabled: true, when: { minPromptTokens: 2000 }, action: { targets: [{ provider: 'simulator', model: 'sim-reasoner' }], strategy: 'fallback' } }],
    }),
  });
  expect(saved.status, await saved.text()).toBe(200);
  const rule = { id: 'busy', name: 'Busy gateway', metric: 'inFlight', comparator: '>=', threshold: 0, forSeconds: 0, severity: 'warning', enabled: true };
  expect((await fetch(`${engine.baseUrl}/admin/api/alert-rules`, { method: 'POST', headers: auth, body: JSON.stringify(rule) })).status).toBe(200);

  await page.setViewportSize({ width: 390, height: 844 });
  await panel.open();
  await panel.navLink('Load test').click();
  await page.getByRole('form', { name: 'New run' }).getByLabel('Total requests').fill('12');
  await page.getByRole('button', { name: 'Start load test' }).click();
  await expect(page.getByRole('table', { name: 'Results' })).toContainText('Done', { timeout: 30_000 });
  await sendChat(engine.baseUrl, 'sim-chat', 'phone 0');

  for (const language of ['en', 'zh-CN'] as const) {
    await panel.languageSelect.selectOption(language);
    for (const [i, id] of PAGES.entries()) {
      const link = panel.nav.getByRole('link').nth(i);
      await expectInsideWidth(page, link, `the ${id} link`);
      await link.click();
      await expect(page).toHaveURL(new RegExp(`#/${id}$`));
      await expect(page.locator('[aria-busy="true"]')).toHaveCount(0);
      expect(await overflow(page), `${id} (${language}) scrolls sideways`).toBeLessThanOrEqual(0);
      const header = await page.getByRole('banner').boundingBox();
      // one row is about 50 px; the review saw four rows, 180 px
      expect(header!.height, `the header on ${id} (${language})`).toBeLessThanOrEqual(100);
    }
  }

  // The controls the review found cut off, in English.
  await panel.languageSelect.selectOption('en');
  await panel.navLink('Dashboard').click();
  await expect(page.getByRole('figure', { name: 'Throughput', exact: true }).getByTestId('chart-latest')).toContainText('requests/s');
  for (const title of ['Throughput', 'Latency percentiles', 'Spend and savings']) {
    const chart = page.getByRole('figure', { name: title, exact: true });
    await expectInsideWidth(page, chart, `the ${title} chart`);
    await expectInsideWidth(page, chart.getByTestId('chart-latest'), `the newest values of ${title}`);
  }
  await panel.navLink('Requests').click();
  await expectInsideWidth(page, page.getByRole('button', { name: 'Send a test request' }), 'Send a test request');
  await panel.navLink('Routing').click();
  for (const alias of ['fast', 'smart']) {
    await expectInsideWidth(page, page.getByRole('combobox', { name: `New target for alias ${alias}` }), `the switch of alias ${alias}`);
    await expectInsideWidth(page, page.getByRole('button', { name: `Apply the new target of alias ${alias}` }), `Apply for alias ${alias}`);
  }
  await expectInsideWidth(page, page.getByRole('combobox', { name: 'Strategy of rule long-prompts' }), 'the rule strategy');
  await expectInsideWidth(page, page.getByRole('textbox', { name: 'Timeout (ms) of rule long-prompts', exact: true }), 'the rule timeout');
  await expectInsideWidth(page, page.getByRole('combobox', { name: 'Target 1 of rule long-prompts', exact: true }), 'the rule target');
  await expectInsideWidth(page, page.getByRole('button', { name: 'Save rule long-prompts' }), 'Save rule');
  await panel.navLink(/Alerts/).click();
  await expectInsideWidth(page, page.getByRole('button', { name: /^Acknowledge/ }).first(), 'Acknowledge');
  await expectInsideWidth(page, page.getByRole('button', { name: 'Edit rule Busy gateway' }), 'Edit alert rule');
  await panel.navLink('Load test').click();
  await expectInsideWidth(page, page.getByRole('checkbox', { name: /^Compare run/ }).first(), 'Compare run', 16);
});
