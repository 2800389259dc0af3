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
  saveRule(id: string): Locator { return this.page.getByRole('button', { name: `Save rule ${id}` }); }
  ruleEnabled(id: string): Locator { return this.page.getByRole('switch', { name: `Rule ${id} enabled` }); }

  /** One rule's card: its form, or its JSON view. */
  rule(id: string): Locator { return this.page.getByRole('form', { name: `Rule ${id}` }); }
  /** The button that switches a rule between the form and the JSON view (aria-pressed while JSON shows). */
  jsonToggle(id: string): Locator { return this.page.getByRole('button', { name: `Edit rule ${id} as JSON` }); }
  ruleEditor(id: string): Locator { return this.page.getByRole('textbox', { name: `Rule ${id} (JSON)` }); }

  /** A text field of the rule form by its visible label: 'ID', 'Model globs', 'Timeout (ms)', … */
  ruleField(id: string, label: string): Locator { return this.page.getByRole('textbox', { name: `${label} of rule ${id}`, exact: true }); }
  /** An endpoint checkbox of the rule form by its label: 'Chat', 'Embeddings', 'Speech'. */
  ruleEndpoint(id: string, label: string): Locator { return this.page.getByRole('checkbox', { name: `${label} of rule ${id}`, exact: true }); }
  strategy(id: string): Locator { return this.page.getByRole('combobox', { name: `Strategy of rule ${id}` }); }
  targets(id: string): Locator { return this.page.getByRole('group', { name: `Target list of rule ${id}` }); }
  target(id: string, n: number): Locator { return this.page.getByRole('combobox', { name: `Target ${n} of rule ${id}`, exact: true }); }
  addTarget(id: string): Locator { return this.page.getByRole('button', { name: `Add a target to rule ${id}` }); }
  removeTarget(id: string, n: number): Locator { return this.page.getByRole('button', { name: `Remove target ${n} of rule ${id}` }); }

  /** The explain tester's form. */
  get explain(): Locator { return this.page.getByRole('form', { name: 'Explain a request' }); }
  get explainTags(): Locator { return this.explain.getByRole('textbox', { name: 'Tags' }); }
  get explainBody(): Locator { return this.explain.getByRole('textbox', { name: /Request body/ }); }
  get explainResult(): Locator { return this.page.getByRole('region', { name: 'Explain a request' }); }

  /** The hidden file input behind 'Import JSON…'. */
  get importFile(): Locator { return this.page.getByLabel('Import JSON…'); }
  /** The refusal of an import, with its problems. */
  get importRefused(): Locator { return this.page.getByRole('dialog', { name: 'Import refused' }); }

  get budgets(): Locator { return this.page.getByRole('region', { name: 'Budgets' }); }
  get addBudget(): Locator { return this.page.getByRole('button', { name: 'Add budget' }); }
  /** One budget in the list: its figures, and its form while that is open. */
  budget(id: string): Locator { return this.budgets.getByRole('listitem', { name: `Budget ${id}`, exact: true }); }
  /** The open budget form: a new one's, or budget `id`'s. */
  budgetForm(id?: string): Locator { return this.page.getByRole('form', { name: id ? `Budget ${id}` : 'New budget', exact: true }); }
  /** A field of the budget form by its visible label: 'ID', 'Limit', 'Warn at (%)', 'Provider', 'Tag', … */
  budgetField(id: string, label: string): Locator { return this.page.getByLabel(`${label} of budget ${id}`, { exact: true }); }
  budgetChoice(id: string, group: string, option: string): Locator { return this.page.getByRole('group', { name: `${group} of budget ${id}` }).getByRole('radio', { name: option }); }
  saveBudget(id: string): Locator { return this.page.getByRole('button', { name: `Save budget ${id}` }); }
  editBudget(id: string): Locator { return this.page.getByRole('button', { name: `Edit budget ${id}` }); }
  deleteBudget(id: string): Locator { return this.page.getByRole('button', { name: `Delete budget ${id}` }); }
}
