// A change saved elsewhere (another window, the API) while a routing form has edits: the edits stay, the
// untouched fields follow the saved document, and the form says what happened. Switching an alias with
// fallbacks asks what the new target replaces.
import { expect, test, type EngineFixture } from './fixtures.ts';
import { RoutingPage } from './pages/routing-page.ts';

/** The admin API as another window uses it. */
async function admin(engine: EngineFixture, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${engine.baseUrl}/admin/api${path}`, {
    method, headers: { authorization: `Bearer ${engine.token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** Saves the routing document with `edit` applied, over the version it read. */
async function saveElsewhere(engine: EngineFixture, edit: (config: any) => void): Promise<void> {
  const doc = await admin(engine, 'GET', '/routing');
  edit(doc.config);
  await admin(engine, 'PUT', `/routing?baseSeq=${doc.seq ?? 0}`, doc.config);
}

const rule = {
  id: 'rule-1', name: 'A name', enabled: true, when: { model: ['fast'], endpoint: ['chat'] },
  action: { strategy: 'fallback', targets: [{ provider: 'simulator', model: 'sim-chat' }] },
};

test('a rule changed elsewhere keeps the edits of its open form and says so', async ({ page, panel, engine }) => {
  await saveElsewhere(engine, (c) => { c.rules = [rule]; });
  await panel.open();
  await panel.goto('Routing');
  const routing = new RoutingPage(page);
  const form = routing.rule('rule-1');
  await routing.ruleField('rule-1', 'Name').fill('B edit name');
  await routing.ruleField('rule-1', 'Max prompt tokens').fill('5000');
  await expect(form.getByText('Unsaved changes')).toBeVisible();

  // another window switches the rule off and adds a tag condition
  await saveElsewhere(engine, (c) => { c.rules[0].enabled = false; c.rules[0].when.tags = ['batch']; });
  await expect(form.getByRole('status')).toContainText('Rule rule-1 was changed in another window or through the API while you were editing it. Your edits are kept');
  await expect(routing.ruleField('rule-1', 'Name')).toHaveValue('B edit name');
  await expect(routing.ruleField('rule-1', 'Max prompt tokens')).toHaveValue('5000');
  await expect(routing.ruleField('rule-1', 'Tags')).toHaveValue('batch');
  await expect(routing.ruleEnabled('rule-1')).not.toBeChecked();
  await expect(form.getByText('Unsaved changes')).toBeVisible();

  // saved: both changes are in the rule, and the notice goes
  await routing.saveRule('rule-1').click();
  await expect(panel.toast('Rule rule-1 saved.')).toBeVisible();
  await expect(form.getByRole('status')).toHaveCount(0);
  await expect(form.getByText('Unsaved changes')).toHaveCount(0);
  const saved = (await admin(engine, 'GET', '/routing')).config.rules[0];
  expect(saved).toMatchObject({ name: 'B edit name', enabled: false, when: { tags: ['batch'], maxPromptTokens: 5000 } });

  // a change elsewhere to a form without edits just shows; edits can be discarded for the saved rule
  await saveElsewhere(engine, (c) => { c.rules[0].name = 'C name'; });
  await expect(routing.ruleField('rule-1', 'Name')).toHaveValue('C name');
  await expect(form.getByRole('status')).toHaveCount(0);
  await routing.ruleField('rule-1', 'Max prompt tokens').fill('6000');
  await saveElsewhere(engine, (c) => { c.rules[0].enabled = true; });
  await expect(routing.ruleEnabled('rule-1')).toBeChecked();
  await form.getByRole('button', { name: 'Discard your edits of rule rule-1' }).click();
  await expect(routing.ruleField('rule-1', 'Max prompt tokens')).toHaveValue('5000');
  await expect(form.getByText('Unsaved changes')).toHaveCount(0);
  await expect(form.getByRole('status')).toHaveCount(0);

  // switching the rule off in this window keeps the form's edits without a notice
  await routing.ruleField('rule-1', 'Name').fill('D name');
  await routing.ruleEnabled('rule-1').click();
  await expect(panel.toast('Rule rule-1 saved.').last()).toBeVisible();
  await expect(routing.ruleEnabled('rule-1')).not.toBeChecked();
  await expect(routing.ruleField('rule-1', 'Name')).toHaveValue('D name');
  await expect(form.getByRole('status')).toHaveCount(0);
});

test('a budget changed elsewhere keeps the edits of its open form; deleted elsewhere, its form closes and says why', async ({ page, panel, engine }) => {
  await saveElsewhere(engine, (c) => {
    c.budgets = [{ id: 'team', scope: 'provider', match: 'simulator', period: 'day', unit: 'usd', limit: 10, threshold: 0.8, onExhausted: 'refuse' }];
  });
  await panel.open();
  await panel.goto('Routing');
  const routing = new RoutingPage(page);
  await routing.editBudget('team').click();
  await routing.budgetField('team', 'Limit').fill('25');
  await saveElsewhere(engine, (c) => { c.budgets[0].threshold = 0.5; });
  await expect(routing.budgetForm('team').getByRole('status')).toContainText('Budget team was changed in another window or through the API while you were editing it.');
  await expect(routing.budgetField('team', 'Limit')).toHaveValue('25');
  await expect(routing.budgetField('team', 'Warn at (%)')).toHaveValue('50');

  await saveElsewhere(engine, (c) => { c.budgets = []; });
  await expect(panel.toast('Budget team was deleted in another window or through the API while its form was open; the form was closed.')).toBeVisible();
  await expect(routing.budgetForm('team')).toHaveCount(0);
});

test('switching an alias with a fallback asks whether to replace the first target or all of them', async ({ page, panel, engine }) => {
  await admin(engine, 'PUT', '/routing/aliases/qa', { targets: [{ provider: 'simulator', model: 'sim-chat' }, { provider: 'simulator', model: 'sim-fast' }] });
  await panel.open();
  await panel.goto('Routing');
  const routing = new RoutingPage(page);
  await expect(routing.aliasRow('qa')).toContainText('simulator/sim-chat → simulator/sim-fast');

  await routing.aliasSelect('qa').selectOption('simulator/sim-reasoner');
  await routing.aliasApply('qa').click();
  const dialog = page.getByRole('dialog', { name: 'Switch alias qa' });
  await expect(dialog).toContainText('qa sends to 2 targets in order: simulator/sim-chat → simulator/sim-fast. What should simulator/sim-reasoner replace?');
  const first = dialog.getByRole('radio', { name: 'Only the first target, keeping the fallbacks' });
  const all = dialog.getByRole('radio', { name: 'All 2 targets' });
  await expect(first).toBeChecked();
  await expect(first).toHaveAccessibleDescription('Becomes: simulator/sim-reasoner → simulator/sim-fast · Removes: simulator/sim-chat');
  await expect(all).toHaveAccessibleDescription('Becomes: simulator/sim-reasoner · Removes: simulator/sim-chat, simulator/sim-fast');
  // Cancel changes nothing
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(routing.aliasRow('qa')).toContainText('simulator/sim-chat → simulator/sim-fast');

  await routing.aliasApply('qa').click();
  await dialog.getByRole('button', { name: 'Switch' }).click();
  await expect(panel.toast('Alias qa now goes to simulator/sim-reasoner → simulator/sim-fast.')).toBeVisible();
  await expect(routing.aliasRow('qa')).toContainText('simulator/sim-reasoner → simulator/sim-fast');
  await expect(routing.aliasRow('qa').getByRole('status')).toHaveCount(0);

  await routing.aliasSelect('qa').selectOption('simulator/sim-chat');
  await routing.aliasApply('qa').click();
  await dialog.getByRole('radio', { name: 'All 2 targets' }).check();
  await dialog.getByRole('button', { name: 'Switch' }).click();
  await expect(panel.toast('Alias qa now goes to simulator/sim-chat.')).toBeVisible();
  await expect(routing.aliasRow('qa').getByRole('cell').first()).toHaveText('simulator/sim-chat');

  // a single-target alias switches at once, as before; a choice made here outlives a change elsewhere
  await routing.aliasSelect('qa').selectOption('simulator/sim-fast');
  await admin(engine, 'PUT', '/routing/aliases/qa', { targets: [{ provider: 'simulator', model: 'sim-reasoner' }] });
  await expect(routing.aliasRow('qa').getByRole('status')).toHaveText('Alias qa was changed elsewhere while you were choosing; your choice is kept.');
  await expect(routing.aliasSelect('qa')).toHaveValue('simulator/sim-fast');
  await routing.aliasApply('qa').click();
  await expect(panel.toast('Alias qa now goes to simulator/sim-fast.')).toBeVisible();
});

test("the rule's own switch, turned while its JSON view has edits, is kept when the JSON is saved", async ({ page, panel, engine }) => {
  await saveElsewhere(engine, (c) => { c.rules = [rule]; });
  await panel.open();
  await panel.goto('Routing');
  const routing = new RoutingPage(page);
  await routing.jsonToggle('rule-1').click();
  const json = page.getByLabel('Rule rule-1 (JSON)');
  await json.fill(JSON.stringify({ ...rule, name: 'Edited as JSON' }, null, 2));
  await routing.ruleEnabled('rule-1').click();
  await expect(panel.toast('Rule rule-1 saved.')).toBeVisible();
  // the JSON follows the switch and keeps the typed name
  await expect(json).toHaveValue(/"enabled": false/);
  await expect(json).toHaveValue(/"name": "Edited as JSON"/);
  await routing.saveRule('rule-1').click();
  await expect(panel.toast('Rule rule-1 saved.').last()).toBeVisible();
  await expect.poll(async () => (await admin(engine, 'GET', '/routing')).config.rules[0]).toMatchObject({ name: 'Edited as JSON', enabled: false });
});

test('a rule deleted elsewhere while its form has edits says the edits went with it; deleted here, it does not', async ({ page, panel, engine }) => {
  const second = { ...rule, id: 'rule-2', name: 'Another' };
  await saveElsewhere(engine, (c) => { c.rules = [rule, second]; });
  await panel.open();
  await panel.goto('Routing');
  const routing = new RoutingPage(page);
  await routing.ruleField('rule-1', 'Name').fill('Unsaved name');
  await saveElsewhere(engine, (c) => { c.rules = c.rules.filter((r: { id: string }) => r.id !== 'rule-1'); });
  await expect(panel.toast(/Rule rule-1 was deleted in another window or through the API while you were editing it/)).toBeVisible();
  await expect(routing.rule('rule-1')).toHaveCount(0);

  // edited, then deleted from its own form: the usual "deleted" and nothing more
  await routing.ruleField('rule-2', 'Name').fill('Also unsaved');
  await page.getByRole('button', { name: 'Delete rule rule-2' }).click();
  await page.getByRole('dialog', { name: 'Delete rule rule-2?' }).getByRole('button', { name: 'Delete' }).click();
  await expect(panel.toast('Rule rule-2 deleted.')).toBeVisible();
  await expect(panel.toast(/Rule rule-2 was deleted in another window/)).toHaveCount(0);
});
