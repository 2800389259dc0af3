import { describe, expect, it } from 'vitest';
import { cutToTokens, roughTokens, simulatedAnswer } from './simulated-text.ts';

describe('cutToTokens', () => {
  it('keeps a text within the limit whole, and cuts a longer one at a space within the limit', () => {
    const answer = simulatedAnswer(42);
    expect(cutToTokens(answer, 1000)).toEqual({ text: answer, cut: false });
    const { text, cut } = cutToTokens(answer, 5);
    expect(cut).toBe(true);
    expect(roughTokens(text)).toBeLessThanOrEqual(5);
    expect(answer.startsWith(text)).toBe(true);
    expect(answer[text.length]).toBe(' ');
  });

  it('cuts text without spaces (Chinese, JSON) by character, keeping at least one', () => {
    expect(cutToTokens('好的，这是模拟器给出的回答。', 3)).toEqual({ text: '好的，', cut: true });
    expect(cutToTokens('{"answer":"x"}', 1).text).toBe('{"an');
    expect(cutToTokens('好的', 0).text).toBe('好');
  });
});
