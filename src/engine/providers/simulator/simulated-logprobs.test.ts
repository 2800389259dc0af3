import { describe, expect, it } from 'vitest';
import { logprobsOf, tokensOf } from './simulated-logprobs.ts';
import { seededRandom } from './simulated-text.ts';

describe('tokensOf', () => {
  it('cuts text into word, punctuation and CJK tokens that join back into it', () => {
    expect(tokensOf('Sure, here is  a test. ')).toEqual(['Sure', ',', ' here', ' is', '  a', ' test', '.', ' ']);
    expect(tokensOf('好的，缓存')).toEqual(['好', '的', '，', '缓', '存']);
    for (const text of ['{"answer":"x y"}', 'café 😀 ok\n', '']) expect(tokensOf(text).join('')).toBe(text);
  });
});

describe('logprobsOf', () => {
  it('gives each token its logprob, UTF-8 bytes and top alternatives, the token first, less likely ones after, adding up to at most 1', () => {
    const out = logprobsOf(['Sure', ' the', '好'], 5, seededRandom(3));
    expect(out.map((e) => e.token)).toEqual(['Sure', ' the', '好']);
    expect(out[2].bytes).toEqual([0xe5, 0xa5, 0xbd]);
    for (const e of out) {
      expect(e.logprob).toBeLessThan(0);
      expect(e.logprob).toBeGreaterThanOrEqual(Math.log(0.5));
      expect(e.top_logprobs).toHaveLength(5);
      expect(e.top_logprobs[0]).toEqual({ token: e.token, logprob: e.logprob, bytes: e.bytes });
      expect(new Set(e.top_logprobs.map((t) => t.token)).size).toBe(5);
      const lps = e.top_logprobs.map((t) => t.logprob);
      expect([...lps].sort((a, b) => b - a)).toEqual(lps);
      expect(lps.reduce((sum, lp) => sum + Math.exp(lp), 0)).toBeLessThanOrEqual(1);
      for (const t of e.top_logprobs) expect(t.bytes).toEqual([...Buffer.from(t.token)]);
    }
    expect(logprobsOf(['Sure'], 0, seededRandom(3))[0].top_logprobs).toEqual([]);
    expect(logprobsOf(['a'], 20, seededRandom(9))[0].top_logprobs).toHaveLength(20);
    expect(logprobsOf(['Sure', ' the'], 2, seededRandom(3))).toEqual(logprobsOf(['Sure', ' the'], 2, seededRandom(3)));
  });
});
