import { describe, expect, it } from 'vitest';
import { estimateInputTokens, estimatePromptTokens, estimateTextTokens } from './token-estimate.ts';

describe('token estimates', () => {
  it('counts about four Latin characters per token', () => {
    expect(estimateTextTokens('a'.repeat(400))).toBe(100);
    expect(estimateTextTokens('')).toBe(0);
  });

  it('counts one token per CJK character', () => {
    expect(estimateTextTokens('你好世界')).toBe(4);
    expect(estimateTextTokens('你好 world')).toBe(2 + 2);
  });

  it('adds per-message overhead, text parts, images and tools', () => {
    const plain = estimatePromptTokens([{ role: 'user', content: 'x'.repeat(40) }]);
    expect(plain).toBe(3 + 4 + 10);
    const withImage = estimatePromptTokens([{ role: 'user', content: [{ type: 'text', text: 'x'.repeat(40) }, { type: 'image_url', image_url: { url: 'https://x/y.png' } }] }]);
    expect(withImage).toBeGreaterThan(plain + 80);
    const withTools = estimatePromptTokens([{ role: 'user', content: 'x'.repeat(40) }], [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object' } } }]);
    expect(withTools).toBeGreaterThan(plain);
  });

  it('grows with the conversation', () => {
    const short = estimatePromptTokens([{ role: 'user', content: 'hello there' }]);
    const long = estimatePromptTokens(Array.from({ length: 10 }, () => ({ role: 'user' as const, content: 'hello there' })));
    expect(long).toBeGreaterThan(short * 5);
    expect(estimatePromptTokens(undefined)).toBe(0);
  });

  it('estimates embeddings inputs given as strings or token arrays', () => {
    expect(estimateInputTokens('abcdefgh')).toBe(2);
    expect(estimateInputTokens(['abcd', 'abcd'])).toBe(2);
    expect(estimateInputTokens([[1, 2, 3], [4]])).toBe(4);
  });
});
