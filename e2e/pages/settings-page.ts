// Page object for the Settings page.
import type { Locator, Page } from '@playwright/test';

export class SettingsPage {
  readonly page: Page;
  constructor(page: Page) { this.page = page; }

  get logBodies(): Locator { return this.page.getByRole('switch', { name: 'Log request and response bodies' }); }
  get providers(): Locator { return this.page.getByRole('table', { name: 'Providers' }); }
  providerRow(id: string): Locator { return this.providers.getByRole('row').filter({ hasText: id }); }
  get addProvider(): Locator { return this.page.getByRole('button', { name: 'Add provider' }); }
  get dialog(): Locator { return this.page.getByRole('dialog'); }
}
