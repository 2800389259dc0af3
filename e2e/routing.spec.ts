// Switching an alias in the panel moves the next request to the new model; a rule made in the form serves
// at once, a refused one has its message next to the field it is about, and the rules saved keep serving.
import { expect, sendChat, test } from './fixtures.ts';
import { RoutingPage } from './pages/routing-page.ts';

test('switch an alias, then add a rule in the form and save invalid ones', async ({ page, panel, engine }) => {
  await panel.open();
  await panel.goto('Routing');
  const routing = new RoutingPage(page);
  await expect(routing.providers.getByRole('row', { name: /simulator/ })).toContainText('closed');

  const before = await sendChat(engine.baseUrl, 'fast', 'which model are you?');
  expect(before.status).toBe(200);
  expect(before.headers.get('x-sluice-model')).toBe('sim-fast');

  await routing.aliasSelect('fast').selectOption('simulator/sim-chat');
  await routing.aliasApply('fast').click();
  await expect(panel.toast('Alias fast now goes to simulator/sim-chat.')).toBeVisible();
  await expect(routing.aliasRow('fast')).toContainText('simulator/sim-chat');
  const after = await sendChat(engine.baseUrl, 'fast', 'which model are you now?');
  expect(after.headers.get('x-sluice-model')).toBe('sim-chat');

  // A rule made in the form serves from the next request. It starts on chat requests only, and its
  // target menu offers the models that serve chat: no speech model to send a chat request to.
  await routing.addRule.click();
  await expect(routing.ruleEndpoint('rule-1', 'Chat')).toBeChecked();
  await expect(routing.ruleEndpoint('rule-1', 'Speech')).not.toBeChecked();
  await routing.ruleField('rule-1', 'Model globs').fill('fast');
  await routing.addTarget('rule-1').click();
  await expect(routing.target('rule-1', 1).getByRole('option', { name: 'simulator/sim-reasoner' })).toHaveCount(1);
  await expect(routing.target('rule-1', 1).getByRole('option', { name: 'simulator/sim-tts' })).toHaveCount(0);
  await routing.target('rule-1', 1).selectOption('simulator/sim-reasoner');
  await routing.strategy('rule-1').selectOption('fallback');
  await routing.saveRule('rule-1').click();
  await expect(panel.toast('Rule rule-1 saved.')).toBeVisible();
  await expect(page.getByRole('list', { name: 'History' }).getByRole('listitem').first()).toContainText(/: 1 rule, \d+ alias(es)?, 0 budgets/);
  expect((await sendChat(engine.baseUrl, 'fast', 'ruled')).headers.get('x-sluice-model')).toBe('sim-reasoner');

  // What is plainly wrong is caught before it is sent, next to its field.
  await routing.removeTarget('rule-1', 1).click();
  await routing.saveRule('rule-1').click();
  await expect(routing.targets('rule-1')).toHaveAttribute('aria-invalid', 'true');
  await expect(routing.targets('rule-1').getByRole('alert')).toHaveText('Add at least one target, or route to an alias.');
  await routing.addTarget('rule-1').click();
  await routing.target('rule-1', 1).selectOption('simulator/sim-reasoner');

  // Every problem the form has shows on the first save, each under its field, in the engine's own words
  // for the same rule (the timeout's 100 ms included): no second round once the engine has looked.
  const timeout = routing.ruleField('rule-1', 'Timeout (ms)');
  await expect(timeout).toHaveAccessibleDescription('Per attempt, 100 or more; empty for the default.');
  const minTokens = routing.ruleField('rule-1', 'Min prompt tokens');
  const maxTokens = routing.ruleField('rule-1', 'Max prompt tokens');
  await minTokens.fill('50');
  await maxTokens.fill('10');
  await timeout.fill('-5');
  await routing.saveRule('rule-1').click();
  await expect(maxTokens).toHaveAttribute('aria-invalid', 'true');
  await expect(maxTokens).toHaveAccessibleDescription('Must not be below the min prompt tokens.');
  await expect(timeout).toHaveAttribute('aria-invalid', 'true');
  await expect(timeout).toHaveAccessibleDescription(/Must be a number of milliseconds from 100 to 2,147,483,647 \(about 24 days\)\./);
  await expect(routing.rule('rule-1').getByRole('alert')).toHaveText(['Must not be below the min prompt tokens.', 'Must be a number of milliseconds from 100 to 2,147,483,647 (about 24 days).']);
  await expect(routing.ruleField('rule-1', 'Model globs')).not.toHaveAttribute('aria-invalid', 'true');
  await timeout.fill('abc');
  await routing.saveRule('rule-1').click();
  await expect(timeout).toHaveAccessibleDescription(/Must be a number of milliseconds from 100 to 2,147,483,647 \(about 24 days\)\./);
  await minTokens.fill('');
  await maxTokens.fill('');
  await timeout.fill('');

  // The JSON view takes what the form cannot say; the engine's reason shows there, then under the field in the form.
  await routing.jsonToggle('rule-1').click();
  const editor = routing.ruleEditor('rule-1');
  await editor.fill(JSON.stringify({
    id: 'rule-1', name: 'Broken', enabled: true, when: { model: ['fast'] },
    action: { strategy: 'sideways', targets: [{ provider: 'simulator', model: 'sim-chat' }] },
  }));
  await routing.saveRule('rule-1').click();
  await expect(editor).toHaveAttribute('aria-invalid', 'true');
  await expect(routing.rules.getByRole('alert')).toContainText('action.strategy: Must be one of: fallback, weighted, least-latency, lowest-cost.');
  await routing.jsonToggle('rule-1').click();
  await expect(routing.strategy('rule-1')).toHaveAttribute('aria-invalid', 'true');
  await expect(routing.strategy('rule-1')).toHaveAccessibleDescription(/Must be one of: fallback/);
  await expect(routing.target('rule-1', 1)).toHaveValue('simulator/sim-chat');

  // Not valid JSON is caught before it is sent, and keeps the JSON view.
  await routing.jsonToggle('rule-1').click();
  await editor.fill('{ "id": "rule-1", ');
  await routing.saveRule('rule-1').click();
  await expect(routing.rules.getByRole('alert')).toContainText('Not valid JSON');
  await routing.jsonToggle('rule-1').click();
  await expect(editor).toBeVisible();
  await expect(routing.jsonToggle('rule-1')).toHaveAttribute('aria-pressed', 'true');
  await expect(routing.rules.getByRole('alert')).toContainText('Not valid JSON');

  // The rule last saved keeps serving.
  expect((await sendChat(engine.baseUrl, 'fast', 'and after the broken edits?')).headers.get('x-sluice-model')).toBe('sim-reasoner');
  await page.reload();
  await expect(routing.aliasRow('fast')).toContainText('simulator/sim-chat');
  await expect(routing.ruleField('rule-1', 'Model globs')).toHaveValue('fast');
  await expect(routing.target('rule-1', 1)).toHaveValue('simulator/sim-reasoner');
  await expect(routing.ruleField('rule-1', 'Timeout (ms)')).toHaveValue('');

  // Switching the rule off stops it at once, and its label says so (the switch keeps its name).
  await expect(routing.rule('rule-1')).toContainText('Rule rule-1 · On');
  await routing.ruleEnabled('rule-1').click();
  await expect(routing.ruleEnabled('rule-1')).toHaveAttribute('aria-checked', 'false');
  await expect(routing.rule('rule-1')).toContainText('Rule rule-1 · Off');
  await expect(routing.rule('rule-1')).not.toContainText('enabled');
  expect((await sendChat(engine.baseUrl, 'fast', 'not ruled')).headers.get('x-sluice-model')).toBe('sim-chat');

  // Deleting a saved rule asks first; cancelling keeps it, confirming removes it and says so.
  await routing.rule('rule-1').getByRole('button', { name: 'Delete rule rule-1' }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete rule rule-1?' });
  await expect(confirm).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(confirm).toBeHidden();
  await expect(routing.rule('rule-1')).toBeVisible();
  await routing.rule('rule-1').getByRole('button', { name: 'Delete rule rule-1' }).click();
  await confirm.getByRole('button', { name: 'Delete' }).click();
  await expect(panel.toast('Rule rule-1 deleted.')).toBeVisible();
  await expect(routing.rule('rule-1')).toHaveCount(0);
});

test('add a budget in the form, see its figures, edit it and delete it', async ({ page, panel, engine }) => {
  const tagged = async (model: string) => {
    const res = await fetch(`${engine.baseUrl}/v1/chat/completions`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-sluice-tags': 'e2e-batch' },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'count me' }] }),
    });
    await res.text();
    return res;
  };
  await panel.open();
  await panel.goto('Routing');
  const routing = new RoutingPage(page);
  await expect(routing.budgets).toContainText('No budgets.');

  // What is plainly wrong is caught before it is sent, next to its field.
  await routing.addBudget.click();
  const form = routing.budgetForm();
  await expect(routing.budgetField('budget-1', 'ID')).toHaveValue('budget-1');
  await routing.budgetField('budget-1', 'Counts').selectOption({ label: 'Requests with a tag' });
  await routing.budgetField('budget-1', 'Tag').fill(' E2E-Batch ');
  await routing.budgetChoice('budget-1', 'Counted in', 'Tokens').check();
  await routing.budgetField('budget-1', 'Limit').fill('1000.5');
  await routing.budgetField('budget-1', 'Warn at (%)').fill('150');
  await routing.saveBudget('budget-1').click();
  await expect(routing.budgetField('budget-1', 'Limit')).toHaveAttribute('aria-invalid', 'true');
  await expect(routing.budgetField('budget-1', 'Limit')).toHaveAccessibleDescription(/Must be a whole number, 0 or more\./);
  await expect(routing.budgetField('budget-1', 'Warn at (%)')).toHaveAccessibleDescription(/A percentage above 0, up to 100\./);
  await expect(routing.budgetField('budget-1', 'Tag')).not.toHaveAttribute('aria-invalid', 'true');
  await routing.budgetField('budget-1', 'Limit').fill('1000');
  await routing.budgetField('budget-1', 'Warn at (%)').fill('50');
  await routing.saveBudget('budget-1').click();
  await expect(panel.toast('Budget budget-1 saved.')).toBeVisible();
  await expect(form).toBeHidden();

  // Listed at once with its figures; a tagged request shows up in them.
  const item = routing.budget('budget-1');
  await expect(item).toContainText('Tag e2e-batch · daily');
  await expect(item).toContainText('0 of 1,000 tokens (0%)');
  expect((await tagged('sim-chat')).status).toBe(200);
  await expect(item).toContainText(/[1-9]\d* of 1,000 tokens/);

  // Edited: a limit already passed, cheaper targets once used up; the next tagged request goes there.
  await routing.editBudget('budget-1').click();
  await expect(routing.budgetField('budget-1', 'Tag')).toHaveValue('e2e-batch');
  await expect(routing.budgetField('budget-1', 'Warn at (%)')).toHaveValue('50');
  await routing.budgetField('budget-1', 'Limit').fill('1');
  await routing.budgetChoice('budget-1', 'When used up', 'Move to cheaper models').check();
  await page.getByRole('button', { name: 'Add a cheaper target to budget budget-1' }).click();
  await routing.budgetField('budget-1', 'Cheaper target 1').selectOption('simulator/sim-fast');
  await routing.saveBudget('budget-1').click();
  await expect(panel.toast('Budget budget-1 saved.')).toBeVisible();
  await expect(item).toContainText(/of 1 tokens/);
  await expect(item).toContainText('exhausted → cheaper models are used');
  const downgraded = await tagged('sim-chat');
  expect(downgraded.status).toBe(200);
  expect(downgraded.headers.get('x-sluice-model')).toBe('sim-fast');

  // Deleting asks first; confirmed, the budget is gone and caps nothing.
  await routing.deleteBudget('budget-1').click();
  const confirm = page.getByRole('dialog', { name: 'Delete budget budget-1?' });
  await confirm.getByRole('button', { name: 'Delete' }).click();
  await expect(panel.toast('Budget budget-1 deleted.')).toBeVisible();
  await expect(item).toHaveCount(0);
  await expect(routing.budgets).toContainText('No budgets.');
  expect((await tagged('sim-chat')).headers.get('x-sluice-model')).toBe('sim-chat');
});

