import { describe, it, expect } from 'vitest';
import { AlertRuleError, RuleEvaluator, validateAlertRule, validateAlertRules } from './alert-rules.ts';

const hitRule = { id: 'low-hits', metric: 'cache.hitRate', comparator: '<', threshold: 0.4, forSeconds: 300 };

describe('validateAlertRule', () => {
  it('fills defaults and a readable name', () => {
    expect(validateAlertRule(hitRule)).toEqual({ ...hitRule, name: 'cache.hitRate < 0.4 for 300 s', severity: 'warning', enabled: true });
  });

  it.each([
    [{ ...hitRule, metric: 'latency' }, 'rules[1].metric'],
    [{ ...hitRule, comparator: '=>' }, 'rules[1].comparator'],
    [{ ...hitRule, threshold: '0.4' }, 'rules[1].threshold'],
    [{ ...hitRule, threshold: 40 }, 'rules[1].threshold'],
    [{ ...hitRule, forSeconds: -5 }, 'rules[1].forSeconds'],
    [{ ...hitRule, severity: 'panic' }, 'rules[1].severity'],
    [{ ...hitRule, id: 'has space' }, 'rules[1].id'],
    [{ ...hitRule, colour: 'red' }, 'rules[1].colour'],
    [{ ...hitRule, id: 'p95' }, 'rules[1].id'],
  ])('names the field at fault: %j', (bad, path) => {
    const rules = [{ id: 'p95', metric: 'latency.p95Ms', comparator: '>', threshold: 2000 }, bad];
    try { validateAlertRules(rules); expect.unreachable(); } catch (e) {
      expect(e).toBeInstanceOf(AlertRuleError);
      expect((e as AlertRuleError).path).toBe(path);
      expect((e as AlertRuleError).status).toBe(400);
      expect((e as AlertRuleError).param).toBe(path);
    }
  });

  it('rejects what is not a rule list', () => {
    expect(() => validateAlertRules({})).toThrow(/rules: must be an array/);
    expect(() => validateAlertRule(null, 'x')).toThrow(/x: must be an object/);
  });
});

describe('RuleEvaluator', () => {
  it('fires only after the condition held for its duration, and clears when it stops', () => {
    const ev = new RuleEvaluator([validateAlertRule(hitRule)]);
    const t0 = 1_000_000;
    const seen: string[] = [];
    for (let s = 0; s <= 500; s++) {
      // a short dip at 10..20 s and a gap without traffic at 60 s do not count
      const hitRate = s >= 10 && s < 20 ? 0.1 : s === 60 ? null : s < 100 ? 0.7 : s < 450 ? 0.3 : 0.8;
      for (const t of ev.evaluate({ 'cache.hitRate': hitRate }, t0 + s * 1000)) seen.push(`${s}:${t.type}:${t.value}`);
    }
    expect(seen).toEqual(['400:fire:0.3', '450:clear:0.8']);
  });

  it('clears a firing rule that was removed or disabled', () => {
    const rule = validateAlertRule({ id: 'p95', metric: 'latency.p95Ms', comparator: '>', threshold: 2000 });
    const ev = new RuleEvaluator([rule]);
    expect(ev.evaluate({ 'latency.p95Ms': 2500 }, 0).map((t) => t.type)).toEqual(['fire']);
    expect(ev.evaluate({ 'latency.p95Ms': 2500 }, 1000)).toEqual([]);
    ev.setRules([{ ...rule, enabled: false }]);
    expect(ev.evaluate({ 'latency.p95Ms': 2500 }, 2000).map((t) => [t.rule.id, t.type])).toEqual([['p95', 'clear']]);
  });

  describe('a rule alert left open by the previous run (adopted)', () => {
    const rule = validateAlertRule({ id: 'p95', metric: 'latency.p95Ms', comparator: '>', threshold: 2000 });
    const t0 = 1_000_000;
    const adopted = (rules = [rule]) => {
      const ev = new RuleEvaluator(rules);
      ev.adopt('p95', t0 - 3_600_000, t0 + 60_000);
      return ev;
    };

    it('stays open without firing again while its condition holds, and clears when it stops', () => {
      const ev = adopted();
      expect(ev.evaluate({ 'latency.p95Ms': 2500 }, t0 + 1000)).toEqual([]);
      const [clear] = ev.evaluate({ 'latency.p95Ms': 300 }, t0 + 2000);
      expect(clear).toMatchObject({ type: 'clear', value: 300, since: t0 - 3_600_000 });
      expect(clear.rule.id).toBe('p95');
    });

    it('waits out the rule window for data after a restart, then clears when there is still none', () => {
      const ev = adopted();
      expect(ev.evaluate({}, t0 + 1000)).toEqual([]);
      expect(ev.evaluate({}, t0 + 59_000)).toEqual([]);
      expect(ev.evaluate({}, t0 + 60_000).map((t) => t.type)).toEqual(['clear']);
      // once cleared it is an ordinary rule again: a gap without traffic does not keep it open
      expect(ev.evaluate({ 'latency.p95Ms': 2500 }, t0 + 61_000).map((t) => t.type)).toEqual(['fire']);
      expect(ev.evaluate({}, t0 + 62_000).map((t) => t.type)).toEqual(['clear']);
    });

    it('clears at once when its rule was deleted or disabled while Sluice was down', () => {
      expect(adopted([]).evaluate({ 'latency.p95Ms': 2500 }, t0 + 1000).map((t) => [t.rule.id, t.type])).toEqual([['p95', 'clear']]);
      expect(adopted([{ ...rule, enabled: false }]).evaluate({}, t0 + 1000).map((t) => [t.rule.id, t.type])).toEqual([['p95', 'clear']]);
    });
  });
});
