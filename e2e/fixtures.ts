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

/** Turns the semantic cache on for sim-chat through a routing rule (the only rule), as a person would in the rule's JSON. */
export async function enableSemanticForSimChat(engine: EngineFixture, semantic: { threshold?: number } = {}): Promise<void> {
  const auth = { authorization: `Bearer ${engine.token}`, 'content-type': 'application/json' };
  const current = await (await fetch(`${engine.baseUrl}/admin/api/routing`, { headers: auth })).json() as { config: { rules: unknown[] } };
  const rule = {
    id: 'semantic-chat', name: 'Semantic chat', enabled: true, when: { model: ['sim-chat'] },
    action: { targets: [{ provider: 'simulator', model: 'sim-chat' }], strategy: 'fallback', cache: { semantic: { enabled: true, ...semantic } } },
  };
  const res = await fetch(`${engine.baseUrl}/admin/api/routing`, { method: 'PUT', headers: auth, body: JSON.stringify({ ...current.config, rules: [rule] }) });
  expect(res.status).toBe(200);
}
