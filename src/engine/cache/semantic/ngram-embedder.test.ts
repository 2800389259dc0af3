import { describe, it, expect } from 'vitest';
import { cosine } from './embedder.ts';
import { NgramEmbedder, stem } from './ngram-embedder.ts';

const e = new NgramEmbedder();
const sim = (a: string, b: string) => cosine(e.embedOne(a), e.embedOne(b));

describe('NgramEmbedder', () => {
  it('scores rewordings of the same English question at or above 0.95', () => {
    expect(sim('What is machine learning?', "what's machine learning")).toBeGreaterThanOrEqual(0.99);
    expect(sim('What is quantum computing?', 'Can you tell me what quantum computing is?')).toBeGreaterThanOrEqual(0.95);
    expect(sim('What are the benefits of unit testing?', 'What are the benefits of unit tests?')).toBeGreaterThanOrEqual(0.95);
  });

  it('scores rewordings of the same Chinese question at or above 0.95', () => {
    expect(sim('什么是机器学习？', '机器学习是什么')).toBeGreaterThanOrEqual(0.95);
    expect(sim('如何减肥？', '怎么减肥')).toBeGreaterThanOrEqual(0.95);
    expect(sim('请问北京的天气怎么样？', '北京的天气怎么样')).toBeGreaterThanOrEqual(0.95);
  });

  it('keeps different questions on the same topic well below 0.95', () => {
    expect(sim('How do I delete a branch in Git?', 'How do I rename a branch in Git?')).toBeLessThan(0.9);
    expect(sim('怎么删除Git分支？', '怎么重命名Git分支？')).toBeLessThan(0.9);
    expect(sim('How do I convert a string to an integer?', 'How do I convert an integer to a string?')).toBeLessThan(0.95);
  });

  it('is deterministic, unit length and sparse', () => {
    const a = e.embedOne('Explain recursion to a beginner.');
    const b = e.embedOne('Explain recursion to a beginner.');
    expect([...a.indices]).toEqual([...b.indices]);
    expect(cosine(a, b)).toBeCloseTo(1, 5);
    expect(a.indices.length).toBeLessThan(100);
    expect(a.dims).toBe(65536);
  });

  it('returns an empty vector for text with no words', () => {
    expect(e.embedOne('?!').indices.length).toBe(0);
  });

  it('validates its dimensions', () => {
    expect(() => new NgramEmbedder({ dimensions: 1000 })).toThrow(/power of two/);
    expect(new NgramEmbedder({ dimensions: 1024 }).id).toBe('local-ngram-v1-1024');
  });

  it('stems plurals and verb endings', () => {
    expect(stem('tests')).toBe('test');
    expect(stem('testing')).toBe('test');
    expect(stem('libraries')).toBe('library');
    expect(stem('class')).toBe('class');
  });
});
