// A small load test runs to completion and its results appear; two runs compare side by side.
import { expect, test } from './fixtures.ts';
import { LoadTestPage } from './pages/loadtest-page.ts';

test('a small load test shows a results table, and two runs compare', async ({ page, panel }) => {
  await panel.open();
  await panel.goto('Load test');
  const lt = new LoadTestPage(page);

  await lt.field('Model').fill('sim-fast');
  await lt.field('Concurrency').fill('4');
  await lt.field('Total requests').fill('40');
  await lt.field('Repeat ratio').fill('0.5');
  await lt.field('Name (optional)').fill('first run');
  await lt.start.click();
  await expect(lt.resultRow('first run')).toContainText('Done', { timeout: 30_000 });
  const row = lt.resultRow('first run');
  await expect(row.getByRole('cell').nth(3)).toHaveText('40');
  await expect(row).toContainText('100.0%');

  await lt.field('Name (optional)').fill('second run');
  await lt.field('Total requests').fill('20');
  await lt.start.click();
  await expect(lt.resultRow('second run')).toContainText('Done', { timeout: 30_000 });

  await page.getByRole('checkbox', { name: 'Compare run first run' }).check();
  await page.getByRole('checkbox', { name: 'Compare run second run' }).check();
  await expect(lt.comparison).toBeVisible();
  await expect(lt.comparison.getByRole('columnheader', { name: 'first run' })).toBeVisible();
  await expect(lt.comparison.getByRole('row', { name: /Requests\/s/ })).toBeVisible();
});

test('invalid load test input is explained, not sent', async ({ page, panel }) => {
  await panel.open();
  await panel.goto('Load test');
  const lt = new LoadTestPage(page);
  await lt.field('Concurrency').fill('0');
  await lt.start.click();
  await expect(page.getByRole('alert')).toHaveText('Concurrency must be a whole number from 1 to 256.');
  await expect(page.getByText('No saved runs yet.')).toBeVisible();
});

test('a running load test shows its latency, errors and hit rate as it goes', async ({ page, panel }) => {
  await panel.open();
  await panel.goto('Load test');
  const lt = new LoadTestPage(page);
  // a model nobody serves: every request fails at once, so errors show from the first progress on
  await lt.field('Model').fill('no-such-model');
  await lt.field('Concurrency').fill('2');
  await page.getByRole('radio', { name: 'A duration' }).check();
  await lt.field('Duration (seconds)').fill('60');
  await lt.field('Name (optional)').fill('watched run');
  await lt.start.click();

  await expect(lt.liveFigure('Latency p50')).toHaveText(/^\d+(\.\d)? m?s$/);
  await expect(lt.liveFigure('Latency p95')).toHaveText(/^\d+(\.\d)? m?s$/);
  await expect(lt.liveFigure('Errors')).toHaveText('100.0%');
  await expect(lt.progress.getByRole('group', { name: 'Errors', exact: true })).toContainText(/[1-9][\d,]* failed/);
  await expect(lt.liveFigure('Cache hit rate')).toHaveText('0.0%');
  await expect(lt.progress).toContainText(/Errors so far: HTTP 404 × [1-9]/);
  // still running: the figures came before any result
  await expect(lt.resultRow('watched run')).toHaveCount(0);
  await lt.cancel.click();
  await expect(lt.resultRow('watched run')).toContainText('Cancelled');
  await expect(lt.progress).toBeHidden();
});
