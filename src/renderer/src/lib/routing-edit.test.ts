import { describe, expect, it } from 'vitest';
import type { ModelView } from '../../../shared/admin/core-routes.ts';
import { defaultRoutingConfig, type RoutingRule } from '../../../shared/routing.ts';
import { translator } from '../i18n/translate.ts';
import {
  budgetTone, checkRuleForm, fieldFromRulePath, formToRule, issuesFromError, move, newRuleTemplate, optionsWith, parseRuleJson, parseTarget,
  placeIssues, ruleIndexFromParam, ruleTargetOptions, ruleToForm, shownFields, splitList, switchedTargets, withoutRule, withRule, withWeight, type RuleForm,
} from './routing-edit.ts';

describe('routing editing helpers', () => {
  it('parses a rule JSON and explains what is wrong with a bad one', () => {
    expect(parseRuleJson('{"id":"a"}')).toMatchObject({ ok: true, rule: { id: 'a' } });
    expect(parseRuleJson('{"id":')).toEqual({ ok: false, problem: 'syntax', where: { kind: 'end' } });
    expect(parseRuleJson('{\n  "id": "a",\n}')).toEqual({ ok: false, problem: 'syntax', where: { kind: 'at', line: 3, column: 1 } });
    expect(parseRuleJson('[1]')).toEqual({ ok: false, problem: 'notObject' });
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

  it('starts a new rule on chat requests, and offers a rule the models that serve every endpoint it is on', () => {
    expect(newRuleTemplate([]).when).toEqual({ model: ['*'], endpoint: ['chat'] });
    const models: ModelView[] = [
      { id: 'sim-fast', provider: 'simulator', owned_by: 'x', endpoints: ['chat'] },
      { id: 'sim-chat', provider: 'simulator', owned_by: 'x', endpoints: ['chat'] },
      { id: 'sim-tts', provider: 'simulator', owned_by: 'x', endpoints: ['speech'] },
      { id: 'omni', provider: 'other', owned_by: 'x', endpoints: ['chat', 'embeddings'] },
    ];
    expect(ruleTargetOptions(models, ['chat'])).toEqual(['other/omni', 'simulator/sim-chat', 'simulator/sim-fast']);
    expect(ruleTargetOptions(models, ['speech'])).toEqual(['simulator/sim-tts']);
    expect(ruleTargetOptions(models, ['chat', 'embeddings'])).toEqual(['other/omni']);
    expect(ruleTargetOptions(models, ['chat', 'speech'])).toEqual([]);
    expect(ruleTargetOptions(models, [])).toHaveLength(4);
  });

  it('names a new rule in the reader’s language, keeping its id', () => {
    const zh = translator('zh-CN');
    const rule = newRuleTemplate([newRuleTemplate([])], (n) => zh('routing.rule.defaultName', { n }));
    expect(rule).toMatchObject({ id: 'rule-2', name: '规则 2' });
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

const FULL: RoutingRule = {
  id: 'long', name: 'Long prompts', enabled: false,
  when: { model: ['gpt-4o*', 'fast'], endpoint: ['chat'], tags: ['batch'], minPromptTokens: 2000, maxPromptTokens: 9000, complexity: ['complex', 'very-complex'] },
  action: {
    targets: [{ provider: 'simulator', model: 'sim-reasoner' }, { provider: 'ollama', model: 'library/llama3' }],
    strategy: 'weighted', weights: [3, 1], timeoutMs: 5000, cache: { ttlSeconds: 60, semantic: { enabled: true } },
  },
};

const edit = (rule: RoutingRule, patch: Partial<RuleForm>): RuleForm => ({ ...ruleToForm(rule), ...patch });

describe('the rule form', () => {
  it('round-trips a rule through the form, keeping the cache policy it does not edit', () => {
    const form = ruleToForm(FULL);
    expect(form).toMatchObject({
      models: 'gpt-4o*, fast', endpoints: ['chat'], tags: 'batch', minTokens: '2000', maxTokens: '9000', complexity: ['complex', 'very-complex'],
      mode: 'targets', targets: ['simulator/sim-reasoner', 'ollama/library/llama3'], weights: ['3', '1'], strategy: 'weighted', timeoutMs: '5000', enabled: false,
    });
    expect(formToRule(form)).toEqual(FULL);
    expect(JSON.stringify(formToRule(form))).toBe(JSON.stringify(FULL));
  });

  it('writes only the conditions that are filled in, and reads lists typed with Chinese punctuation', () => {
    const rule = formToRule(edit(FULL, { models: ' gpt-4o*，fast、 claude-* ', endpoints: [], tags: '', minTokens: '', maxTokens: ' ', complexity: [], timeoutMs: '' }));
    expect(rule.when).toEqual({ model: ['gpt-4o*', 'fast', 'claude-*'] });
    expect(rule.action).not.toHaveProperty('timeoutMs');
    expect(splitList('a, b  c;d')).toEqual(['a', 'b', 'c', 'd']);
  });

  it('routes to an alias instead of targets, and drops weights when not weighted', () => {
    const alias = formToRule(edit(FULL, { mode: 'alias', alias: 'smart', strategy: 'fallback' })).action;
    expect(alias).toEqual({ alias: 'smart', strategy: 'fallback', timeoutMs: 5000, cache: FULL.action.cache });
    const back = ruleToForm({ ...FULL, action: { alias: 'fast', strategy: 'fallback' } });
    expect(back).toMatchObject({ mode: 'alias', alias: 'fast', targets: [] });
    expect(formToRule(edit(FULL, { strategy: 'least-latency' })).action).not.toHaveProperty('weights');
  });

  it('reads hand-written JSON without failing (missing when, a string where a list belongs)', () => {
    const odd = { id: 'x', name: 'x', enabled: true, when: { model: 'fast' }, action: { strategy: 'sideways' } } as unknown as RoutingRule;
    expect(ruleToForm(odd)).toMatchObject({ models: '', mode: 'targets', targets: [], strategy: 'sideways' });
    expect(ruleToForm({ id: 'y' } as RoutingRule)).toMatchObject({ id: 'y', name: '', models: '', targets: [], strategy: 'fallback' });
  });

  it('keeps what is not a number as typed, so the engine (or the JSON view) shows it', () => {
    expect(formToRule(edit(FULL, { minTokens: 'lots' })).when.minPromptTokens).toBe('lots');
  });

  it('catches what is obviously wrong next to its field', () => {
    expect(checkRuleForm(ruleToForm(FULL))).toEqual([]);
    expect(checkRuleForm(edit(FULL, { id: '  ' }))).toEqual([{ field: 'id', problem: 'required' }]);
    expect(checkRuleForm(edit(FULL, { id: '规则一' }))).toEqual([{ field: 'id', problem: 'idChars' }]);
    expect(checkRuleForm(edit(FULL, { targets: [], weights: [] }))).toEqual([{ field: 'targets', problem: 'noTargets' }]);
    expect(checkRuleForm(edit(FULL, { mode: 'alias', alias: '' }))).toEqual([{ field: 'alias', problem: 'noAlias' }]);
    expect(checkRuleForm(edit(FULL, { minTokens: '500', maxTokens: '100' }))).toEqual([{ field: 'maxTokens', problem: 'minAboveMax' }]);
    expect(checkRuleForm(edit(FULL, { minTokens: '1.5', maxTokens: 'x' }))).toEqual([{ field: 'minTokens', problem: 'integer' }, { field: 'maxTokens', problem: 'integer' }]);
    expect(checkRuleForm(edit(FULL, { weights: ['1'] }))).toEqual([{ field: 'weights', problem: 'weightCount' }]);
    expect(checkRuleForm(edit(FULL, { weights: ['1', ''] }))).toEqual([{ field: 'weights', problem: 'number' }]);
    expect(checkRuleForm(edit(FULL, { weights: ['1'], strategy: 'fallback' }))).toEqual([]);
    expect(checkRuleForm(edit(FULL, { weights: ['0', ' 0'] }))).toEqual([{ field: 'weights', problem: 'weightPositive' }]);
    expect(checkRuleForm(edit(FULL, { id: 'short' }), ['short', 'other'])).toEqual([{ field: 'id', problem: 'duplicate' }]);
    expect(checkRuleForm(edit(FULL, { id: 'long' }), ['short', 'other'])).toEqual([]);
  });

  it('checks the timeout by the engine’s rule, 100 ms or more, whatever else is wrong', () => {
    for (const timeoutMs of ['soon', '-5', '0', '99', '99.9', 'Infinity']) {
      expect(checkRuleForm(edit(FULL, { timeoutMs })), timeoutMs).toEqual([{ field: 'timeoutMs', problem: 'timeout' }]);
    }
    for (const timeoutMs of ['', ' ', '100', '100.5', '30000']) expect(checkRuleForm(edit(FULL, { timeoutMs })), timeoutMs).toEqual([]);
    // every problem at once, not the first round's only
    expect(checkRuleForm(edit(FULL, { minTokens: '50', maxTokens: '10', timeoutMs: '-5' }))).toEqual([
      { field: 'maxTokens', problem: 'minAboveMax' }, { field: 'timeoutMs', problem: 'timeout' },
    ]);
  });

  it('maps a path inside a rule to the field that shows it', () => {
    expect(fieldFromRulePath('when.model')).toBe('models');
    expect(fieldFromRulePath('when.maxPromptTokens')).toBe('maxTokens');
    expect(fieldFromRulePath('action.strategy')).toBe('strategy');
    expect(fieldFromRulePath('action')).toBe('mode');
    expect(fieldFromRulePath('action.targets')).toBe('targets');
    expect(fieldFromRulePath('action.targets[1].provider')).toBe('targets.1');
    expect(fieldFromRulePath('action.cache.semantic.threshold')).toBe('cache');
    expect(fieldFromRulePath('when')).toBeNull();
    expect(fieldFromRulePath('enabled')).toBeNull();
  });

  it("places each problem of a refused save (the engine's error.issues) under its rule and field", () => {
    const issues = [
      { param: 'routing.rules[2].action.strategy', message: 'must be one of fallback, weighted' },
      { param: 'routing.rules[0].action.targets[0].provider', message: "unknown provider 'foo'; known: a, b" },
      { param: 'routing.aliases[1].name', message: "duplicate alias 'x'" },
      { param: null, message: 'the document is too large' },
    ];
    expect(issuesFromError('(joined)', 'routing.rules[2].action.strategy', issues)).toEqual([
      { rule: 2, path: 'action.strategy', field: 'strategy', message: 'must be one of fallback, weighted' },
      { rule: 0, path: 'action.targets[0].provider', field: 'targets.0', message: "unknown provider 'foo'; known: a, b" },
      { rule: null, path: 'routing.aliases[1].name', field: null, message: "duplicate alias 'x'" },
      { rule: null, path: '', field: null, message: 'the document is too large' },
    ]);
  });

  it('places an error without issues by its param', () => {
    expect(issuesFromError('rules[1]: must be an object', 'rules[1]')).toEqual([{ rule: 1, path: '', field: null, message: 'must be an object' }]);
    expect(issuesFromError('Engine is busy.', null)).toEqual([{ rule: null, path: '', field: null, message: 'Engine is busy.' }]);
    expect(issuesFromError('Timeout too short (min 100).', 'routing.rules[3].action.timeoutMs')).toEqual([{ rule: 3, path: 'action.timeoutMs', field: 'timeoutMs', message: 'Timeout too short (min 100).' }]);
  });

  it('puts problems under the fields on show, the rest at the top', () => {
    const form = edit(FULL, { mode: 'alias', alias: 'fast', strategy: 'fallback' });
    const shown = shownFields(form);
    expect([...shown]).toEqual(expect.arrayContaining(['alias', 'cache', 'strategy']));
    expect(shown.has('targets')).toBe(false);
    expect(shownFields(ruleToForm(FULL)).has('targets.1')).toBe(true);
    expect(shownFields(ruleToForm(FULL)).has('weights')).toBe(true);
    const { byField, top } = placeIssues([{ field: 'strategy' as const, m: 1 }, { field: 'weights' as const, m: 2 }, { field: null, m: 3 }], shown);
    expect([...byField.keys()]).toEqual(['strategy']);
    expect(top.map((p) => p.m)).toEqual([2, 3]);
  });

  it('moves targets and keeps weights and select options lined up', () => {
    expect(move(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
    expect(move(['a', 'b'], 0, -1)).toEqual(['a', 'b']);
    expect(withWeight(['3'], 3, 1, '5')).toEqual(['3', '5', '1']);
    expect(withWeight(['3', '2', '9'], 2, -1, '')).toEqual(['3', '2']);
    expect(optionsWith(['a/x', 'b/y'], 'c/z')).toEqual(['c/z', 'a/x', 'b/y']);
    expect(optionsWith(['a/x'], 'a/x')).toEqual(['a/x']);
  });
});

describe('switching an alias with a fallback chain', () => {
  const chain = ['flaky/fake-chat', 'backup/backup-chat'];

  it('replaces only the first target and keeps the fallbacks', () => {
    expect(switchedTargets(chain, 'simulator/sim-chat', 'first')).toEqual(['simulator/sim-chat', 'backup/backup-chat']);
    // a fallback chosen as the new first target is not tried twice
    expect(switchedTargets(chain, 'backup/backup-chat', 'first')).toEqual(['backup/backup-chat']);
  });

  it('makes the choice the only target when asked to replace them all', () => {
    expect(switchedTargets(chain, 'simulator/sim-chat', 'all')).toEqual(['simulator/sim-chat']);
  });
});
