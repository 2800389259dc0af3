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
