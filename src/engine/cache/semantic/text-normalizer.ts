// Text normalisation shared by the n-gram embedder and the guards: Unicode NFKC (full-width → ASCII),
// lower case, English contractions expanded, punctuation dropped, whitespace collapsed.
// Also splits text into script runs so English words and Chinese characters are featurised differently.

const CONTRACTIONS: ReadonlyArray<[RegExp, string]> = [
  [/\bcan't\b/g, 'can not'],
  [/\bcannot\b/g, 'can not'],
  [/\bwon't\b/g, 'will not'],
  [/\bshan't\b/g, 'shall not'],
  [/\bain't\b/g, 'is not'],
  [/n't\b/g, ' not'],
  [/\b(it|that|what|where|who|how|there|here|he|she|why|when)'s\b/g, '$1 is'],
  [/'re\b/g, ' are'],
  [/'m\b/g, ' am'],
  [/'ll\b/g, ' will'],
  [/'ve\b/g, ' have'],
  [/'d\b/g, ' would'],
];

/** True for a CJK unified ideograph (the Han script). */
export function isHan(ch: string): boolean {
  const c = ch.codePointAt(0) ?? 0;
  return (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x20000 && c <= 0x2a6df) || (c >= 0xf900 && c <= 0xfaff);
}

/** NFKC, lower case, curly apostrophes straightened, contractions expanded. Punctuation is kept. */
export function foldText(text: string): string {
  let s = text.normalize('NFKC').toLowerCase().replace(/[\u2018\u2019\u02bc`´]/g, "'");
  for (const [re, to] of CONTRACTIONS) s = s.replace(re, to);
  return s;
}

/** Folded text with punctuation replaced by spaces and whitespace collapsed. */
export function normalizeText(text: string): string {
  return foldText(text)
    .replace(/[^\p{L}\p{N}\s.+#_]/gu, ' ')
    .replace(/(?<![\p{L}\p{N}+#])[.+#_]+|[._]+(?![\p{L}\p{N}])/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export type TextRun = { kind: 'word'; text: string } | { kind: 'han'; text: string };

/**
 * Splits normalised text into Latin/digit words and runs of Han characters:
 * "python是什么 语言" → word "python", han "是什么", han "语言".
 */
export function textRuns(normalized: string): TextRun[] {
  const runs: TextRun[] = [];
  const re = /(\p{Script=Han}+)|([^\s\p{Script=Han}]+)/gu;
  for (const m of normalized.matchAll(re)) {
    if (m[1]) runs.push({ kind: 'han', text: m[1] });
    else runs.push({ kind: 'word', text: m[2] });
  }
  return runs;
}

/** The word tokens of a text, normalised (Han runs are kept whole). Used to check an entity appears in the other text. */
export function wordSet(text: string): Set<string> {
  return new Set(textRuns(normalizeText(text)).map((r) => r.text));
}
