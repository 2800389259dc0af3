// A string that a JSON Schema `pattern` (an ECMAScript regular expression) matches, for the simulator's
// json_schema answers and tool arguments. It follows anchors, literal characters, escapes (\d \w \s and
// their negations, \. \x41 \u0041 …), character classes with ranges and negation, `.`, groups (capturing,
// non-capturing, named), alternation, and the quantifiers ? * + {n} {n,} {n,m}. Every string made is tested
// against the pattern itself before it is used. A pattern beyond that (lookarounds, back-references), or one
// no string of the asked length matches, gives null: the caller then writes its ordinary words, which will
// not match it.

type Random = () => number;

/** Characters one position may hold: `test` says whether a character belongs, `ranges` are what is drawn from. */
interface CharSet { test: (cp: number) => boolean; ranges: ReadonlyArray<readonly [number, number]> }

type Node =
  | { kind: 'set'; sets: CharSet[]; negated: boolean }
  | { kind: 'seq'; items: Node[] }
  | { kind: 'alt'; options: Node[] }
  | { kind: 'repeat'; node: Node; min: number; max: number };

class Unsupported extends Error {}

const inRanges = (ranges: CharSet['ranges'], cp: number) => ranges.some(([lo, hi]) => cp >= lo && cp <= hi);
const setOf = (ranges: CharSet['ranges']): CharSet => ({ test: (cp) => inRanges(ranges, cp), ranges });
const single = (cp: number): CharSet => setOf([[cp, cp]]);

const DIGITS = [[0x30, 0x39]] as const;
const WORD = [[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]] as const;
const LETTERS = [[0x41, 0x5a], [0x61, 0x7a]] as const;
const SPACES = [[0x09, 0x0d], [0x20, 0x20], [0xa0, 0xa0], [0x2028, 0x2029], [0xfeff, 0xfeff]] as const;
/** What a negated set or `.` is drawn from: printable ASCII. */
const PRINTABLE = Array.from({ length: 0x7f - 0x20 }, (_, i) => 0x20 + i);

const CLASS_ESCAPES: Record<string, CharSet> = {
  d: setOf(DIGITS), w: setOf(WORD), s: { test: (cp) => inRanges(SPACES, cp), ranges: [[0x20, 0x20]] },
  D: { test: (cp) => !inRanges(DIGITS, cp), ranges: LETTERS },
  W: { test: (cp) => !inRanges(WORD, cp), ranges: [[0x20, 0x20], [0x2d, 0x2e]] },
  S: { test: (cp) => !inRanges(SPACES, cp), ranges: LETTERS },
};
const CONTROL_ESCAPES: Record<string, number> = { t: 9, n: 10, v: 11, f: 12, r: 13, 0: 0 };
const ANY: CharSet = { test: (cp) => cp !== 10 && cp !== 13 && cp !== 0x2028 && cp !== 0x2029, ranges: LETTERS };
const NOTHING: Node = { kind: 'seq', items: [] };

/** A recursive-descent reader of the pattern, by code point. */
class PatternReader {
  readonly #cps: string[];
  #at = 0;

