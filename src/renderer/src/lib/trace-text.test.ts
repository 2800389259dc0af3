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
    expect(traceText(en, { message: '-', say: { id: 'semantic.miss.none', vars: { threshold: '0.9500', closest: null, embedder: 'local' } } }))
      .toBe('miss: no cached question in this context reached the threshold 0.9500 (local)');
    expect(traceText(zh, { message: '-', say: { id: 'semantic.miss.none', vars: { threshold: '0.9500', closest: null, embedder: 'local' } } }))
      .toBe('未命中：此上下文中没有已缓存的问题达到阈值 0.9500（local）');
    // a miss logged before it named its threshold
    expect(traceText(en, { message: '-', say: { id: 'semantic.miss.none', vars: { closest: null, embedder: 'local' } } }))
      .toBe('miss: no similar question cached in this context (local)');
  });

  it('words the semantic matcher and guard in Chinese, with no English label in brackets', () => {
    const label = 'Local near-duplicate matcher (character n-grams, English and Chinese, no model)';
    const guard = { id: 'semantic.miss.guard', vars: { guard: 'tense', onlyQuery: '["was"]', onlyCached: '["is"]', closest: '0.9970', embedder: label, matcher: 'local-ngram' } };
    // review 4: 「…没有缓存相似的问题（Local near-duplicate matcher (character n-grams, English and Chinese, no model)）」
    expect(traceText(zh, { message: '-', say: guard }))
      .toBe('未命中：时态防护拒绝了最接近的条目：仅在本问题中出现 ["was"]，仅在缓存问题中出现 ["is"]（最接近的相似度 0.9970）（本地近似重复匹配器：字符 n-gram，中英文，不用模型）');
    // the English is the engine's own message, label included
    expect(traceText(en, { message: '-', say: guard }))
      .toBe(`miss: the tense guard refused the closest entry: only in this question ["was"], only in the cached one ["is"] (closest similarity 0.9970) (${label})`);
    const model = { id: 'semantic.hit', vars: { score: '0.9800', threshold: '0.9000', embedder: "Embeddings model 'e5' (through Sluice, vectors cached)", matcher: 'embeddings', model: 'e5' } };
    expect(traceText(zh, { message: '-', say: model })).toBe('命中：相似度 0.9800 ≥ 0.9000（向量模型“e5”：经 Sluice 调用，向量已缓存）');
    expect(traceText(en, { message: '-', say: model })).toBe("hit: similarity 0.9800 ≥ 0.9000 (Embeddings model 'e5' (through Sluice, vectors cached))");
    // a step logged before the engine sent the matcher's id: known by its English label
    expect(traceText(zh, { message: '-', say: { id: 'semantic.miss.none', vars: { closest: null, embedder: label } } }))
      .toBe('未命中：此上下文中没有缓存相似的问题（本地近似重复匹配器：字符 n-gram，中英文，不用模型）');
    expect(traceText(zh, { message: '-', say: { id: 'semantic.hit', vars: { score: '1.0000', threshold: '0.9500', embedder: "Embeddings model 'x' (through Sluice, vectors cached)" } } }))
      .toContain('（向量模型“x”：');
  });
});
