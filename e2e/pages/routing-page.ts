// Page object for the Routing page.
import type { Locator, Page } from '@playwright/test';

export class RoutingPage {
  readonly page: Page;
  constructor(page: Page) { this.page = page; }

  get providers(): Locator { return this.page.getByRole('table', { name: 'Providers' }); }
  get aliases(): Locator { return this.page.getByRole('table', { name: 'Aliases' }); }
  aliasRow(name: string): Locator { return this.aliases.getByRole('row', { name: new RegExp(`^${name}\\b`) }); }
  aliasSelect(name: string): Locator { return this.page.getByRole('combobox', { name: `New target for alias ${name}` }); }
  aliasApply(name: string): Locator { return this.page.getByRole('button', { name: `Apply the new target of alias ${name}` }); }
  get rules(): Locator { return this.page.getByRole('list', { name: 'Rules' }); }
  get addRule(): Locator { return this.page.getByRole('button', { name: 'Add rule' }); }
  ruleEditor(id: string): Locator { return this.page.getByRole('textbox', { name: `Rule ${id} (JSON)` }); }
  saveRule(id: string): Locator { return this.page.getByRole('button', { name: `Save rule ${id}` }); }
}
