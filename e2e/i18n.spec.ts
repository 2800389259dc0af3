// Switching the language makes the panel read in Chinese, persists across reloads, and switches back.
import { enableSemanticForSimChat, expect, sendChat, test } from './fixtures.ts';

test('switch to Chinese and back', async ({ page, panel }) => {
  await panel.open();
  await expect(panel.navLink('Requests')).toBeVisible();

  await panel.languageSelect.selectOption('zh-CN');
  for (const label of ['仪表盘', '请求', '缓存', '路由', '告警', '压力测试', '设置']) {
    await expect(panel.navLink(label)).toBeVisible();
  }
  await expect(panel.heading).toHaveText('仪表盘');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  // Durations read in Chinese units, not English letters.
  await expect(page.getByRole('group', { name: '运行时长' })).toContainText(/\d+(秒|分钟)/);
  await expect(page.getByRole('group', { name: '运行时长' })).not.toContainText(/\d[smhd]\b/);

  await page.reload();
  await expect(panel.navLink('设置')).toBeVisible();

  await panel.languageSelect.selectOption('en');
  await expect(panel.navLink('Settings')).toBeVisible();
  await expect(panel.heading).toHaveText('Dashboard');
});

test('the Routing page and the providers read in Chinese, the engine’s own words included', async ({ page, panel, engine }) => {
  // A refusing budget run out by one request, and a price saved after it: two versions that count the same.
  const auth = { authorization: `Bearer ${engine.token}`, 'content-type': 'application/json' };
  const put = async (routing: Record<string, unknown>) => {
    const res = await fetch(`${engine.baseUrl}/admin/api/routing`, { method: 'PUT', headers: auth, body: JSON.stringify(routing) });
    expect(res.status, await res.text()).toBe(200);
  };
  const budgets = [{ id: 'reasoner-day', scope: 'model', match: 'sim-reasoner', period: 'day', unit: 'tokens', limit: 1, onExhausted: 'refuse' }];
  await put({ budgets });
  await sendChat(engine.baseUrl, 'smart', 'use up the budget');
  await put({ budgets, prices: { 'sim-reasoner': { input: 1, output: 2 } } });

  await panel.open();
  await panel.languageSelect.selectOption('zh-CN');
  await panel.navLink('路由').click();
  await expect(page.getByRole('table', { name: '提供方' })).toContainText('模拟器（内置，无需联网）');
  await expect(page.getByRole('table', { name: '别名' })).toContainText('默认：快速、便宜的模型');
  await expect(page.getByRole('table', { name: '别名' })).not.toContainText('default:');
  const budget = page.getByRole('region', { name: '预算' });
  await expect(budget).toContainText('模型 sim-reasoner · 每日');
  await expect(budget).toContainText('已用尽 → 拒绝请求');
  const history = page.getByRole('list', { name: '历史版本' }).getByRole('listitem');
  await expect(history.nth(0)).toContainText('修改了价格');
  await expect(history.nth(1)).toContainText('首个版本');

  const explain = page.getByRole('form', { name: '解释一个请求' });
  await explain.getByRole('textbox', { name: /请求体/ }).fill(JSON.stringify({ model: 'smart', messages: [{ role: 'user', content: 'hi' }] }));
  await explain.getByRole('button', { name: '解释' }).click();
  const decision = page.getByRole('region', { name: '解释一个请求' });
  await expect(decision).toContainText('请求模型“smart”');
  await expect(decision).toContainText('没有路由规则');
  await expect(decision).toContainText('该请求将失败：预算“reasoner-day”（模型“sim-reasoner”，每天 1 个 token）已用尽。');
  await expect(decision).not.toContainText(/request for|no routing rules|is exhausted/);
  // the outcome once, under the steps
  await expect(decision.getByText(/^拒绝：/)).toHaveCount(0);

  // the body's JSON mistake, a body the proxy refuses and a model served for another endpoint, all in Chinese
  await explain.getByRole('textbox', { name: /请求体/ }).fill('{"model": "fast",, "messages": []}');
  await explain.getByRole('button', { name: '解释' }).click();
  await expect(explain.getByRole('alert')).toHaveText('请求体不是有效的 JSON：第 1 行第 18 列有误。');
  await explain.getByRole('textbox', { name: /请求体/ }).fill(JSON.stringify({ model: 'fast', messages: [] }));
  await explain.getByRole('button', { name: '解释' }).click();
  await expect(decision).toContainText('该请求将失败：字段“messages”无效：至少需要一条消息。');
  await explain.getByRole('textbox', { name: /请求体/ }).fill(JSON.stringify({ model: 'sim-tts', messages: [{ role: 'user', content: 'hi' }] }));
  await explain.getByRole('button', { name: '解释' }).click();
  await expect(decision).toContainText('该请求将失败：“sim-tts”是模拟器的语音合成模型；对话补全请使用 sim-chat 或 sim-fast 或 sim-reasoner。');
  await expect(decision).not.toContainText(/simulator's|expected|Invalid/);

  await page.getByRole('button', { name: '添加规则' }).click();
  await expect(page.getByRole('textbox', { name: '规则 rule-1 的名称', exact: true })).toHaveValue('规则 1');

  await panel.navLink('设置').click();
  const simulator = page.getByRole('table', { name: '提供方' }).getByRole('row', { name: /^simulator/ });
  await expect(simulator).toContainText('内置模拟器：以合成数据应答 sim-* 模型，无需密钥。');
  await expect(simulator).not.toContainText(/Simulator|模拟器（内置/);
});

test('the Requests page names cache results and status classes in Chinese, in the table, the menus and the detail', async ({ page, panel, engine }) => {
  // the same question twice: a miss, then a hit from memory
  expect((await sendChat(engine.baseUrl, 'sim-chat', 'the same question')).headers.get('x-sluice-cache')).toBe('miss');
  const hit = await sendChat(engine.baseUrl, 'sim-chat', 'the same question');
  expect(hit.headers.get('x-sluice-cache')).toBe('hit-memory');

  await panel.open();
  await panel.languageSelect.selectOption('zh-CN');
  await panel.navLink('请求').click();
  const table = page.getByRole('table', { name: '请求日志' });
  const rows = table.getByRole('row').filter({ has: page.getByRole('cell') });
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ hasText: '内存命中' })).toHaveCount(1);
  await expect(rows.filter({ hasText: '未命中' })).toHaveCount(1);
  await expect(table).not.toContainText(/hit-memory|miss/);

  const filters = page.getByRole('search');
  const cache = filters.getByLabel('缓存');
  await expect(cache.getByRole('option')).toHaveText(['全部', '未命中', '内存命中']);
  await cache.selectOption({ label: '内存命中' });
  await expect(rows).toHaveCount(1);
  await expect(filters.getByLabel('状态').getByRole('option', { name: '客户端错误（4xx）' })).toHaveCount(1);

  await table.getByRole('button', { name: `打开请求 ${hit.headers.get('x-request-id')}` }).click();
  const detail = page.getByRole('dialog');
  await expect(detail.getByRole('definition').filter({ hasText: '内存命中' })).toHaveCount(1);
  await expect(detail).not.toContainText('hit-memory');
});

