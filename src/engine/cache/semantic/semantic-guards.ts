// Guards that refuse a semantic hit even above the threshold: two questions that differ in negation,
// numbers, quoted strings or named entities ask different things however close their wording is.
// "How do I enable X" / "How do I not enable X" are 0.9 similar and opposite.
import type { GuardRefusal, SemanticGuardName } from '../../../shared/semantic.ts';
import { foldText, normalizeText, wordSet } from './text-normalizer.ts';

export interface TextSignals {
  /** Negation markers, normalised ('not' for every English form; Chinese markers as written). */
  negations: string[];
  /** Numeric values in canonical form ('3', '0.5', '1200'), Chinese numerals converted. */
  numbers: string[];
  /** Quoted strings, verbatim (trimmed). */
  quoted: string[];
  /** Capitalised words, acronyms, code identifiers, URLs, e-mail addresses, Latin words inside Chinese text. */
  entities: string[];
}

const EN_NEGATION = /\b(not|never|no|without|none|nobody|nothing|neither|nor|nowhere|cannot)\b/g;
// Chinese words that contain a negation character but do not negate.
const ZH_NOT_NEGATION = ['非常', '未来', '无论', '除非', '是非', '不错', '并且'];
const ZH_NEGATION = /没有|不|没|别|无|非|未/g;

const EN_NUMBER_WORDS: Record<string, number> = {
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18,
  nineteen: 19, twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90,
  hundred: 100, thousand: 1000, million: 1e6, billion: 1e9, first: 1, second: 2, third: 3, fourth: 4, fifth: 5,
  half: 0.5, twice: 2, double: 2, triple: 3, dozen: 12,
};
const ZH_DIGITS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const ZH_UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000, 万: 1e4, 亿: 1e8 };
// Words where 一/万 is not a count ("一下" = briefly, "一样" = same, "万一" = in case).
const ZH_NOT_NUMBER = ['一下', '一些', '一样', '一起', '一般', '一直', '一定', '一点', '一切', '唯一', '统一', '万一', '一旦', '一边', '一致', '进一步', '一则', '一向', '千万', '一会', '十分', '万分'];

const QUOTED = /"([^"\n]{1,200})"|“([^”\n]{1,200})”|「([^」\n]{1,200})」|『([^』\n]{1,200})』|`([^`\n]{1,200})`|(?<![\p{L}\p{N}])'([^'\n]{1,200})'(?![\p{L}\p{N}])|‘([^’\n]{1,200})’/gu;
const URL = /\b(?:https?:\/\/|www\.)[^\s"'<>，。]+/gi;
const EMAIL = /\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/g;
const CODE_IDENT = /(?<![\p{L}\p{N}_])(?:[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+(?:\(\))?|[A-Za-z_$][\w$]*\(\)|[a-z]+(?:[A-Z][a-z0-9]*)+|[A-Za-z]+_[\w]+|--?[a-z][\w-]+|[\w-]*\/[\w./-]+|\.\w{1,6}\b)/gu;
const CAPITALISED = /(?<![\p{L}\p{N}'])[A-Z][\w+#.-]*[\w+#]|(?<![\p{L}\p{N}'])[A-Z](?![\p{L}\p{N}])/gu;

function maskRanges(text: string, words: string[]): string {
  let s = text;
  for (const w of words) s = s.split(w).join(' '.repeat(w.length));
  return s;
}

function chineseToNumber(s: string): number {
  let total = 0, section = 0, digit = 0;
  for (const ch of s) {
    if (ch in ZH_DIGITS) digit = ZH_DIGITS[ch];
    else {
      const unit = ZH_UNITS[ch];
      if (unit >= 1e4) { total += (section + digit) * unit; section = 0; }
      else section += (digit || 1) * unit;
      digit = 0;
    }
  }
  return total + section + digit;
}

function canonicalNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toFixed(6)));
}

