// A rule written in the panel fires when the upstream fails, the alert shows with its figures and can be
// acknowledged; a bad threshold is explained next to its field.
import { expect, sendChat, test } from './fixtures.ts';
import { AlertsPage } from './pages/alerts-page.ts';

async function admin(engine: { baseUrl: string; token: string }, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${engine.baseUrl}/admin/api${path}`, {
    method, headers: { authorization: `Bearer ${engine.token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
  });
}

test('upstream errors open an alert from a rule, and it can be acknowledged', async ({ page, panel, engine }) => {
  test.setTimeout(90_000);
  await panel.open();
  await panel.goto('Alerts');
  const alerts = new AlertsPage(page);
  await expect(page.getByText('No open alerts. All calm.')).toBeVisible();

  // A threshold out of range is refused before it is sent, and the reason sits next to the field.
  await alerts.addRule.click();
  // a field's name is its label; the hint describes it
  await expect(alerts.ruleField('Id')).toHaveAccessibleDescription('Letters, digits, “_”, “.” and “-”. Derived from the name when empty.');
  await alerts.ruleField('Name').fill('Upstream failing');
  await alerts.ruleField('Metric').selectOption('errorRate');
  await alerts.ruleField('Comparator').selectOption('>=');
  await alerts.ruleField('Threshold').fill('50');
  await alerts.ruleField('For (seconds)').fill('0');
  await alerts.ruleField('Severity').selectOption('critical');
  await alerts.dialog.getByRole('button', { name: 'Save' }).click();
  await expect(alerts.ruleField('Threshold')).toHaveAttribute('aria-invalid', 'true');
  await expect(alerts.ruleForm.getByRole('alert')).toContainText('This metric is a fraction: enter 0 to 1');
  await expect(alerts.ruleField('Threshold')).toHaveAccessibleDescription(/This metric is a fraction: enter 0 to 1/);
  await alerts.ruleField('Threshold').fill('0.5');
  await alerts.dialog.getByRole('button', { name: 'Save' }).click();
  await expect(alerts.dialog).toBeHidden();
  await expect(alerts.rules.getByRole('row', { name: /Upstream failing/ })).toContainText('Error rate >= 50.0 % for 0 s');

  // Break the simulator: every call fails upstream.
  const providers = await (await admin(engine, 'GET', '/providers')).json() as Array<{ id: string; type: string }>;
  const sim = providers.find((p) => p.type === 'simulator')!;
  const saved = await admin(engine, 'PUT', `/providers/${encodeURIComponent(sim.id)}`, { id: sim.id, type: 'simulator', options: { failureRate: 1 } });
  expect(saved.status).toBe(200);
  const results = await Promise.all(Array.from({ length: 30 }, (_, i) => sendChat(engine.baseUrl, 'sim-fast', `failing ${i}`)));
  expect(results.every((r) => r.status >= 500)).toBe(true);

  const row = alerts.open.getByRole('row', { name: /Upstream failing/ });
  await expect(row).toBeVisible({ timeout: 15_000 });
  await expect(row).toContainText('Critical');
  await expect(row).toContainText('Threshold: 0.5');
  await expect(row).toContainText(/Error rate is \d+\.\d %/);
  // and what to do about it
  await expect(row).toContainText('To see which provider fails, filter the Requests page by “Server or upstream errors (5xx)”');
  // The moment the condition began reads as a date, not as epoch milliseconds.
  await expect(row).toContainText(/Since: \S*\d/);
  await expect(row).not.toContainText(/\d{13}/);
  await expect(panel.navLink(/Alerts/)).toContainText(/[1-9]/);

  await row.getByRole('button', { name: 'Acknowledge alert Upstream failing' }).click();
  await expect(panel.toast('Alert acknowledged.')).toBeVisible();
  await expect(row).toContainText('Acknowledged');
  await page.reload();
  await expect(alerts.open.getByRole('row', { name: /Upstream failing/ })).toContainText('Acknowledged');
});

