import { describe, expect, it } from 'vitest';
import { EMPTY_RULE_FORM, formatHeaders, formToRule, parseHeaders, problemText, ruleFieldFromParam, ruleToForm, slugify } from './alert-forms.ts';

describe('alert rule form', () => {
  it('builds a rule, deriving the id from the name', () => {
    const r = formToRule({ ...EMPTY_RULE_FORM, name: 'High error rate!', threshold: '0.5', forSeconds: '0' });
    expect(r).toEqual({ ok: true, rule: { id: 'high-error-rate', name: 'High error rate!', metric: 'errorRate', comparator: '>', threshold: 0.5, forSeconds: 0, severity: 'warning', enabled: true } });
    if (r.ok) expect(formToRule(ruleToForm(r.rule))).toEqual(r);
  });

  it('points at the field a person must fix', () => {
    expect(formToRule({ ...EMPTY_RULE_FORM, threshold: '1' })).toMatchObject({ ok: false, field: 'name' });
    expect(formToRule({ ...EMPTY_RULE_FORM, name: 'x', threshold: '' })).toMatchObject({ ok: false, field: 'threshold', problem: 'required' });
    // what the engine would refuse is said here first, in the reader's language
    expect(formToRule({ ...EMPTY_RULE_FORM, name: 'x', metric: 'errorRate', threshold: '50' })).toMatchObject({ ok: false, field: 'threshold', problem: 'fraction' });
    expect(formToRule({ ...EMPTY_RULE_FORM, name: 'x', id: 'has space', threshold: '1' })).toMatchObject({ ok: false, field: 'id', problem: 'idChars' });
    expect(formToRule({ ...EMPTY_RULE_FORM, name: 'x', threshold: '1', forSeconds: '1.5' })).toMatchObject({ ok: false, field: 'forSeconds', problem: 'integer' });
    expect(formToRule({ ...EMPTY_RULE_FORM, name: 'x', threshold: '1', forSeconds: '999999' })).toMatchObject({ ok: false, field: 'forSeconds', problem: 'integer' });
    expect(formToRule({ ...EMPTY_RULE_FORM, name: 'x', threshold: 'lots' })).toMatchObject({ ok: false, field: 'threshold', problem: 'number' });
    expect(slugify('  ')).toBe('');
    // a name with nothing to slugify still gets an id, the same one each time
    const zh = formToRule({ ...EMPTY_RULE_FORM, name: '高吞吐', metric: 'throughput.rps', threshold: '100' });
    expect(zh).toMatchObject({ ok: true, rule: { name: '高吞吐', id: expect.stringMatching(/^throughput\.rps-[0-9a-f]{6}$/) } });
    expect(formToRule({ ...EMPTY_RULE_FORM, name: '高吞吐', metric: 'throughput.rps', threshold: '100' })).toEqual(zh);
  });

  it('maps a server error param to its field and strips the path from the message', () => {
    expect(ruleFieldFromParam('rule.threshold')).toBe('threshold');
    expect(ruleFieldFromParam('alerts.rules[2].forSeconds')).toBe('forSeconds');
    expect(ruleFieldFromParam('rule.bogus')).toBeNull();
    expect(ruleFieldFromParam(null)).toBeNull();
    expect(problemText('rule.threshold: is a fraction for errorRate: use 0..1', 'rule.threshold')).toBe('is a fraction for errorRate: use 0..1');
    expect(problemText('something else', 'rule.x')).toBe('something else');
  });
});

describe('webhook headers', () => {
  it('round-trips "Name: value" lines and reports a line without a colon', () => {
    const parsed = parseHeaders('Authorization: Bearer abc:def\n\nX-Team: ops');
    expect(parsed).toEqual({ ok: true, headers: { Authorization: 'Bearer abc:def', 'X-Team': 'ops' } });
    if (parsed.ok) expect(formatHeaders(parsed.headers)).toBe('Authorization: Bearer abc:def\nX-Team: ops');
    expect(parseHeaders('good: 1\nbad line')).toEqual({ ok: false, line: 2 });
  });
});
