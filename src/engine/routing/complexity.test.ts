import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../shared/openai.ts';
import { classifyComplexity } from './complexity.ts';

const user = (content: string): ChatMessage => ({ role: 'user', content });

describe('classifyComplexity', () => {
  it('calls greetings and short factual questions simple', () => {
    expect(classifyComplexity([user('hi!')]).class).toBe('simple');
    expect(classifyComplexity([user('What is the capital of France?')]).class).toBe('simple');
    expect(classifyComplexity([user('你好')]).class).toBe('simple');
  });

  it('raises code or reasoning to medium', () => {
    const r = classifyComplexity([user('Fix this: ```js\nconst x = 1\n```')]);
    expect(r.class).toBe('medium');
    expect(r.signals).toContain('code');
    expect(classifyComplexity([user('Explain why the sky is blue')]).class).toBe('medium');
  });

  it('calls code plus reasoning complex', () => {
    const r = classifyComplexity([user('Explain step by step why this function leaks memory:\n```\nfunction f() { cache.push(new Array(1e6)) }\n```')]);
    expect(r.class).toBe('complex');
  });

  it('calls a long, rigorous maths proof very complex', () => {
    const text = 'Prove rigorously that the integral of \\frac{1}{x} diverges, and analyze the edge cases. ' + 'Consider the matrix eigenvalues as well. '.repeat(60);
    const r = classifyComplexity([user(text)]);
    expect(r.class).toBe('very-complex');
    expect(r.signals).toEqual(expect.arrayContaining(['math', 'reasoning', 'demanding']));
  });

  it('understands Chinese cues', () => {
    const r = classifyComplexity([user('请严格证明这个积分收敛，并逐步分析为什么')]);
    expect(r.signals).toEqual(expect.arrayContaining(['math', 'reasoning', 'demanding']));
    expect(['complex', 'very-complex']).toContain(r.class);
  });

  it('counts conversation depth', () => {
    const turns: ChatMessage[] = [];
    for (let i = 0; i < 9; i++) turns.push(user('and then?'), { role: 'assistant', content: 'ok' });
    const deep = classifyComplexity(turns);
    expect(deep.signals).toContain('deep conversation');
    expect(deep.score).toBeGreaterThan(classifyComplexity([user('and then?')]).score);
  });

  it('honours custom thresholds and survives empty input', () => {
    expect(classifyComplexity([user('Explain why')], { thresholds: [1, 2, 3] }).class).toBe('complex');
    expect(classifyComplexity(undefined).class).toBe('simple');
  });
});
