// Guards that refuse a semantic hit even above the threshold: two questions that differ in negation,
// numbers, quoted strings, named entities or tense ask different things however close their wording is.
// "How do I enable X" / "How do I not enable X" are 0.9 similar and opposite; "Who was the CEO of
// Apple?" / "Who is the CEO of Apple?" are 0.997 similar (the n-gram matcher weighs is/was as function
// words) and have different answers.
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
  /** Words that set the time asked about ('was', 'will', '曾经', '明年'…), each with the time it sets. */
  tense: TenseMarker[];
}

export type TenseTime = 'past' | 'present' | 'future';
export interface TenseMarker { time: TenseTime; word: string }

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

// Tense. Only past and future mark a question: present is what a question says when it says nothing
// ("How do I…", "Reversing a list…"), so present words are only named when a refusal is explained.
// English: auxiliaries and a few time phrases; a verb's own past form ("invented") is not read, since
// "Who founded X?" and "Who is the founder of X?" ask the same thing.
const EN_TENSE: ReadonlyArray<[RegExp, TenseTime]> = [
  [/\b(?:was|were|did|had|yesterday|ago|formerly|in the past|last (?:night|week|weekend|month|year|decade|century))\b/g, 'past'],
  [/\b(?:will|shall|tomorrow|in the future|next (?:week|weekend|month|year|decade|century))\b/g, 'future'],
  [/\b(?:is|are|am|does|do|now|currently|nowadays|today)\b/g, 'present'],
];
// Chinese: aspect particles (了, 过), 曾/曾经, 将 in its future compounds (alone it is also the object
// marker 把: "如何将字符串转换成整数"), 会, and time words. Longest alternatives first.
const ZH_TENSE_WORDS: Record<string, TenseTime> = {
  曾经: 'past', 以前: 'past', 过去: 'past', 从前: 'past', 昨天: 'past', 去年: 'past', 前年: 'past', 上周: 'past',
  上个月: 'past', 已经: 'past', 曾: 'past', 了: 'past', 过: 'past',
  将来: 'future', 将要: 'future', 即将: 'future', 将会: 'future', 将是: 'future', 将于: 'future', 将成为: 'future',
  明天: 'future', 明年: 'future', 后天: 'future', 下周: 'future', 下个月: 'future', 未来: 'future', 会: 'future',
  现在: 'present', 目前: 'present', 如今: 'present', 当前: 'present', 现任: 'present', 今天: 'present', 今年: 'present',
};
const ZH_TENSE = new RegExp(Object.keys(ZH_TENSE_WORDS).sort((a, b) => b.length - a.length).join('|'), 'g');
// Words holding 了, 过 or 会 where it sets no time ("了解" = understand, "通过" = pass, "会议" = meeting).
// Masked before the time words are read, so none may overlap one ("年会" would eat "明年会下雨").
const ZH_NOT_TENSE = [
  '了解', '为了', '除了', '不了', '算了', '罢了', '了不起', '了结', '了却', '明了', '末了',
  '通过', '过程', '不过', '超过', '过滤', '经过', '过敏', '难过', '过度', '过量', '过期', '过于', '过来', '过年', '过节',
  '路过', '度过', '过渡', '过分', '过时', '过多', '过少', '过大', '过小', '过高', '过低', '过长', '过短', '过热', '过载',
  '过拟合', '过户', '过夜', '过冬', '穿过', '跳过', '越过', '绕过', '胜过', '错过', '过得', '过日子', '过马路', '过关', '太过',
  '会议', '社会', '机会', '会员', '学会', '聚会', '宴会', '协会', '开会', '约会', '晚会', '博览会', '运动会', '大会', '会计',
  '会话', '体会', '领会', '误会', '理会', '会所', '国会', '工会', '教会', '会场', '会见', '会谈', '会面', '会合', '一会',
  '商会', '展会', '峰会', '舞会', '会长', '省会', '研讨会', '演唱会', '董事会', '基金会',
];
// In a "why" question 会 is "would/how come", not the future: "为什么会失眠" = "为什么失眠", and
// "地球为什么会自转" = "为什么地球会自转" (a paraphrase pair of bench/semantic-pairs.json).
const ZH_WHY = /为什么|为何|怎么会|怎会/;

function tenseMarkers(folded: string): TenseMarker[] {
  const out: TenseMarker[] = [];
  for (const [re, time] of EN_TENSE) for (const m of folded.matchAll(re)) out.push({ time, word: m[0] });
  const why = ZH_WHY.test(folded);
  for (const m of maskRanges(folded, ZH_NOT_TENSE).matchAll(ZH_TENSE)) {
    if (m[0] === '会' && why) continue;
    out.push({ time: ZH_TENSE_WORDS[m[0]], word: m[0] });
  }
  return out;
}

/**
 * The tense words of each text that the other text's time does not share, when the two ask about
 * different times (the sets of past/future they mark differ); else two empty lists.
 */
function tenseDiff(q: readonly TenseMarker[], c: readonly TenseMarker[]): [string[], string[]] {
  const marked = (ms: readonly TenseMarker[]) => new Set(ms.filter((m) => m.time !== 'present').map((m) => m.time));
  const mq = marked(q), mc = marked(c);
  if (mq.size === mc.size && [...mq].every((t) => mc.has(t))) return [[], []];
  const times = (ms: readonly TenseMarker[]) => new Set(ms.map((m) => m.time));
  const only = (ms: readonly TenseMarker[], other: Set<TenseTime>) => [...new Set(ms.filter((m) => !other.has(m.time)).map((m) => m.word))].sort();
  return [only(q, times(c)), only(c, times(q))];
}

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
  return { negations, numbers, quoted, entities: [...entities], tense: tenseMarkers(folded) };
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
    refuse('entity', missingEntities(q.entities, cached, c.entities), missingEntities(c.entities, query, q.entities)) ??
    refuse('tense', ...tenseDiff(q.tense, c.tense))
  );
}
