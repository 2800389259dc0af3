// Page object for the Alerts page.
import type { Locator, Page } from '@playwright/test';

export class AlertsPage {
  readonly page: Page;
  constructor(page: Page) { this.page = page; }

  get open(): Locator { return this.page.getByRole('table', { name: 'Open alerts' }); }
  get rules(): Locator { return this.page.getByRole('table', { name: 'Alert rules' }); }
  get addRule(): Locator { return this.page.getByRole('button', { name: 'Add rule' }); }
  get ruleForm(): Locator { return this.page.getByRole('form', { name: 'Alert rule' }); }
  /** Labels wrap their control (and hint), so names start with the label text. */
  ruleField(label: string): Locator { return this.ruleForm.getByLabel(new RegExp(`^${label.replace(/[()]/g, '\\$&')}`)); }
  get dialog(): Locator { return this.page.getByRole('dialog'); }
  get notifications(): Locator { return this.page.getByRole('form', { name: 'Notifications' }); }
}