test('a budget is added, switched off and deleted in Chinese, every word of its form in Chinese', async ({ page, panel }) => {
  await panel.open();
  await panel.languageSelect.selectOption('zh-CN');
  await panel.navLink('路由').click();
  const budgets = page.getByRole('region', { name: '预算' });
  await expect(budgets).toContainText('暂无预算。');

  await budgets.getByRole('button', { name: '添加预算' }).click();
  const form = page.getByRole('form', { name: '新预算' });
  await form.getByLabel('预算 budget-1 的计量对象', { exact: true }).selectOption({ label: '带有某个标签的请求' });
  await form.getByLabel('预算 budget-1 的标签', { exact: true }).fill('nightly');
  await form.getByRole('button', { name: '保存预算 budget-1' }).click();
  // caught before it is sent, in the reader's language
  await expect(form.getByLabel('预算 budget-1 的上限', { exact: true })).toHaveAccessibleDescription(/必填。/);
  await expect(form).not.toContainText(/Required|Limit|Tag|Window/);
  await form.getByLabel('预算 budget-1 的上限', { exact: true }).fill('200');
  await form.getByRole('button', { name: '保存预算 budget-1' }).click();
  await expect(panel.toast('预算 budget-1 已保存。')).toBeVisible();
  const item = budgets.getByRole('listitem', { name: '预算 budget-1' });
  await expect(item).toContainText('标签 nightly · 每日');
  await expect(item).toContainText('已用 $0 / $200.00（0%）');

  await item.getByRole('button', { name: '编辑预算 budget-1' }).click();
  await page.getByRole('switch', { name: '预算 budget-1 已启用' }).click();
  await page.getByRole('button', { name: '保存预算 budget-1' }).click();
  await expect(item).toContainText('已停用');

  await item.getByRole('button', { name: '删除预算 budget-1' }).click();
  await page.getByRole('dialog', { name: '删除预算 budget-1？' }).getByRole('button', { name: '删除' }).click();
  await expect(panel.toast('预算 budget-1 已删除。')).toBeVisible();
  await expect(budgets).toContainText('暂无预算。');
  await expect(budgets).not.toContainText(/Budget|budgets|daily/);
});

test('the semantic trace and the redacted headers of a request read in Chinese', async ({ page, panel, engine }) => {
  await enableSemanticForSimChat(engine);
  await sendChat(engine.baseUrl, 'sim-chat', 'Who is the CEO of Apple?');
  // sent with a bearer token, kept in the log as redacted; refused by the tense guard
  const refused = await sendChat(engine.baseUrl, 'sim-chat', 'Who was the CEO of Apple?');
  expect(refused.headers.get('x-sluice-cache')).toBe('miss');

  await panel.open();
  await panel.languageSelect.selectOption('zh-CN');
  await panel.navLink('请求').click();
  await page.getByRole('table', { name: '请求日志' }).getByRole('button', { name: `打开请求 ${refused.headers.get('x-request-id')}` }).click();
  const detail = page.getByRole('dialog');
  const trace = detail.getByRole('region', { name: '路由轨迹' });
  // review 4: 「…（Local near-duplicate matcher (character n-grams, English and Chinese, no model)）」
  await expect(trace).toContainText('未命中：时态防护拒绝了最接近的条目');
  await expect(trace).toContainText('（本地近似重复匹配器：字符 n-gram，中英文，不用模型）');
  await expect(trace).not.toContainText(/Local near-duplicate|tense/);
  const headers = detail.getByRole('region', { name: '请求头' });
  await expect(headers.getByRole('definition').filter({ hasText: '[已隐藏]' })).toHaveCount(1);
  await expect(headers).not.toContainText('[redacted]');
});
