// Page object for the Alerts page.
import type { Locator, Page } from '@playwright/test';

export class AlertsPage {
  readonly page: Page;
  constructor(page: Page) { this.page = page; }

  get open(): Locator { return this.page.getByRole('table', { name: 'Open alerts' }); }
  get rules(): Locator { return this.page.getByRole('table', { name: 'Alert rules' }); }
  get addRule(): Locator { return this.page.getByRole('button', { name: 'Add rule' }); }
  get ruleForm(): Locator { return this.page.getByRole('form', { name: 'Alert rule' }); }
  /** A field of the rule form by its label, which is its whole name (hints and errors describe it). */
  ruleField(label: string): Locator { return this.ruleForm.getByLabel(label, { exact: true }); }
  get dialog(): Locator { return this.page.getByRole('dialog'); }
  get notifications(): Locator { return this.page.getByRole('form', { name: 'Notifications' }); }
}