test('explain shows the decision step by step, and what the proxy would refuse', async ({ page, panel, engine }) => {
  await panel.open();
  await panel.goto('Routing');
  const explain = page.getByRole('form', { name: 'Explain a request' });
  const body = explain.getByRole('textbox', { name: /Request body/ });
  const region = page.getByRole('region', { name: 'Explain a request' });
  await body.fill('{"model": "fast", "messages": [');
  await explain.getByRole('button', { name: 'Explain' }).click();
  await expect(explain.getByRole('alert')).toHaveText('The body is not valid JSON: it ends before it is complete.');
  await body.fill('{\n  "model": "fast",\n  "messages": [{"role": "user" "content": "hi"}]\n}');
  await explain.getByRole('button', { name: 'Explain' }).click();
  await expect(explain.getByRole('alert')).toHaveText('The body is not valid JSON: line 3, column 32.');

  await body.fill(JSON.stringify({ model: 'fast', messages: [{ role: 'user', content: 'hi' }] }));
  await explain.getByRole('button', { name: 'Explain' }).click();
  await expect(page.getByRole('heading', { name: 'Decision' })).toBeVisible();
  await expect(region.getByText('Would try, in order: simulator/sim-fast')).toBeVisible();
  // the outcome is said once, under the steps
  await expect(region.getByRole('listitem').filter({ hasText: /will try/ })).toHaveCount(0);
  await expect(region.getByRole('listitem').filter({ hasText: 'simulator/sim-fast: kept' })).toHaveCount(1);

  // a model the simulator serves only for speech: the proxy routes it there and the simulator refuses it; explain says so
  const speechModel = { model: 'sim-tts', messages: [{ role: 'user', content: 'hi' }] };
  await body.fill(JSON.stringify(speechModel));
  await explain.getByRole('button', { name: 'Explain' }).click();
  const refusal = "'sim-tts' is the simulator's speech model; for chat completions use sim-chat or sim-fast or sim-reasoner.";
  await expect(region.getByText(`The request would fail: ${refusal}`)).toBeVisible();
  const real = await fetch(`${engine.baseUrl}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(speechModel) });
  expect(real.status).toBe(400);
  expect(((await real.json()) as { error: { message: string } }).error.message).toBe(refusal);

  // a body the proxy would refuse is refused here too, before any routing
  await body.fill(JSON.stringify({ model: 'fast', messages: [] }));
  await explain.getByRole('button', { name: 'Explain' }).click();
  await expect(region.getByText("The request would fail: Invalid 'messages': expected at least one message")).toBeVisible();
  await expect(region.getByText(/Would try/)).toHaveCount(0);

  // a rule on a tag: explain with the tags the request carries agrees with the proxy, with them and without
  const routing = new RoutingPage(page);
  const put = await fetch(`${engine.baseUrl}/admin/api/routing`, {
    method: 'PUT', headers: { authorization: `Bearer ${engine.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ rules: [{
      id: 'batch', name: 'Batch', enabled: true, when: { model: ['smart'], tags: ['batch'] },
      action: { strategy: 'fallback', targets: [{ provider: 'simulator', model: 'sim-fast' }] },
    }] }),
  });
  expect(put.status, await put.text()).toBe(200);
  await body.fill(JSON.stringify({ model: 'smart', messages: [{ role: 'user', content: 'hi' }] }));
  await explain.getByRole('button', { name: 'Explain' }).click();
  await expect(region.getByText('Would try, in order: simulator/sim-reasoner')).toBeVisible();
  await expect(routing.explainTags).toHaveAccessibleDescription(/Separated by commas/);
  await routing.explainTags.fill('nightly, Batch');
  await explain.getByRole('button', { name: 'Explain' }).click();
  await expect(region.getByText('Would try, in order: simulator/sim-fast')).toBeVisible();
  const tagged = await fetch(`${engine.baseUrl}/v1/chat/completions`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-sluice-tags': 'nightly, Batch' },
    body: JSON.stringify({ model: 'smart', messages: [{ role: 'user', content: 'hi' }] }),
  });
  expect(tagged.headers.get('x-sluice-model')).toBe('sim-fast');
});

