// The rule and budget forms check their fields before they send, so that one save shows every problem
// with the others: a value the form lets through must not come back from the engine as a second round of
// problems. Field for field, the form refuses what the engine refuses (and, where noted, a little more).
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/engine/config/defaults.ts';
import { routingProblems } from '../src/engine/routing/validate-routing.ts';
import { budgetIssuesFromError, budgetToForm, checkBudgetForm, formToBudget, type BudgetForm } from '../src/renderer/src/lib/budget-form.ts';
import { checkRuleForm, formToRule, issuesFromError, ruleToForm, type RuleForm } from '../src/renderer/src/lib/routing-edit.ts';
import { defaultRoutingConfig, type BudgetConfig, type RoutingRule } from '../src/shared/routing.ts';

const providers = defaultConfig().providers;
const RULE: RoutingRule = {
  id: 'r', name: 'R', enabled: true, when: {},
  action: { targets: [{ provider: 'simulator', model: 'sim-chat' }, { provider: 'simulator', model: 'sim-fast' }], strategy: 'fallback' },
};
const BUDGET: BudgetConfig = { id: 'b', scope: 'provider', match: 'simulator', period: 'day', unit: 'usd', limit: 5, onExhausted: 'refuse' };

const sorted = (fields: Iterable<string | null>) => [...new Set(fields)].map(String).sort();

/** The fields the form marks, and the fields the engine's problems with the rule it would send are shown at. */
function ruleVerdicts(patch: Partial<RuleForm>) {
  const form = { ...ruleToForm(RULE), ...patch };
  const engine = routingProblems({ ...defaultRoutingConfig(), rules: [formToRule(form)] }, providers);
  return { panel: sorted(checkRuleForm(form).map((i) => i.field)), engine: sorted(engine.length ? issuesFromError('', null, engine).map((i) => i.field) : []) };
}

function budgetVerdicts(patch: Partial<BudgetForm>) {
  const form = { ...budgetToForm(BUDGET), ...patch };
  const engine = routingProblems({ ...defaultRoutingConfig(), budgets: [formToBudget(form)] }, providers);
  const ctx = { otherIds: [], providers: providers.map((p) => p.id), aliases: ['fast', 'smart', 'auto'] };
  return { panel: sorted(checkBudgetForm(form, ctx).map((i) => i.field)), engine: sorted(engine.length ? budgetIssuesFromError('', null, engine).map((i) => i.field) : []) };
}

describe('the rule form checks what the engine checks', () => {
  const cases: Array<Partial<RuleForm>> = [
    {},
    ...['-5', '0', '99', '99.9', '100', '100.5', '30000', 'abc', '1e400', ' '].map((timeoutMs) => ({ timeoutMs })),
    ...['', '0', '10', '1.5', '-1', 'x'].flatMap((minTokens) => ['', '0', '5', '2.5', 'y'].map((maxTokens) => ({ minTokens, maxTokens }))),
    { minTokens: '50', maxTokens: '10', timeoutMs: '-5' },
    ...[['1', '1'], ['0', '0'], ['0', '2'], ['-1', '1'], ['1'], ['x', '1']].map((weights) => ({ strategy: 'weighted' as const, weights })),
    ...['a b', 'ok-1', '.dot', 'x'.repeat(64), 'x'.repeat(65), '名字'].map((id) => ({ id })),
    { targets: [], weights: [] },
  ];
  for (const patch of cases) {
    it(JSON.stringify(patch), () => {
      const { panel, engine } = ruleVerdicts(patch);
      expect(panel).toEqual(engine);
    });
  }
});

describe('the budget form checks what the engine checks', () => {
  const cases: Array<Partial<BudgetForm>> = [
    {},
    ...['', '-1', '0', '12.5', 'abc', '1e400'].map((limit) => ({ limit })),
    ...['', '0', '0.5', '50', '100', '100.1', '-3', 'x'].map((threshold) => ({ threshold })),
    ...['a b', 'b-1', 'x'.repeat(65)].map((id) => ({ id })),
    { match: 'nobody' }, { scope: 'alias' as const, match: 'nowhere' }, { scope: 'model' as const, match: ' ' },
    { onExhausted: 'downgrade' as const, downgradeTo: ['nobody/m'] },
  ];
  for (const patch of cases) {
    it(JSON.stringify(patch), () => {
      const { panel, engine } = budgetVerdicts(patch);
      expect(panel).toEqual(engine);
    });
  }

  it('is stricter than the engine on purpose in two places: whole tokens, and a tag a request can carry', () => {
    expect(budgetVerdicts({ unit: 'tokens', limit: '12.5' })).toEqual({ panel: ['limit'], engine: [] });
    expect(budgetVerdicts({ scope: 'tag', match: 'a,b' })).toEqual({ panel: ['match'], engine: [] });
  });
});
