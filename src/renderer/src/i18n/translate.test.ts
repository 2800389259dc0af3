import { describe, expect, it } from 'vitest';
import { interpolate, translator } from './translate.ts';

describe('interpolate', () => {
  const rules = '{n, plural, one {# rule} other {# rules}}';

  it('chooses the plural form by the language rules and puts the number for #', () => {
    expect(interpolate(rules, { n: 1 })).toBe('1 rule');
    expect(interpolate(rules, { n: 0 })).toBe('0 rules');
    expect(interpolate(rules, { n: 2 })).toBe('2 rules');
    expect(interpolate('{n, plural, =0 {none} one {# rule} other {# rules}}', { n: 0 })).toBe('none');
  });

  it('fills plain placeholders next to plural ones and leaves unknown or non-numeric ones as written', () => {
    expect(interpolate(`v{seq}: ${rules}`, { seq: 3, n: 1 })).toBe('v3: 1 rule');
    expect(interpolate(rules, { m: 1 })).toBe(rules);
    expect(interpolate(rules, { n: 'many' })).toBe(rules);
    expect(interpolate('{a} of {b} {c}', { a: 1, b: 2 })).toBe('1 of 2 {c}');
  });

  it('reads the routing history in both languages', () => {
    const vars = { seq: 4, rules: 1, aliases: 1, budgets: 2, prices: 1 };
    expect(translator('en')('routing.history.row', vars)).toBe('Version 4: 1 rule, 1 alias, 2 budgets, 1 price');
    expect(translator('zh-CN')('routing.history.row', vars)).toBe('版本 4：1 条规则，1 个别名，2 个预算，1 个价格');
    expect(translator('en')('alerts.badge', { count: 1 })).toBe('1 open alert');
  });
});
