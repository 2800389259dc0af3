// Page object for the Requests page.
import type { Locator, Page } from '@playwright/test';

export class RequestsPage {
  readonly page: Page;
  constructor(page: Page) { this.page = page; }

  get table(): Locator { return this.page.getByRole('table', { name: 'Request log' }); }
  get rows(): Locator { return this.table.getByRole('row').filter({ has: this.page.getByRole('cell') }); }
  rowWith(text: string): Locator { return this.rows.filter({ hasText: text }); }
  get testButton(): Locator { return this.page.getByRole('button', { name: 'Send a test request' }); }
  filter(name: 'Model' | 'Provider' | 'Status' | 'Cache'): Locator { return this.page.getByRole('search').getByLabel(name); }
  get search(): Locator { return this.page.getByRole('search').getByRole('searchbox', { name: 'Search' }); }
  get detail(): Locator { return this.page.getByRole('dialog'); }
  async openFirst(): Promise<void> { await this.rows.first().getByRole('button', { name: /Open request/ }).click(); }
}