export function extractSignals(text: string): TextSignals {
  const folded = foldText(text);
  const negations: string[] = [];
  for (const _ of folded.matchAll(EN_NEGATION)) negations.push('not');
  for (const m of maskRanges(folded, ZH_NOT_NEGATION).matchAll(ZH_NEGATION)) negations.push(m[0] === '没有' ? '没' : m[0]);

  const quoted: string[] = [];
  const nfkc = text.normalize('NFKC');
  for (const m of nfkc.matchAll(QUOTED)) {
    const q = m.slice(1).find((g) => g !== undefined)!.trim();
    if (q) quoted.push(q);
  }

  const numbers: string[] = [];
  const unquoted = nfkc.replace(QUOTED, ' ');
  for (const m of unquoted.replace(URL, ' ').matchAll(/\d[\d,]*(?:\.\d+)?%?/g)) {
    const pct = m[0].endsWith('%');
    const v = Number(m[0].replace(/[,%]/g, ''));
    if (Number.isFinite(v)) numbers.push(canonicalNumber(v) + (pct ? '%' : ''));
  }
  for (const m of unquoted.toLowerCase().matchAll(/\b[a-z]+\b/g)) {
    if (m[0] in EN_NUMBER_WORDS) numbers.push(canonicalNumber(EN_NUMBER_WORDS[m[0]]));
  }
  for (const m of maskRanges(unquoted, ZH_NOT_NUMBER).matchAll(/[零〇一二两三四五六七八九十百千万亿]+/g)) {
    numbers.push(canonicalNumber(chineseToNumber(m[0])));
  }

  const entities = new Set<string>();
  let rest = unquoted;
  for (const re of [URL, EMAIL, CODE_IDENT]) {
    for (const m of rest.matchAll(re)) entities.add(m[0].toLowerCase().replace(/[.,;:!?]+$/, ''));
    rest = rest.replace(re, ' ');
  }
  // Capitalised words, except the first word of a sentence and "I".
  const sentenceStart = /(?:^|[.!?。！？]\s*|\n\s*)$/;
  for (const m of rest.matchAll(CAPITALISED)) {
    const before = rest.slice(0, m.index);
    const isAcronym = /^[A-Z0-9+#.-]{2,}$/.test(m[0]) || /[A-Z].*[A-Z]/.test(m[0].slice(1));
    if (m[0] === 'I' || (!isAcronym && sentenceStart.test(before))) continue;
    entities.add(m[0].toLowerCase());
  }
  // Latin words inside Chinese text are usually names (Python, iPhone, GPT).
  if (/\p{Script=Han}/u.test(rest)) {
    for (const m of rest.matchAll(/[A-Za-z][\w+#.-]*/g)) entities.add(m[0].toLowerCase());
  }
  return { negations, numbers, quoted, entities: [...entities] };
}

function multisetDiff(a: string[], b: string[]): [string[], string[]] {
  const counts = new Map<string, number>();
  for (const x of a) counts.set(x, (counts.get(x) ?? 0) + 1);
  const onlyB: string[] = [];
  for (const x of b) {
    const c = counts.get(x) ?? 0;
    if (c > 0) counts.set(x, c - 1);
    else onlyB.push(x);
  }
  const onlyA: string[] = [];
  for (const [x, c] of counts) for (let i = 0; i < c; i++) onlyA.push(x);
  return [onlyA.sort(), onlyB.sort()];
}

/** An entity of one text is matched when the other text mentions it too, in any case ("Python" ~ "python"). */
function missingEntities(entities: string[], otherText: string, otherEntities: string[]): string[] {
  const words = wordSet(otherText);
  const norm = normalizeText(otherText);
  const other = new Set(otherEntities);
  return entities.filter((e) => {
    if (other.has(e) || words.has(e)) return false;
    const n = normalizeText(e);
    if (n === '') return false;
    if (/\p{Script=Han}/u.test(otherText) ? norm.includes(n) : ` ${norm} `.includes(` ${n} `)) return false;
    return true;
  }).sort();
}

/**
 * The first guard the two texts trip, or null when none does.
 * `query` is the incoming text; `cached` the text of the candidate entry.
 */
export function checkGuards(query: string, cached: string, q = extractSignals(query), c = extractSignals(cached)): GuardRefusal | null {
  const refuse = (guard: SemanticGuardName, onlyInQuery: string[], onlyInCached: string[]): GuardRefusal | null =>
    onlyInQuery.length || onlyInCached.length ? { guard, onlyInQuery, onlyInCached } : null;
  return (
    refuse('negation', ...multisetDiff(q.negations, c.negations)) ??
    refuse('number', ...multisetDiff(q.numbers, c.numbers)) ??
    refuse('quoted', ...multisetDiff(q.quoted, c.quoted)) ??
    refuse('entity', missingEntities(q.entities, cached, c.entities), missingEntities(c.entities, query, q.entities))
  );
}
