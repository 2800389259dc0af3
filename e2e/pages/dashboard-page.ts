// Page object for the Dashboard page.
import type { Locator, Page } from '@playwright/test';

export class DashboardPage {
  readonly page: Page;
  constructor(page: Page) { this.page = page; }

  tile(label: string): Locator { return this.page.getByRole('group', { name: label, exact: true }); }
  tileValue(label: string): Locator { return this.tile(label).locator('.tile-value'); }
  chart(title: string): Locator { return this.page.getByRole('figure', { name: title, exact: true }); }
  range(name: string): Locator { return this.page.getByRole('radio', { name, exact: true }); }

  /** A chart's time-axis labels as ms since the epoch (today's date, the labels' local time of day). */
  async timeTicks(title: string): Promise<number[]> {
    const labels = await this.chart(title).locator('.recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-value').allTextContents();
    return labels.map((l) => {
      const [h, m, s] = l.trim().split(':').map(Number);
      const d = new Date();
      d.setHours(h, m, s, 0);
      return d.getTime();
    });
  }

  /** A chart's value-axis labels, bottom first ("0 ms", "250 ms", …). */
  async valueTicks(title: string): Promise<string[]> {
    const labels = await this.chart(title).locator('.recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value').allTextContents();
    return labels.map((l) => l.trim());
  }

  /** The caption's newest values, e.g. "requests/s: 0.4". */
  latest(title: string): Locator { return this.chart(title).getByTestId('chart-latest'); }

  /** The largest number among a chart's newest values (0 while they are all zero or missing). */
  async latestMax(title: string): Promise<number> {
    const text = (await this.latest(title).textContent()) ?? '';
    const nums = [...text.matchAll(/:\s*\$?([0-9.]+)/g)].map((m) => Number(m[1])).filter(Number.isFinite);
    return nums.length ? Math.max(...nums) : 0;
  }
}