test('export the routing file and import it back', async ({ page, panel }) => {
  await panel.open();
  await panel.goto('Routing');
  const routing = new RoutingPage(page);
  await routing.aliasSelect('fast').selectOption('simulator/sim-chat');
  await routing.aliasApply('fast').click();
  await expect(routing.aliasRow('fast')).toContainText('simulator/sim-chat');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export JSON' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^sluice-routing-\d{4}-\d{2}-\d{2}\.json$/);
  const file = await download.path();
  const exported = JSON.parse(await (await import('node:fs/promises')).readFile(file, 'utf8')) as { format: string; routing: { aliases: Array<{ name: string }> } };
  expect(exported.format).toBe('sluice-routing');
  expect(exported.routing.aliases.map((a) => a.name)).toContain('fast');

  await routing.aliasSelect('fast').selectOption('simulator/sim-reasoner');
  await routing.aliasApply('fast').click();
  await expect(routing.aliasRow('fast')).toContainText('simulator/sim-reasoner');

  // Importing asks first, saying what the file replaces; cancelled, nothing changes.
  const exportFile = { name: 'routing.json', mimeType: 'application/json', buffer: await (await import('node:fs/promises')).readFile(file) };
  await routing.importFile.setInputFiles(exportFile);
  const ask = page.getByRole('dialog', { name: 'Import routing.json?' });
  await expect(ask).toContainText('rules 0 → 0, aliases 1 → 1, budgets 0 → 0');
  await ask.getByRole('button', { name: 'Cancel' }).click();
  await expect(ask).toBeHidden();
  await expect(routing.aliasRow('fast')).toContainText('simulator/sim-reasoner');
  await routing.importFile.setInputFiles(exportFile);
  await ask.getByRole('button', { name: 'Import' }).click();
  await expect(panel.toast('Routing imported; it serves from the next request.')).toBeVisible();
  await expect(routing.aliasRow('fast')).toContainText('simulator/sim-chat');
  await expect(page.getByRole('list', { name: 'History' }).getByRole('listitem')).toHaveCount(3);

  // A file that is not a routing export is refused before anything is asked or sent.
  await routing.importFile.setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{"format":"something-else","version":1}') });
  await expect(routing.importRefused).toContainText('The file is not a Sluice routing export.');
  await routing.importRefused.getByRole('button', { name: 'Close' }).first().click();
  await expect(routing.importRefused).toBeHidden();

  // A document the engine refuses changes nothing; each problem is listed with its path.
  const broken = { rules: [{ id: 'r1', enabled: true, when: {}, action: { strategy: 'sideways', targets: [{ provider: 'simulator', model: 'sim-chat' }] } }] };
  const brokenFile = { name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(broken)) };
  await routing.importFile.setInputFiles(brokenFile);
  const askBroken = page.getByRole('dialog', { name: 'Import broken.json?' });
  await expect(askBroken).toContainText('rules 0 → 1, aliases 1 → 0, budgets 0 → 0');
  await askBroken.getByRole('button', { name: 'Import' }).click();
  await expect(routing.importRefused).toContainText('rules[0].name: Required.');
  await expect(routing.importRefused).toContainText('rules[0].action.strategy: Must be one of: fallback, weighted, least-latency, lowest-cost.');
  await page.keyboard.press('Escape');
  await expect(routing.importRefused).toBeHidden();
  await expect(routing.aliasRow('fast')).toContainText('simulator/sim-chat');
  await expect(page.getByRole('list', { name: 'History' }).getByRole('listitem')).toHaveCount(3);

  // The same refusal reads in Chinese.
  await panel.languageSelect.selectOption('zh-CN');
  await page.getByLabel('导入 JSON…').setInputFiles(brokenFile);
  await page.getByRole('dialog', { name: '导入 broken.json？' }).getByRole('button', { name: '导入' }).click();
  const refusedZh = page.getByRole('dialog', { name: '导入被拒绝' });
  await expect(refusedZh).toContainText('rules[0].name: 必填。');
  await expect(refusedZh).toContainText('rules[0].action.strategy: 须为以下之一：fallback, weighted, least-latency, lowest-cost。');
  await page.keyboard.press('Escape');
  await panel.languageSelect.selectOption('en');

  // Roll back to the version before the import.
  await page.getByRole('button', { name: /Roll back to version/ }).nth(1).click();
  await expect(panel.toast(/Rolled back to version/)).toBeVisible();
  await expect(routing.aliasRow('fast')).toContainText('simulator/sim-reasoner');
});

test('a budget saved over a routing document changed meanwhile is refused, the page reloads, and saving again works', async ({ page, panel }) => {
  await panel.open();
  await panel.goto('Routing');
  const routing = new RoutingPage(page);
  await routing.addBudget.click();
  await routing.budgetField('budget-1', 'Limit').fill('5');
  // the save reaches the engine as if the page had loaded an older version (another window saved in between)
  let stale = true;
  await page.route(/\/admin\/api\/routing\?baseSeq=/, async (route) => {
    if (!stale) return route.continue();
    stale = false;
    await route.continue({ url: route.request().url().replace(/baseSeq=\d+/, 'baseSeq=999') });
  });
  await routing.saveBudget('budget-1').click();
  await expect(panel.toast(/changed in another window or through the API/)).toBeVisible();
  await expect(routing.budgets.getByRole('listitem', { name: 'Budget budget-1' })).toHaveCount(0);
  // the edit is still in the form: saved again, over the version now loaded, it goes through
  await routing.saveBudget('budget-1').click();
  await expect(panel.toast('Budget budget-1 saved.')).toBeVisible();
  await expect(routing.budgets.getByRole('listitem', { name: 'Budget budget-1' })).toBeVisible();
});
