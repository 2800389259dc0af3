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

  it('lists each problem of a refusal with its path, in the reader’s language by its code', () => {
    const problems = importProblems('rules[0].name: is required; …', 'rules[0].name', [
      { param: 'rules[0].name', message: 'is required', code: 'required' },
      { param: 'rules[0].action.strategy', message: 'must be one of fallback, weighted, least-latency, lowest-cost', code: 'oneOf', vars: { choices: 'fallback, weighted, least-latency, lowest-cost' } },
      { param: 'rules[0].action.targets[0].provider', message: "unknown provider 'nope'", code: 'unknownProvider', vars: { name: 'nope' } },
      { param: 'rules[1].id', message: "duplicate rule id 'rule-1'", code: 'duplicate', vars: { name: 'rule-1' } },
      { param: 'rules[0].action.cache.semantic.threshold', message: 'must be a similarity in [0.5, 1], e.g. 0.95', code: 'similarity' },
      { param: 'rules[0].when.tagz', message: "is not a known setting, did you mean 'tags'? (known: …)", code: 'unknownKey', vars: { near: 'tags', known: 'model, tags' } },
      { param: 'retry.maxAttempts', message: 'must be an integer from 1 to 20', code: 'integerRange', vars: { min: 1, max: 20 } },
      // what the panel has no code for (an older engine, another error) keeps the engine's words
      { param: 'rules[2].name', message: 'is too long' },
      { param: 'rules[3].name', message: 'is too short', code: 'somethingNew' },
    ]);
    expect(problems.map((p) => `${p.path}: ${say(p)}`)).toEqual([
      'rules[0].name: 必填。',
      'rules[0].action.strategy: 须为以下之一：fallback, weighted, least-latency, lowest-cost。',
      'rules[0].action.targets[0].provider: 没有 ID 为“nope”的提供方。',
      'rules[1].id: “rule-1”被使用了两次。',
      'rules[0].action.cache.semantic.threshold: 须为 0.5 到 1 之间的相似度（例如 0.95）。',
      'rules[0].when.tagz: 不是 Sluice 认识的设置；您是否想写“tags”？',
      'retry.maxAttempts: 须为 1 到 20 之间的整数。',
      'rules[2].name: is too long',
      'rules[3].name: is too short',
    ]);
  });

  it('reads a refusal without issues by the path its param names, in the engine\'s words', () => {
    expect(importProblems('rules[0].id: must be 1-64 letters, digits, . _ -', 'rules[0].id')).toEqual([
      { path: 'rules[0].id', text: { message: 'must be 1-64 letters, digits, . _ -' } },
    ]);
    expect(importProblems('The engine is not running.', null)).toEqual([{ path: '', text: { message: 'The engine is not running.' } }]);
  });
});
