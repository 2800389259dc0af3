// Page object for the panel shell: navigation, header switches, connection state.
import { expect, type Locator, type Page } from '@playwright/test';

export type NavName = 'Dashboard' | 'Requests' | 'Cache' | 'Routing' | 'Alerts' | 'Load test' | 'Settings';

export class PanelPage {
  readonly page: Page;
  readonly url: string;

  constructor(page: Page, url: string) {
    this.page = page;
    this.url = url;
  }

  async open(): Promise<void> {
    await this.page.goto(this.url);
    await expect(this.connection).toHaveText(/Live|实时/);
  }

  get nav(): Locator { return this.page.getByRole('navigation'); }
  navLink(name: string | RegExp): Locator { return this.nav.getByRole('link', { name }); }
  get connection(): Locator { return this.page.getByRole('banner').getByRole('status'); }
  get languageSelect(): Locator { return this.page.getByRole('banner').getByRole('combobox', { name: /Language|语言/ }); }
  get themeSelect(): Locator { return this.page.getByRole('banner').getByRole('combobox', { name: /Theme|主题/ }); }
  get heading(): Locator { return this.page.getByRole('heading', { level: 1 }); }
  toast(text: string | RegExp): Locator { return this.page.getByRole('region', { name: /Notifications|通知/ }).getByText(text); }

  async goto(name: NavName): Promise<void> {
    await this.navLink(name).click();
    await expect(this.heading).toHaveText(name);
  }
}
