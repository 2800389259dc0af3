import { describe, expect, it } from 'vitest';
import { defaultRoutingConfig, type BudgetConfig } from '../../../shared/routing.ts';
import {
  budgetIssuesFromError, budgetToForm, checkBudgetForm, fieldFromBudgetPath, formToBudget, newBudgetForm, withBudget, withoutBudget, withScope,
  type BudgetContext, type BudgetForm,
} from './budget-form.ts';

const FULL: BudgetConfig = {
  id: 'smart-daily', scope: 'alias', match: 'smart', period: 'day', unit: 'tokens', limit: 20000, threshold: 0.07,
  onExhausted: 'downgrade', downgradeTo: [{ provider: 'simulator', model: 'sim-fast' }, { provider: 'ollama', model: 'library/llama3' }], enabled: false,
};
const CTX: BudgetContext = { otherIds: ['other'], providers: ['simulator', 'ollama'], aliases: ['auto', 'fast', 'smart'] };
const edit = (patch: Partial<BudgetForm>, from: BudgetConfig = FULL): BudgetForm => ({ ...budgetToForm(from), ...patch });
const problems = (f: BudgetForm, ctx = CTX) => checkBudgetForm(f, ctx).map((p) => `${p.field}:${p.problem}`);

describe('the budget form', () => {
  it('gives back the budget it was made from, every field included', () => {
    const form = budgetToForm(FULL);
    expect(form).toMatchObject({ threshold: '7', limit: '20000', downgradeTo: ['simulator/sim-fast', 'ollama/library/llama3'], enabled: false });
    expect(formToBudget(form)).toEqual(FULL);
    expect(checkBudgetForm(form, CTX)).toEqual([]);
  });

  it('leaves out what is not set: no threshold, no cheaper targets when refusing, no enabled key when on', () => {
    const b = formToBudget(edit({ threshold: ' ', onExhausted: 'refuse', enabled: true }));
    expect(b).toEqual({ id: 'smart-daily', scope: 'alias', match: 'smart', period: 'day', unit: 'tokens', limit: 20000, onExhausted: 'refuse' });
    // an explicit `enabled: true` stays as written
    expect(formToBudget(budgetToForm({ ...FULL, enabled: true })).enabled).toBe(true);
  });

  it('keeps keys the form does not edit', () => {
    const odd = { ...FULL, note: 'kept' } as BudgetConfig;
    expect(formToBudget(budgetToForm(odd))).toMatchObject({ note: 'kept' });
  });

  it('stores a tag as requests carry it: trimmed, in lower case', () => {
    expect(formToBudget(edit({ scope: 'tag', match: '  Nightly ' })).match).toBe('nightly');
  });

  it('starts a new budget with a free id on the first provider and an empty limit to fill in', () => {
    const form = newBudgetForm([{ ...FULL, id: 'budget-2' }], ['simulator']);
    expect(form).toMatchObject({ id: 'budget-3', scope: 'provider', match: 'simulator', period: 'day', unit: 'usd', limit: '', onExhausted: 'refuse', base: null });
    expect(problems(form)).toEqual(['limit:required']);
  });

  it('moves the match to the first choice of a picked list, and keeps typed text between model and tag', () => {
    const choices = { providers: ['simulator'], aliases: ['auto', 'fast'] };
    expect(withScope(edit({ scope: 'model', match: 'sim-chat' }), 'tag', choices).match).toBe('sim-chat');
    expect(withScope(edit({ scope: 'model', match: 'sim-chat' }), 'provider', choices).match).toBe('simulator');
    expect(withScope(edit({ scope: 'tag', match: 'nightly' }), 'alias', choices).match).toBe('auto');
    expect(withScope(edit({}), 'alias', choices).match).toBe('smart');
    expect(withScope(edit({}), 'model', choices).match).toBe('');
    expect(withScope(edit({ scope: 'provider', match: 'ollama' }), 'tag', choices).match).toBe('');
  });

  it('says what is plainly wrong, next to its field', () => {
    expect(problems(edit({ id: '' }))).toEqual(['id:required']);
    expect(problems(edit({ id: '-bad id' }))).toEqual(['id:idChars']);
    expect(problems(edit({ id: 'other' }))).toEqual(['id:idTaken']);
    expect(problems(edit({ scope: 'provider', match: 'nope' }))).toEqual(['match:unknownProvider']);
    // while the panel does not know the providers yet, the engine judges
    expect(problems(edit({ scope: 'provider', match: 'nope' }), { ...CTX, providers: [] })).toEqual([]);
    expect(problems(edit({ scope: 'alias', match: 'nope' }))).toEqual(['match:unknownAlias']);
    expect(problems(edit({ scope: 'tag', match: 'a,b' }))).toEqual(['match:tagChars']);
    expect(problems(edit({ scope: 'tag', match: 'x'.repeat(65) }))).toEqual(['match:tagChars']);
    expect(problems(edit({ scope: 'model', match: '  ' }))).toEqual(['match:required']);
    expect(problems(edit({ limit: '-1' }))).toEqual(['limit:integer']);
    expect(problems(edit({ limit: '12.5' }))).toEqual(['limit:integer']);
    expect(problems(edit({ unit: 'usd', limit: '12.5' }))).toEqual([]);
    expect(problems(edit({ unit: 'usd', limit: 'ten' }))).toEqual(['limit:number']);
    expect(problems(edit({ unit: 'usd', limit: '0' }))).toEqual([]);
    for (const bad of ['0', '101', 'x', '-5']) expect(problems(edit({ threshold: bad }))).toEqual(['threshold:percent']);
    expect(problems(edit({ threshold: '100' }))).toEqual([]);
    expect(problems(edit({ downgradeTo: ['simulator/sim-fast', 'gone/m', 'nomodel'] }))).toEqual(['downgradeTo.1:badTarget', 'downgradeTo.2:badTarget']);
    // cheaper targets of a refusing budget are not sent, so not checked
    expect(problems(edit({ onExhausted: 'refuse', downgradeTo: ['gone/m'] }))).toEqual([]);
  });

  it('turns a percentage into the fraction the engine keeps, without float noise either way', () => {
    expect(formToBudget(edit({ threshold: '85' })).threshold).toBe(0.85);
    expect(budgetToForm({ ...FULL, threshold: 0.07 }).threshold).toBe('7');
    expect(budgetToForm({ ...FULL, threshold: 0.333 }).threshold).toBe('33.3');
    expect(formToBudget(edit({ threshold: '0.7' })).threshold).toBe(0.007);
  });

  it('saves every threshold unchanged when its field is not touched', () => {
    for (let i = 1; i <= 1000; i += 1) {
      const threshold = i / 1000;
      expect(formToBudget(budgetToForm({ ...FULL, threshold })).threshold, String(threshold)).toBe(threshold);
    }
    expect(formToBudget(budgetToForm({ ...FULL, threshold: 2 / 3 })).threshold).toBe(2 / 3);
  });

  it('adds, replaces and removes a budget without touching the rest of the document', () => {
    const doc = { ...defaultRoutingConfig(), budgets: [{ ...FULL, id: 'a' }, { ...FULL, id: 'b' }] };
    expect(withBudget(doc, 2, { ...FULL, id: 'c' }).budgets.map((b) => b.id)).toEqual(['a', 'b', 'c']);
    expect(withBudget(doc, -1, { ...FULL, id: 'c' }).budgets.map((b) => b.id)).toEqual(['a', 'b', 'c']);
    expect(withBudget(doc, 0, { ...FULL, id: 'z' }).budgets.map((b) => b.id)).toEqual(['z', 'b']);
    expect(withoutBudget(doc, 0).budgets.map((b) => b.id)).toEqual(['b']);
    expect(doc.budgets.map((b) => b.id)).toEqual(['a', 'b']);
  });

  it('puts a refused save’s problems under the budget and field they name', () => {
    expect(fieldFromBudgetPath('downgradeTo[1].provider')).toBe('downgradeTo.1');
    expect(fieldFromBudgetPath('limit')).toBe('limit');
    expect(fieldFromBudgetPath('note')).toBeNull();
    expect(budgetIssuesFromError('x', null, [
      { param: 'budgets[1].match', message: "unknown provider 'nope'" },
      { param: 'budgets[0].downgradeTo[0].provider', message: "unknown provider 'gone'" },
      { param: 'rules[0].action', message: 'needs exactly one of targets or alias' },
    ])).toEqual([
      { budget: 1, path: 'match', field: 'match', message: "unknown provider 'nope'" },
      { budget: 0, path: 'downgradeTo[0].provider', field: 'downgradeTo.0', message: "unknown provider 'gone'" },
      { budget: null, path: 'rules[0].action', field: null, message: 'needs exactly one of targets or alias' },
    ]);
    expect(budgetIssuesFromError('budgets[0].limit: must be a non-negative number', 'budgets[0].limit'))
      .toEqual([{ budget: 0, path: 'limit', field: 'limit', message: 'must be a non-negative number' }]);
    expect(budgetIssuesFromError('Engine unreachable', null)).toEqual([{ budget: null, path: '', field: null, message: 'Engine unreachable' }]);
  });
});
