import { describe, expect, it } from 'vitest';
import { translator } from '../i18n/translate.ts';
import { importProblems, readImport, type ImportProblem } from './routing-import.ts';

const zh = translator('zh-CN');
const say = (p: ImportProblem) => ('key' in p.text ? zh(p.text.key, p.text.params) : p.text.message);

describe('routing import', () => {
  it('counts what an export file or a bare document would install, a missing list as none', () => {
    const routing = { rules: [{}, {}], aliases: [{}], budgets: [] };
    expect(readImport({ format: 'sluice-routing', version: 1, exportedAt: 0, routing })).toEqual({ ok: true, counts: { rules: 2, aliases: 1, budgets: 0 } });
    expect(readImport({ aliases: [{}] })).toEqual({ ok: true, counts: { rules: 0, aliases: 1, budgets: 0 } });
  });

  it('tells a file that is no routing export apart before anything is sent', () => {
    expect(readImport([1])).toEqual({ ok: false, problem: 'notObject' });
    expect(readImport({ format: 'something-else', version: 1 })).toEqual({ ok: false, problem: 'format' });
    expect(readImport({ format: 'sluice-routing', version: 2, routing: {} })).toEqual({ ok: false, problem: 'version' });
    expect(readImport({ format: 'sluice-routing', version: 1 })).toEqual({ ok: false, problem: 'notObject' });
  });

  it('lists each problem of a refusal with its path, in the reader’s language where the panel knows its kind', () => {
    const problems = importProblems('rules[0].name: is required; …', 'rules[0].name', [
      { param: 'rules[0].name', message: 'is required' },
      { param: 'rules[0].action.strategy', message: 'must be one of fallback, weighted, least-latency, lowest-cost' },
      { param: 'budgets[1].period', message: "must be 'day' or 'month'" },
      { param: 'rules[0].action.targets[0].provider', message: "unknown provider 'nope'" },
      { param: 'rules[1].id', message: "duplicate rule id 'rule-1'" },
      { param: 'rules[0].when.endpoint', message: 'must be a list of chat, embeddings, speech' },
      { param: 'rules[0].action.cache.semantic.threshold', message: 'must be a similarity in [0.5, 1], e.g. 0.95' },
    ]);
    expect(problems.map((p) => `${p.path}: ${say(p)}`)).toEqual([
      'rules[0].name: 必填。',
      'rules[0].action.strategy: 须为以下之一：fallback, weighted, least-latency, lowest-cost。',
      'budgets[1].period: 须为以下之一：day, month。',
      'rules[0].action.targets[0].provider: 没有 ID 为“nope”的提供方。',
      'rules[1].id: “rule-1”被使用了两次。',
      'rules[0].when.endpoint: 须为以下各项组成的列表：chat, embeddings, speech。',
      // a kind the panel does not know keeps the engine's words
      'rules[0].action.cache.semantic.threshold: must be a similarity in [0.5, 1], e.g. 0.95',
    ]);
  });

  it('reads a refusal without issues by the path its param names', () => {
    expect(importProblems('rules[0].id: must be 1-64 letters, digits, . _ -', 'rules[0].id')).toEqual([
      { path: 'rules[0].id', text: { key: 'routing.form.problem.idChars', params: {} } },
    ]);
    expect(importProblems('The engine is not running.', null)).toEqual([{ path: '', text: { message: 'The engine is not running.' } }]);
  });
});
