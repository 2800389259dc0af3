// Token log probabilities for the simulator's answers, shaped as OpenAI's `logprobs.content` entries and
// drawn from a seed, so the same request always gets the same ones, plainly and streamed. There is no
// model: the chosen token is always the most likely, with a probability of at least one half, and the
// alternatives share the rest, so the probabilities at a position never add up to more than 1.

export interface TopLogprob { token: string; logprob: number; bytes: number[] }
export interface TokenLogprob extends TopLogprob { top_logprobs: TopLogprob[] }

/** Tokens an alternative is drawn from: common English and Chinese ones. */
const ALTERNATIVES = [
  ' the', ' a', ' and', ',', '.', ' to', ' is', ' of', ' it', ' in', ' that', ' this', ' for', ' you',
  ' can', ' with', ' as', ' on', ' be', ' are', '\n', '的', '是', '了', '在',
];

/**
 * The text cut as a BPE tokenizer roughly would: a word with the spaces before it, any other character
 * (punctuation, a CJK character) on its own with the spaces before it, and trailing spaces. Joined, the
 * tokens are the text.
 */
export function tokensOf(text: string): string[] {
  return text.match(/\s*[A-Za-z0-9_\u00C0-\u024F]+|\s*\S|\s+/gu) ?? [];
}

const bytesOf = (token: string): number[] => [...Buffer.from(token, 'utf8')];
const rounded = (logprob: number): number => Number(logprob.toPrecision(8));

/** Each token's entry, with `top` alternatives (the token itself first), drawing on `random` in order. */
export function logprobsOf(tokens: readonly string[], top: number, random: () => number): TokenLogprob[] {
  return tokens.map((token) => {
    // mostly sure of the chosen token, sometimes less so; never certain, so the alternatives have a share
    const doubt = Math.max(1e-6, 0.5 * random() ** 3);
    const logprob = rounded(Math.log(1 - doubt));
    const alternatives: TopLogprob[] = [];
    let at = Math.floor(random() * ALTERNATIVES.length);
    for (let k = 1; alternatives.length < top - 1; at++) {
      const alt = ALTERNATIVES[at % ALTERNATIVES.length];
      if (alt === token) continue;
      // 60 %, 24 %, 9.6 % … of what the chosen token leaves: each less likely than the one before
      alternatives.push({ token: alt, logprob: rounded(Math.log(doubt * 0.6 * 0.4 ** (k - 1))), bytes: bytesOf(alt) });
      k++;
    }
    const chosen = { token, logprob, bytes: bytesOf(token) };
    return { ...chosen, top_logprobs: top > 0 ? [chosen, ...alternatives] : [] };
  });
}
