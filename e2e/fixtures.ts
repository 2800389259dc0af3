// Test fixtures: a real engine per test ({ baseUrl, token, panelUrl }), and the panel's page objects.
import { test as base, expect } from '@playwright/test';
import { startEngine, type RunningEngine } from './engine-process.ts';
import { PanelPage } from './pages/panel-page.ts';

export interface EngineFixture { baseUrl: string; token: string; panelUrl: string }

export const test = base.extend<{ engine: EngineFixture; panel: PanelPage }>({
  engine: async ({}, use, testInfo) => {
    const running: RunningEngine = await startEngine();
    try {
      await use({ baseUrl: running.baseUrl, token: running.token, panelUrl: running.panelUrl });
    } finally {
      if (testInfo.status !== testInfo.expectedStatus) await testInfo.attach('engine-output', { body: running.output(), contentType: 'text/plain' });
      await running.stop();
    }
  },
  panel: async ({ page, engine }, use) => {
    const panel = new PanelPage(page, engine.panelUrl);
    await use(panel);
  },
});

export { expect };

/** One chat completion through the gateway, as an app would send it. */
export async function sendChat(baseUrl: string, model: string, content: string): Promise<Response> {
  const res = await fetch(`${baseUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test-app' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content }], temperature: 0 }),
  });
  await res.text();
  return res;
}
