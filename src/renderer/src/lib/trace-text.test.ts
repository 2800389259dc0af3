import { describe, expect, it } from 'vitest';
import { translator } from '../i18n/translate.ts';
import { traceText } from './trace-text.ts';

const zh = translator('zh-CN');
const en = translator('en');

describe('traceText', () => {
  it('adds the rule, the complexity and "for the cache only" to a route only when they apply', () => {
    const step = (vars: object) => ({ message: '-', say: { id: 'route.resolved', vars: { model: 'auto', targets: 'a/m1, b/m2', rule: null, complexity: null, cacheOnly: 0, ...vars } } });
    expect(traceText(en, step({}))).toBe('auto → a/m1, b/m2');
    expect(traceText(en, step({ rule: 'cheap first', complexity: 'simple', cacheOnly: 1 }))).toBe("auto → a/m1, b/m2 (rule 'cheap first') [simple] (for the cache only)");
    expect(traceText(zh, step({ rule: '便宜优先' }))).toBe('auto → a/m1, b/m2（规则“便宜优先”）');
  });

  it('words the scheduler priority and a semantic miss’s closest score in the reader’s language', () => {
    expect(traceText(zh, { message: '-', say: { id: 'scheduler.waited', vars: { ms: 12, provider: 'openai', priority: 'high' } } }))
      .toBe('在提供方“openai”等待空闲槽位 12 毫秒（高优先级）');
    expect(traceText(zh, { message: '-', say: { id: 'semantic.miss.belowThreshold', vars: { threshold: '0.9000', closest: '0.8123', embedder: 'local' } } }))
      .toBe('未命中：没有条目达到阈值 0.9000（最接近的相似度 0.8123）（local）');
    expect(traceText(en, { message: '-', say: { id: 'semantic.miss.none', vars: { closest: null, embedder: 'local' } } }))
      .toBe('miss: no similar question cached in this context (local)');
  });
});