test('a used-up budget opens an alert whose window reads as dates in either language', async ({ page, panel, engine }) => {
  const routing = await (await admin(engine, 'GET', '/routing')).json() as { config: Record<string, unknown> };
  const saved = await admin(engine, 'PUT', '/routing', {
    ...routing.config, budgets: [{ id: 'tiny', scope: 'provider', match: 'simulator', period: 'day', unit: 'tokens', limit: 1, onExhausted: 'downgrade' }],
  });
  expect(saved.status, await saved.text()).toBe(200);
  await sendChat(engine.baseUrl, 'sim-fast', 'spend the whole budget');

  await panel.open();
  await panel.goto('Alerts');
  const row = new AlertsPage(page).open.getByRole('row', { name: /Budget tiny exhausted/ });
  await expect(row).toBeVisible({ timeout: 15_000 });
  await expect(row).toContainText('Limit: 1');
  await expect(row).toContainText('Raise its limit on the Routing page if this use is expected');
  await expect(row).toContainText(/Window start: \S*\d/);
  await expect(row).toContainText(/Resets at: \S*\d/);
  await expect(row).not.toContainText(/\d{13}/);

  await panel.languageSelect.selectOption('zh-CN');
  // the engine writes alerts in English (webhooks, logs); the panel shows them in the reader's language
  const zhRow = page.getByRole('table', { name: '未解决的告警' }).getByRole('row', { name: /预算 tiny 已用完/ });
  await expect(zhRow).toContainText('它覆盖的请求将被拒绝或改道');
  await expect(zhRow).toContainText('可在“路由”页提高其上限');
  await expect(zhRow).toContainText('级别：已用完');
  await expect(zhRow).not.toContainText('exhausted');
  await expect(zhRow).toContainText('上限：1');
  await expect(zhRow).toContainText(/时间窗开始：\S*\d/);
  await expect(zhRow).not.toContainText(/windowStart|\d{13}/);
});

test('notification settings validate the headers and persist', async ({ page, panel }) => {
  await panel.open();
  await panel.goto('Alerts');
  const alerts = new AlertsPage(page);
  const form = alerts.notifications;
  await form.getByLabel('Webhook URL').fill('hooks.example/alerts');
  await form.getByRole('button', { name: 'Save notifications' }).click();
  await expect(form.getByRole('alert')).toHaveText('Enter a full http:// or https:// address, or leave it empty.');
  await expect(form.getByLabel('Webhook URL', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expect(form.getByLabel('Webhook URL', { exact: true })).toHaveAccessibleDescription(/Enter a full http:\/\/ or https:\/\/ address, or leave it empty\.$/);
  await form.getByLabel('Webhook URL').fill('http://127.0.0.1:9/hook');
  await form.getByLabel('Webhook headers').fill('Authorization: Bearer x\nnot a header');
  await form.getByRole('button', { name: 'Save notifications' }).click();
  await expect(form.getByRole('alert')).toHaveText('Line 2 has no “:”.');
  await form.getByLabel('Webhook headers').fill('Authorization: Bearer sk-e2e-0123456789');
  await form.getByLabel('Send alerts from severity').selectOption('critical');
  await form.getByRole('button', { name: 'Save notifications' }).click();
  await expect(panel.toast('Notification settings saved.')).toBeVisible();
  // a secret: shown masked, as provider keys are
  await expect(form.getByLabel('Webhook headers')).toHaveValue('Authorization: Bea…6789');
  await page.reload();
  await expect(alerts.notifications.getByLabel('Webhook URL')).toHaveValue('http://127.0.0.1:9/hook');
  await expect(alerts.notifications.getByLabel('Send alerts from severity')).toHaveValue('critical');
  await expect(alerts.notifications.getByLabel('Webhook headers')).toHaveValue('Authorization: Bea…6789');
  // saved again as shown, the header keeps its value (the masked text itself would show as '…')
  await alerts.notifications.getByLabel('Send alerts from severity').selectOption('warning');
  await alerts.notifications.getByRole('button', { name: 'Save notifications' }).click();
  await expect(panel.toast('Notification settings saved.').last()).toBeVisible();
  await page.reload();
  await expect(alerts.notifications.getByLabel('Send alerts from severity')).toHaveValue('warning');
  await expect(alerts.notifications.getByLabel('Webhook headers')).toHaveValue('Authorization: Bea…6789');
});
