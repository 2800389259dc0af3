// Splits text to speak into sentences, so each can be synthesized (and cached) on its own.
// Chinese stops (。！？；…) end a sentence at once; Western stops (. ! ?) only before a space, a line
// end or the end of text, and not after a known abbreviation (Dr., e.g., U.S.) — so "3.14" and
// "example.com" stay whole. Closing quotes and brackets after a stop stay with their sentence.
// A line break always ends a sentence. The pieces, joined, give back the text minus whitespace.

export interface SentenceSplitOptions {
  /** A sentence longer than this is cut at a comma or space before it (default 300 characters). */
  maxChars?: number;
}

const CJK_STOPS = new Set(['。', '！', '？', '；', '…', '!', '?']);
const WESTERN_STOPS = new Set(['.', '!', '?']);
const CLOSERS = new Set(['"', "'", '”', '’', '」', '』', '）', ')', ']', '】', '》', '〉', '»']);
/** Lower-case, without the final dot. Dotted acronyms (U.S., e.g.) are recognised by shape. */
const ABBREVIATIONS = new Set([
  'mr', 'mrs', 'ms', 'dr', 'prof', 'sr', 'jr', 'st', 'mt', 'vs', 'etc', 'inc', 'ltd', 'co', 'corp',
  'no', 'vol', 'fig', 'approx', 'dept', 'est', 'gen', 'gov', 'lt', 'col', 'sgt', 'capt', 'rev', 'hon',
  'jan', 'feb', 'mar', 'apr', 'jun', 'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec', 'cf', 'al',
]);
const CJK_CHAR = /[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uff00-\uffef]/u;

function isSpace(ch: string | undefined): boolean {
  return ch !== undefined && /\s/u.test(ch);
}

/** The word (letters and dots) that ends just before index `dot`. */
function wordBefore(text: string, dot: number): string {
  let i = dot;
  while (i > 0 && /[\p{L}.]/u.test(text[i - 1])) i--;
  return text.slice(i, dot);
}

function isAbbreviation(text: string, dot: number): boolean {
  const word = wordBefore(text, dot);
  if (word === '') return false;
  if (ABBREVIATIONS.has(word.toLowerCase())) return true;
  // Dotted forms: e.g. i.e. U.S. a.m. p.m. Ph.D.
  if (/^(\p{L}{1,2}\.)+\p{L}{1,2}$/u.test(word)) return true;
  // A single capital initial: "J. R. R. Tolkien".
  return /^\p{Lu}$/u.test(word);
}

/** Index just past a stop run and the quotes/brackets closing it. */
function extendStop(text: string, i: number): number {
  let j = i + 1;
  while (j < text.length && (CJK_STOPS.has(text[j]) || WESTERN_STOPS.has(text[j]) || text[j] === '…')) j++;
  while (j < text.length && CLOSERS.has(text[j])) j++;
  return j;
}

function breakAt(text: string, i: number): number | null {
  const ch = text[i];
  if (ch === '\n' || ch === '\r') return i + 1;
  const cjkContext = CJK_CHAR.test(text[i - 1] ?? '') || CJK_CHAR.test(ch);
  if (ch === '。' || ch === '！' || ch === '？' || ch === '；' || (ch === '…' && cjkContext && text[i + 1] === '…')) {
    return extendStop(text, i);
  }
  if ((ch === '!' || ch === '?') && cjkContext) return extendStop(text, i);
  if (!WESTERN_STOPS.has(ch) && ch !== '…') return null;
  const end = extendStop(text, i);
  const next = text[end];
  if (end < text.length && !isSpace(next) && !CJK_CHAR.test(next)) return null; // 3.14, example.com, "?!x"
  if (end >= text.length) return end;
  const ellipsis = ch === '…' || (ch === '.' && text.slice(i, i + 3) === '...');
  let k = end;
  while (isSpace(text[k]) && text[k] !== '\n') k++;
  const following = text[k] ?? '';
  if (ellipsis) return /[\p{Lu}\p{N}"“'‘(\[]/u.test(following) || CJK_CHAR.test(following) ? end : null; // "well... maybe" stays whole
  if (ch === '.' && end === i + 1 && isAbbreviation(text, i)) return null;
  return end;
}

function cutLong(sentence: string, maxChars: number): string[] {
  const out: string[] = [];
  let rest = sentence;
  while (rest.length > maxChars) {
    const window = rest.slice(0, maxChars);
    let cut = Math.max(window.lastIndexOf('，'), window.lastIndexOf('、'), window.lastIndexOf(','), window.lastIndexOf('：'), window.lastIndexOf(':'));
    if (cut < maxChars / 3) cut = window.lastIndexOf(' ');
    if (cut < maxChars / 3) cut = maxChars - 1;
    out.push(rest.slice(0, cut + 1).trim());
    rest = rest.slice(cut + 1).trim();
  }
  if (rest) out.push(rest);
  return out.filter(Boolean);
}

/** Sentences of `text`, in order, trimmed, none empty. */
export function splitSentences(text: string, opts: SentenceSplitOptions = {}): string[] {
  const maxChars = opts.maxChars ?? 300;
  if (!Number.isInteger(maxChars) || maxChars < 10) throw new RangeError(`maxChars must be an integer of at least 10, got ${maxChars}`);
  const pieces: string[] = [];
  let start = 0;
  let i = 0;
  while (i < text.length) {
    const end = breakAt(text, i);
    if (end === null) {
      // Not an end: step over the whole run of stops ("...", "?!") so its tail is not taken for one.
      i++;
      while (i < text.length && (WESTERN_STOPS.has(text[i]) || CJK_STOPS.has(text[i])) && (WESTERN_STOPS.has(text[i - 1]) || text[i - 1] === '…')) i++;
      continue;
    }
    pieces.push(text.slice(start, end));
    start = end;
    i = end;
  }
  pieces.push(text.slice(start));
  const sentences: string[] = [];
  for (const raw of pieces) {
    const s = raw.trim();
    if (!s) continue;
    // A piece with nothing to say (a stray quote or stop) belongs to the sentence before it.
    if (!/[\p{L}\p{N}]/u.test(s) && sentences.length > 0) { sentences[sentences.length - 1] += s; continue; }
    sentences.push(...cutLong(s, maxChars));
  }
  return sentences;
}
