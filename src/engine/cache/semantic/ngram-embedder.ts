// The local near-duplicate matcher's embedder: no model, no network. Hashed feature vectors of
// English words (lightly stemmed), their character trigrams (robust to typos and plurals) and bigrams
// of consecutive content words (word order), and of Chinese characters and character bigrams within
// content segments. Function words ("please", "exactly", "请问", "如何/怎么") weigh little and do not
// join bigrams, so "什么是X" and "X是什么" or "Can you tell me what X is" and "What is X" land close.
// It finds rewordings of the same request, not synonyms: the panel labels it "near-duplicate matcher".
import type { Embedder, SparseVector } from './embedder.ts';
import { normalizeText, textRuns } from './text-normalizer.ts';

export interface NgramEmbedderOptions {
  /** Hash space, a power of two between 2^8 and 2^20; default 2^16 (collisions are rare, vectors stay sparse). */
  dimensions?: number;
}

const EN_FUNCTION = new Set([
  'a', 'an', 'the', 'is', 'are', 'am', 'was', 'were', 'be', 'been', 'do', 'does', 'did', 'to', 'of', 'in', 'on',
  'at', 'by', 'with', 'into', 'from', 'for', 'about', 'me', 'my', 'i', 'you', 'your', 'we', 'can', 'could', 'would',
  'should', 'please', 'tell', 'know', 'want', 'some', 'any', 'just', 'so', 'hey', 'hi', 'hello', 'quick', 'question',
  'briefly', 'kindly', 'and', 'it', 'this', 'that', 'us', 'what', 'which', 'exactly', 'actually', 'really',
  'basically', 'all', 'explain', 'describe', 'give', 'up', 'there', 'here', 'one', 'thing',
]);

// Chinese function words, longest first for greedy matching; synonyms share a canonical form.
const ZH_FUNCTION: ReadonlyMap<string, string> = new Map([
  ['怎么样', '怎么'], ['请问', '请'], ['如何', '怎么'], ['怎么', '怎么'], ['怎样', '怎么'], ['什么', '什么'],
  ['一下', '一下'], ['可以', '能'], ['意思', '意思'], ['一些', '一些'], ['帮我', '帮'], ['给我', '给'],
  ['的', '的'], ['了', '了'], ['吗', '吗'], ['呢', '呢'], ['吧', '吧'], ['啊', '啊'], ['呀', '呀'], ['嘛', '嘛'],
  ['请', '请'], ['是', '是'], ['能', '能'], ['帮', '帮'], ['我', '我'], ['你', '你'], ['您', '你'], ['和', '和'],
  ['与', '和'], ['跟', '和'], ['才', '才'], ['呃', '呃'],
]);
const ZH_MAX_FUNCTION = 3;

const W_FUNCTION = 0.12;
const W_WORD = 1.0;
const W_TRIGRAM = 0.3;
const W_BIGRAM = 0.6;
const W_HAN_CHAR = 0.5;
const W_HAN_BIGRAM = 1.0;

/** FNV-1a, 32-bit. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A light English stemmer: plurals and the commonest verb endings, enough to align "tests"/"testing"/"test". */
export function stem(word: string): string {
  if (word.length <= 4 || !/^[a-z]+$/.test(word)) return word;
  if (word.endsWith('ies')) return word.slice(0, -3) + 'y';
  if (word.endsWith('ing') && word.length > 5) return word.slice(0, -3);
  if (word.endsWith('ed') && word.length > 5) return word.slice(0, -2);
  if (word.endsWith('es') && /(ss|x|ch|sh)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us') && !word.endsWith('is')) return word.slice(0, -1);
  return word;
}

/** Greedy longest-match split of a Han run into function words and content segments. */
function splitHan(run: string): Array<{ fn: string } | { content: string }> {
  const chars = [...run];
  const out: Array<{ fn: string } | { content: string }> = [];
  let content = '';
  for (let i = 0; i < chars.length;) {
    let matched = 0;
    for (let len = Math.min(ZH_MAX_FUNCTION, chars.length - i); len >= 1; len--) {
      const canon = ZH_FUNCTION.get(chars.slice(i, i + len).join(''));
      if (canon !== undefined) {
        if (content) { out.push({ content }); content = ''; }
        out.push({ fn: canon });
        matched = len;
        break;
      }
    }
    if (matched) i += matched;
    else content += chars[i++];
  }
  if (content) out.push({ content });
  return out;
}

export class NgramEmbedder implements Embedder {
  readonly id: string;
  readonly label = 'Local near-duplicate matcher (character n-grams, English and Chinese, no model)';
  readonly dimensions: number;
  #mask: number;

  constructor(opts: NgramEmbedderOptions = {}) {
    const dims = opts.dimensions ?? 1 << 16;
    if (!Number.isInteger(dims) || dims < 256 || dims > 1 << 20 || (dims & (dims - 1)) !== 0) {
      throw new RangeError(`NgramEmbedder: dimensions must be a power of two in [256, 1048576], got ${dims}.`);
    }
    this.dimensions = dims;
    this.#mask = dims - 1;
    this.id = `local-ngram-v1-${dims}`;
  }

  async embed(texts: readonly string[]): Promise<SparseVector[]> {
    return texts.map((t) => this.embedOne(t));
  }

  /** Synchronous: the local embedder never waits. */
  embedOne(text: string): SparseVector {
    const acc = new Map<number, number>();
    const add = (feature: string, w: number) => {
      const i = hash(feature) & this.#mask;
      acc.set(i, (acc.get(i) ?? 0) + w);
    };
    let prev: string | null = null;
    for (const run of textRuns(normalizeText(text))) {
      if (run.kind === 'word') {
        if (EN_FUNCTION.has(run.text)) { add(`f:${run.text}`, W_FUNCTION); continue; }
        const w = stem(run.text);
        add(`w:${w}`, W_WORD);
        const padded = `<${w}>`;
        for (let i = 0; i + 3 <= padded.length; i++) add(`t:${padded.slice(i, i + 3)}`, W_TRIGRAM);
        if (prev !== null) add(`b:${prev} ${w}`, W_BIGRAM);
        prev = w;
        continue;
      }
      prev = null;
      for (const part of splitHan(run.text)) {
        if ('fn' in part) { add(`f:${part.fn}`, W_FUNCTION); continue; }
        const chars = [...part.content];
        for (let i = 0; i < chars.length; i++) {
          add(`h:${chars[i]}`, W_HAN_CHAR);
          if (i + 1 < chars.length) add(`hh:${chars[i]}${chars[i + 1]}`, W_HAN_BIGRAM);
        }
      }
    }
    const indices = [...acc.keys()].sort((a, b) => a - b);
    let sq = 0;
    for (const i of indices) sq += acc.get(i)! ** 2;
    const norm = Math.sqrt(sq) || 1;
    const values = new Float32Array(indices.length);
    indices.forEach((i, k) => { values[k] = acc.get(i)! / norm; });
    return { dims: this.dimensions, indices: Uint32Array.from(indices), values };
  }
}
