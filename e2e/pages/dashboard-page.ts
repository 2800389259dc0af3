// Page object for the Dashboard page.
import type { Locator, Page } from '@playwright/test';

export class DashboardPage {
  readonly page: Page;
  constructor(page: Page) { this.page = page; }

  tile(label: string): Locator { return this.page.getByRole('group', { name: label, exact: true }); }
  tileValue(label: string): Locator { return this.tile(label).locator('.tile-value'); }
  chart(title: string): Locator { return this.page.getByRole('figure', { name: title, exact: true }); }
  range(name: string): Locator { return this.page.getByRole('radio', { name, exact: true }); }

  /** The largest number on a chart's y axis (0 while every point is zero). */
  async maxYTick(title: string): Promise<number> {
    const texts = await this.chart(title).locator('.recharts-yAxis .recharts-cartesian-axis-tick-value').allTextContents();
    const nums = texts.map((s) => Number.parseFloat(s.replace(/[^0-9.]/g, ''))).filter((n) => Number.isFinite(n));
    return nums.length ? Math.max(...nums) : 0;
  }
}
