import { describe, expect, it } from 'vitest';
import { translator } from '../i18n/translate.ts';
import { historyChange } from './routing-history-text.ts';

describe('historyChange', () => {
  it('names the sections a version changed, in the reader’s language', () => {
    const en = translator('en');
    const zh = translator('zh-CN');
    expect(historyChange(en, { changed: ['prices'] })).toBe('changed prices');
    expect(historyChange(en, { changed: ['rules', 'classTargets'] })).toBe('changed rules, auto targets');
    expect(historyChange(zh, { changed: ['budgets', 'retry'] })).toBe('修改了预算、重试');
    expect(historyChange(zh, { changed: [] })).toBe('与上一版本相同');
    expect(historyChange(en, { changed: null })).toBe('first version');
  });
});
