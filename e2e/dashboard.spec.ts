// Requests sent through the gateway move the dashboard's tiles and live charts; the range switch loads history.
import { expect, sendChat, test } from './fixtures.ts';
import { DashboardPage } from './pages/dashboard-page.ts';

test('tiles and live charts follow the traffic, and the range switch shows history', async ({ page, panel, engine }) => {
  await panel.open();
  const dash = new DashboardPage(page);
  await expect(dash.chart('Throughput')).toBeVisible();
  await expect(dash.tileValue('Requests / s')).toHaveText(/^0[.,]00$/);
  await expect(dash.latest('Throughput')).toHaveText('requests/s: 0');

  for (let i = 0; i < 8; i++) expect((await sendChat(engine.baseUrl, 'sim-fast', `dashboard ${i}`)).status).toBe(200);

  await expect(dash.tileValue('Requests / s')).not.toHaveText(/^0[.,]00$/);
  await expect(dash.tileValue('Error rate')).toHaveText('0.0%');
  await expect(dash.tileValue('Latency p95')).toHaveText(/\d+(\.\d)? m?s/);
  await expect.poll(() => dash.latestMax('Throughput')).toBeGreaterThan(0);
  await expect.poll(() => dash.latestMax('Latency percentiles')).toBeGreaterThan(0);
  await expect.poll(() => dash.latestMax('Tokens')).toBeGreaterThan(0);
  await expect(page.getByRole('table', { name: 'Latest requests' }).getByRole('row')).toHaveCount(9);

  await dash.range('1 h').check();
  await expect(page.getByText(/Loading 1 h of history/)).toBeHidden();
  await expect(dash.chart('Throughput').or(page.getByText('No requests recorded in this range yet.'))).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);
  await dash.range('Live').check();
  await expect(dash.chart('Cache hit rate by tier')).toBeVisible();
});

test('the live charts open with the minutes before the visit, and keep them across pages and a reload', async ({ page, panel, engine }) => {
  test.setTimeout(60_000);
  for (let i = 0; i < 4; i++) expect((await sendChat(engine.baseUrl, 'sim-fast', `before the visit ${i}`)).status).toBe(200);
  // the engine has pushed a dozen seconds before anyone looks
  const recent = async () => (await (await fetch(`${engine.baseUrl}/admin/api/metrics/recent`, { headers: { authorization: `Bearer ${engine.token}` } })).json() as unknown[]).length;
  await expect.poll(recent, { timeout: 30_000 }).toBeGreaterThanOrEqual(12);

  const visit = Date.now();
  await panel.open();
  const dash = new DashboardPage(page);
  await expect(dash.chart('Throughput')).toBeVisible();
  // the axis starts well before the visit (the live ring used to start at it)
  await expect.poll(async () => Math.min(...await dash.timeTicks('Throughput'))).toBeLessThanOrEqual(visit - 5000);
  const start = Math.min(...await dash.timeTicks('Throughput'));

  await dash.range('1 h').check();
  await panel.goto('Load test');
  await panel.goto('Dashboard');
  // the range chosen is still chosen; back to Live, the same minutes are there
  await expect(dash.range('1 h')).toBeChecked();
  await dash.range('Live').check();
  await expect.poll(async () => Math.min(...await dash.timeTicks('Throughput'))).toBeLessThanOrEqual(start + 5000);

  await page.reload();
  await expect(dash.chart('Throughput')).toBeVisible();
  await expect.poll(async () => Math.min(...await dash.timeTicks('Throughput'))).toBeLessThanOrEqual(start + 5000);
});

test('the uptime tile counts every second', async ({ page, panel }) => {
  await page.clock.install();
  await panel.open();
  const dash = new DashboardPage(page);
  const seconds = async () => {
    const text = (await dash.tileValue('Uptime').textContent()) ?? '';
    const m = /^(?:(\d+)m\s*)?(\d+)s$/.exec(text.trim());
    expect(m, `uptime "${text}"`).not.toBeNull();
    return Number(m![1] ?? 0) * 60 + Number(m![2]);
  };
  await expect(dash.tileValue('Uptime')).toHaveText(/\d+s$/);
  const first = await seconds();
  for (let i = 1; i <= 4; i++) {
    await page.clock.runFor(1000);
    await expect.poll(seconds).toBe(first + i);
  }
});

test('chart axes step in round numbers from 0, every label of an axis in one format', async ({ page, panel, engine }) => {
  await panel.open();
  const dash = new DashboardPage(page);
  for (let i = 0; i < 6; i++) expect((await sendChat(engine.baseUrl, i % 2 ? 'sim-reasoner' : 'sim-fast', `axis ${i}`)).status).toBe(200);
  await expect.poll(() => dash.latestMax('Latency percentiles')).toBeGreaterThan(0);
  for (const title of ['Throughput', 'Latency percentiles', 'Tokens', 'Error rate']) {
    await expect.poll(async () => (await dash.valueTicks(title)).length, { message: title }).toBeGreaterThanOrEqual(3);
    const labels = await dash.valueTicks(title);
    // one shape for all: the same unit and the same number of decimals ("0 ms" beside "250 ms", not "0.0 ms")
    const shape = (l: string) => l.replace(/\d+/g, '9');
    expect(new Set(labels.map(shape)).size, `${title}: ${labels.join(', ')}`).toBe(1);
    const values = labels.map((l) => Number(l.replace(/[^\d.]/g, '')));
    expect(values[0], `${title} starts at 0`).toBe(0);
    const step = values[1] - values[0];
    // equal steps of 1, 2, 2.5 or 5 × 10^k, so the top label is a round number too
    values.forEach((v, i) => expect(v, `${title}: ${labels.join(', ')}`).toBeCloseTo(i * step, 6));
    const mantissa = step / 10 ** Math.floor(Math.log10(step));
    expect([1, 2, 2.5, 5].some((m) => Math.abs(m - mantissa) < 1e-9), `${title} step ${step}`).toBe(true);
  }
});

test('an address that names no page says so and links to the Dashboard', async ({ page, panel }) => {
  await panel.open();
  await page.goto(page.url().replace(/#.*$/, '') + '#/nonsense');
  await expect(panel.heading).toHaveText('Page not found');
  await expect(page.getByText('The panel has no page “nonsense”.')).toBeVisible();
  await expect(panel.nav.locator('[aria-current="page"]')).toHaveCount(0);
  await page.getByRole('link', { name: 'Go to the Dashboard' }).click();
  await expect(panel.heading).toHaveText('Dashboard');
  await expect(page).toHaveURL(/#\/dashboard$/);

  await panel.languageSelect.selectOption('zh-CN');
  await page.goto(page.url().replace(/#.*$/, '#/缓存'));
  await expect(panel.heading).toHaveText('找不到页面');
  await expect(page.getByText('面板中没有“缓存”这个页面。')).toBeVisible();
  await expect(page.getByRole('link', { name: '前往仪表盘' })).toBeVisible();
});
