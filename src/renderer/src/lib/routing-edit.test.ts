import { describe, expect, it } from 'vitest';
import { defaultRoutingConfig } from '../../../shared/routing.ts';
import { budgetTone, newRuleTemplate, parseRuleJson, parseTarget, ruleIndexFromParam, withoutRule, withRule } from './routing-edit.ts';

describe('routing editing helpers', () => {
  it('parses a rule JSON and explains what is wrong with a bad one', () => {
    expect(parseRuleJson('{"id":"a"}')).toMatchObject({ ok: true, rule: { id: 'a' } });
    expect(parseRuleJson('{"id":')).toMatchObject({ ok: false, problem: expect.stringMatching(/^Not valid JSON/) });
    expect(parseRuleJson('[1]')).toEqual({ ok: false, problem: 'A rule must be a JSON object.' });
  });

  it('replaces, appends and removes rules without touching the rest of the document', () => {
    const base = { ...defaultRoutingConfig(), rules: [newRuleTemplate([])] };
    const second = newRuleTemplate(base.rules);
    expect(second.id).toBe('rule-2');
    const appended = withRule(base, 1, second);
    expect(appended.rules.map((r) => r.id)).toEqual(['rule-1', 'rule-2']);
    const replaced = withRule(appended, 0, { ...base.rules[0], name: 'changed' });
    expect(replaced.rules.map((r) => r.name)).toEqual(['changed', 'Rule 2']);
    expect(withoutRule(replaced, 0).rules.map((r) => r.id)).toEqual(['rule-2']);
    expect(base.rules).toHaveLength(1);
  });

  it('finds the rule a validation error names', () => {
    expect(ruleIndexFromParam('rules[2].when.model')).toBe(2);
    expect(ruleIndexFromParam('routing.rules[0].action')).toBe(0);
    expect(ruleIndexFromParam('aliases[0].targets')).toBeNull();
    expect(ruleIndexFromParam(null)).toBeNull();
  });

  it('reads provider/model targets and grades budgets', () => {
    expect(parseTarget('ollama/library/llama3')).toEqual({ provider: 'ollama', model: 'library/llama3' });
    expect(parseTarget('nomodel/')).toBeNull();
    expect(parseTarget('x')).toBeNull();
    expect(budgetTone(0.5)).toBe('ok');
    expect(budgetTone(0.85)).toBe('warn');
    expect(budgetTone(1)).toBe('bad');
  });
});
