// Deterministic, plausible text for the simulator: the same request always gets the same answer.
import { createHash } from 'node:crypto';

const SENTENCES = [
  'Sure, here is a short answer.',
  'This reply comes from the Sluice simulator, so no real model was called.',
  'Caching makes the second identical request return at once.',
  'A local gateway can merge identical requests that are in flight at the same time.',
  'Routing rules decide which provider and model really serve a request.',
  'Latency, errors and hit rates show up live in the control panel.',
  'Embeddings requests that arrive together can be sent upstream as one batch.',
  'Speech audio is cached too, sentence by sentence.',
  'Let me know if you want more detail.',
  'In short, repeated prompts cost nothing the second time.',
  '好的，这是模拟器给出的回答。',
  '相同的请求第二次会直接从缓存返回。',
];

/** A small seeded PRNG (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function seedOf(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32LE(0);
}

/** Two to five of the sentences above, picked by the seed. */
export function simulatedAnswer(seed: number): string {
  const rnd = seededRandom(seed);
  const count = 2 + Math.floor(rnd() * 4);
  const pool = [...SENTENCES];
  const parts: string[] = [];
  for (let i = 0; i < count; i++) parts.push(pool.splice(Math.floor(rnd() * pool.length), 1)[0]);
  return parts.join(' ');
}

/** Rough token count without a tokenizer: ~4 characters a token for Latin text, one per CJK character. */
export function roughTokens(text: string): number {
  let cjk = 0;
  for (const ch of text) if (/[\u3400-\u9fff\uf900-\ufaff]/.test(ch)) cjk++;
  return Math.max(1, Math.ceil((text.length - cjk) / 4) + cjk);
}

/**
 * The text cut to at most `maxTokens` (by roughTokens), at a space when there is one, as a model stops
 * at max_tokens; `cut` says whether anything was left out. At least one character is kept.
 */
export function cutToTokens(text: string, maxTokens: number): { text: string; cut: boolean } {
  if (roughTokens(text) <= maxTokens) return { text, cut: false };
  const cps = Array.from(text);
  let lo = 1;
  let hi = cps.length - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (roughTokens(cps.slice(0, mid).join('')) <= maxTokens) lo = mid;
    else hi = mid - 1;
  }
  const kept = cps.slice(0, lo).join('');
  if (cps[lo] === ' ') return { text: kept.trimEnd(), cut: true };
  const space = kept.lastIndexOf(' ');
  return { text: space > 0 ? kept.slice(0, space).trimEnd() : kept, cut: true };
}

/** Split into stream pieces of one or two words, keeping the spaces so pieces join back exactly. */
export function streamPieces(text: string): string[] {
  const tokens = text.match(/\S+\s*/g) ?? [text];
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i += 2) out.push(tokens.slice(i, i + 2).join(''));
  return out;
}

/** A unit vector derived from the text (hashed character trigrams), so similar texts get similar vectors. */
export function simulatedEmbedding(text: string, dims: number): number[] {
  const v = new Float64Array(dims);
  const s = ` ${text.toLowerCase()} `;
  for (let i = 0; i + 3 <= s.length; i++) {
    const h = seedOf(s.slice(i, i + 3));
    v[h % dims] += (h & 0x80000000) ? 1 : -1;
  }
  let norm = 0;
  for (const x of v) norm += x * x;
  norm = Math.sqrt(norm) || 1;
  return Array.from(v, (x) => Math.round((x / norm) * 1e6) / 1e6);
}
