// Page object for the Load test page.
import type { Locator, Page } from '@playwright/test';

export class LoadTestPage {
  readonly page: Page;
  constructor(page: Page) { this.page = page; }

  get form(): Locator { return this.page.getByRole('form', { name: 'New run' }); }
  field(label: string): Locator { return this.form.getByLabel(label, { exact: true }); }
  get start(): Locator { return this.form.getByRole('button', { name: 'Start load test' }); }
  get results(): Locator { return this.page.getByRole('table', { name: 'Results' }); }
  get comparison(): Locator { return this.page.getByRole('table', { name: 'Comparison' }); }
  resultRow(name: string): Locator { return this.results.getByRole('row').filter({ hasText: name }); }
  get progress(): Locator { return this.page.getByRole('region', { name: 'Progress' }); }
  /** A figure of the running test: 'Latency p50', 'Latency p95', 'Errors', 'Cache hit rate'. */
  liveFigure(label: string): Locator { return this.progress.getByRole('group', { name: label, exact: true }).locator('.tile-value'); }
  get cancel(): Locator { return this.progress.getByRole('button', { name: 'Cancel run' }); }
}