  constructor(pattern: string) { this.#cps = Array.from(pattern); }

  read(): Node {
    const node = this.#alternation();
    if (this.#at < this.#cps.length) throw new Unsupported(`unexpected '${this.#cps[this.#at]}'`);
    return node;
  }

  #peek(k = 0): string | undefined { return this.#cps[this.#at + k]; }
  #next(): string {
    if (this.#at >= this.#cps.length) throw new Unsupported('the pattern ends early');
    return this.#cps[this.#at++];
  }
  #eat(s: string): boolean {
    const cps = Array.from(s);
    if (!cps.every((c, k) => this.#peek(k) === c)) return false;
    this.#at += cps.length;
    return true;
  }

  #alternation(): Node {
    const options = [this.#sequence()];
    while (this.#eat('|')) options.push(this.#sequence());
    return options.length === 1 ? options[0] : { kind: 'alt', options };
  }

  #sequence(): Node {
    const items: Node[] = [];
    while (this.#peek() !== undefined && this.#peek() !== '|' && this.#peek() !== ')') items.push(this.#quantified(this.#atom()));
    return { kind: 'seq', items };
  }

  #quantified(node: Node): Node {
    let min: number;
    let max: number;
    const c = this.#peek();
    if (c === '?') [min, max] = [0, 1];
    else if (c === '*') [min, max] = [0, Infinity];
    else if (c === '+') [min, max] = [1, Infinity];
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.#cps.slice(this.#at, this.#at + 24).join(''));
      if (!m) return node;
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      this.#at += m[0].length - 1;
    } else {
      return node;
    }
    this.#at++;
    this.#eat('?'); // lazy: the same strings match
    if (min > 1000 || max < min) throw new Unsupported('a count out of reach');
    return { kind: 'repeat', node, min, max };
  }

  #atom(): Node {
    const c = this.#next();
    switch (c) {
      case '^': case '$': return NOTHING;
      case '.': return { kind: 'set', sets: [ANY], negated: false };
      case '[': return this.#charClass();
      case '(': {
        const named = this.#peek() === '?' && this.#peek(1) === '<' && this.#peek(2) !== '=' && this.#peek(2) !== '!';
        if (named) {
          while (this.#next() !== '>') { /* the group's name */ }
        } else if (!this.#eat('?:') && this.#peek() === '?') {
          throw new Unsupported('lookaround');
        }
        const inner = this.#alternation();
        if (this.#next() !== ')') throw new Unsupported('unclosed group');
        return inner;
      }
      case '\\': {
        const escaped = this.#escape(false);
        return escaped === null ? NOTHING : { kind: 'set', sets: [escaped], negated: false };
      }
      default: return { kind: 'set', sets: [single(c.codePointAt(0)!)], negated: false };
    }
  }

  /** The set an escape stands for; null for a word boundary, which the final test checks. */
  #escape(inClass: boolean): CharSet | null {
    const c = this.#next();
    if (c in CLASS_ESCAPES) return CLASS_ESCAPES[c];
    if (c in CONTROL_ESCAPES && !(c === '0' && /\d/.test(this.#peek() ?? ''))) return single(CONTROL_ESCAPES[c]);
    if (c === 'b') return inClass ? single(8) : null;
    if (c === 'B' && !inClass) return null;
    if (/[1-9]/.test(c) || (c === 'k' && this.#peek() === '<')) throw new Unsupported('back-reference');
    if (c === 'x' || c === 'u') {
      const m = c === 'x' ? /^[0-9a-fA-F]{2}/ : /^(\{[0-9a-fA-F]{1,6}\}|[0-9a-fA-F]{4})/;
      const hex = m.exec(this.#cps.slice(this.#at, this.#at + 8).join(''))?.[0];
      if (!hex) return single(c.codePointAt(0)!);
      this.#at += hex.length;
      return single(parseInt(hex.replace(/[{}]/g, ''), 16));
    }
    if (c === 'c' && /[A-Za-z]/.test(this.#peek() ?? '')) return single(this.#next().codePointAt(0)! % 32);
    if ((c === 'p' || c === 'P') && this.#peek() === '{') {
      while (this.#next() !== '}') { /* a Unicode property, drawn from letters or digits and left to the final test */ }
      return setOf(c === 'p' ? LETTERS : DIGITS);
    }
    return single(c.codePointAt(0)!);
  }

  #charClass(): Node {
    const negated = this.#eat('^');
    const sets: CharSet[] = [];
    while (this.#peek() !== ']') {
      const from = this.#classAtom();
      const isChar = !Object.values(CLASS_ESCAPES).includes(from) && from.ranges.length === 1 && from.ranges[0][0] === from.ranges[0][1];
      if (isChar && this.#peek() === '-' && this.#peek(1) !== ']' && this.#peek(1) !== undefined) {
        this.#at++;
        const to = this.#classAtom();
        const [lo, hi] = [from.ranges[0][0], to.ranges[0][0]];
        if (to.ranges.length !== 1 || hi < lo) throw new Unsupported('a range out of order');
        sets.push(setOf([[lo, hi]]));
      } else {
        sets.push(from);
      }
    }
    this.#next();
    return { kind: 'set', sets, negated };
  }

  #classAtom(): CharSet {
    const c = this.#next();
    return c === '\\' ? this.#escape(true)! : single(c.codePointAt(0)!);
  }
}

/** Past this many characters a string is given up on (a pattern such as (a{900}){900}). */
const MAX_CHARS = 4000;

/** How far open-ended counts (+, *, {n,}) may go past their least, and whether every count takes its most. */
interface Reach { slack: number; stretch: boolean }

function generate(node: Node, random: Random, reach: Reach, out: string[]): void {
  switch (node.kind) {
    case 'seq': for (const item of node.items) generate(item, random, reach, out); return;
    case 'alt': generate(node.options[Math.floor(random() * node.options.length)], random, reach, out); return;
    case 'repeat': {
      const top = Math.min(node.max, node.min + reach.slack);
      const count = reach.stretch ? top : node.min + Math.floor(random() * (top - node.min + 1));
      for (let i = 0; i < count; i++) generate(node.node, random, reach, out);
      return;
    }
    case 'set': {
      let cp: number;
      if (node.negated) {
        const allowed = PRINTABLE.filter((p) => !node.sets.some((s) => s.test(p)));
        if (allowed.length === 0) throw new Unsupported('a set nothing printable is outside of');
        cp = allowed[Math.floor(random() * allowed.length)];
      } else {
        if (node.sets.length === 0) throw new Unsupported('an empty set');
        const { ranges } = node.sets[Math.floor(random() * node.sets.length)];
        const [lo, hi] = ranges[Math.floor(random() * ranges.length)];
        cp = lo + Math.floor(random() * (hi - lo + 1));
      }
      out.push(String.fromCodePoint(cp));
      if (out.length > MAX_CHARS) throw new Unsupported('too long');
    }
  }
}

function compile(pattern: string): RegExp | null {
  for (const flags of ['u', '']) {
    try {
      return new RegExp(pattern, flags);
    } catch { /* not valid with these flags */ }
  }
  return null;
}

/** Whether `text` matches the pattern (as JSON Schema validators test it: anywhere in the string). */
export function matchesPattern(pattern: string, text: string): boolean {
  return compile(pattern)?.test(text) ?? false;
}

const TRIES = 32;

/** A string the pattern matches, of minLength to maxLength characters; null when the simulator cannot make one. */
export function stringForPattern(pattern: string, random: Random, bounds: { minLength?: number; maxLength?: number } = {}): string | null {
  const regex = compile(pattern);
  if (!regex) return null;
  let node: Node;
  try {
    node = new PatternReader(pattern).read();
  } catch (err) {
    if (err instanceof Unsupported) return null;
    throw err;
  }
  const min = bounds.minLength ?? 0;
  const max = bounds.maxLength ?? Infinity;
  for (let t = 0; t < TRIES; t++) {
    // open-ended counts stay short at first, then grow (every fourth try at their most) for a minLength that needs them to
    const reach = { slack: Math.min(3 * 2 ** Math.floor(t / 4), 3 + min), stretch: min > 0 && t % 4 === 3 };
    const out: string[] = [];
    try {
      generate(node, random, reach, out);
    } catch (err) {
      if (err instanceof Unsupported) return null;
      throw err;
    }
    const text = out.join('');
    if (out.length >= min && out.length <= max && regex.test(text)) return text;
  }
  return null;
}
