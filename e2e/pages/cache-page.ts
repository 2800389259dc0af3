// Page object for the Cache page.
import type { Locator, Page } from '@playwright/test';

export class CachePage {
  readonly page: Page;
  constructor(page: Page) { this.page = page; }

  tileValue(label: string): Locator { return this.page.getByRole('group', { name: label, exact: true }).locator('.tile-value'); }
  tierEntries(tier: 'memory' | 'disk'): Locator { return this.page.getByTestId(`${tier}-entries`); }
  get entries(): Locator { return this.page.getByRole('table', { name: 'Cache entries' }); }
  get rows(): Locator { return this.entries.getByRole('row').filter({ has: this.page.getByRole('cell') }); }
  filter(name: string): Locator { return this.page.getByRole('search', { name: 'Entry filters' }).getByLabel(name, { exact: true }); }
  get clearButton(): Locator { return this.page.getByRole('button', { name: 'Clear cache…' }); }
  get dialog(): Locator { return this.page.getByRole('dialog'); }
}
