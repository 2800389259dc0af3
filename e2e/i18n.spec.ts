// Switching the language makes the panel read in Chinese, persists across reloads, and switches back.
import { expect, test } from './fixtures.ts';

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
