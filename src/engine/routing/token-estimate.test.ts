import fc from 'fast-check';
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
    expect(estimateTextTokens('a'.repeat(400) + 'é' + '你好' + 'a'.repeat(3))).toBe(2 + Math.ceil(404 / 4));
  });

  it('counts every character the same way, whatever text comes before the first wide one', () => {
    const wide = (c: number) => (c >= 0x3040 && c <= 0x30ff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x4e00 && c <= 0x9fff)
      || (c >= 0xac00 && c <= 0xd7af) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xff00 && c <= 0xffef);
    const reference = (t: string) => {
      let w = 0;
      for (let i = 0; i < t.length; i++) if (wide(t.charCodeAt(i))) w++;
      return w + Math.ceil((t.length - w) / 4);
    };
    const text = fc.array(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('你好', 'カタ', '한국', 'ｆｕｌｌ', '\u303f', '\u3040')), { maxLength: 20 }).map((p) => p.join(''));
    fc.assert(fc.property(text, (t) => { expect(estimateTextTokens(t)).toBe(reference(t)); }), { numRuns: 1000 });
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
