// JSON typed by hand (the explain tester's body, a rule's JSON view, an imported file): parsed, or where it
// stops being JSON, found by reading it again, so the panel says it in the reader's language instead of
// quoting the browser's English SyntaxError (whose wording and position differ between engines).
import type { Translate } from '../i18n/translate.ts';

export type JsonSyntaxError =
  /** The first character that cannot be read, 1-based. */
  | { kind: 'at'; line: number; column: number }
  /** The text stops before the value is complete (an unclosed brace or string, or nothing at all). */
  | { kind: 'end' }
  /** Not found (too deeply nested to read again): the text is not JSON, that is all that is known. */
  | { kind: 'unknown' };

export function parseJson(text: string): { ok: true; value: unknown } | { ok: false; error: JsonSyntaxError } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, error: jsonSyntaxError(text) };
  }
}

const WS = new Set([' ', '\t', '\n', '\r']);
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const HEX = /^[0-9a-fA-F]{4}$/;
const MAX_DEPTH = 2000;

/** Where `text` (which JSON.parse refused) stops being JSON. */
export function jsonSyntaxError(text: string): JsonSyntaxError {
  let i = 0;
  const n = text.length;
  const ws = () => { while (i < n && WS.has(text[i])) i++; };
  const digits = () => { const s = i; while (i < n && text[i] >= '0' && text[i] <= '9') i++; return i > s; };
  // each reader leaves `i` on the first character it cannot take, and says whether it read a value
  const string = (): boolean => {
    i++;
    while (i < n) {
      const c = text[i];
      if (c === '"') { i++; return true; }
      if (c === '\\') {
        const e = text[i + 1];
        if (e === 'u') { if (!HEX.test(text.slice(i + 2, i + 6))) { i = Math.min(n, i + 1); return false; } i += 6; continue; }
        if (!ESCAPES.has(e)) { i = Math.min(n, i + 1); return false; }
        i += 2;
        continue;
      }
      if (c < ' ') return false;
      i++;
    }
    return false;
  };
  const number = (): boolean => {
    if (text[i] === '-') i++;
    if (text[i] === '0') i++;
    else if (!digits()) return false;
    if (text[i] === '.') { i++; if (!digits()) return false; }
    if (text[i] === 'e' || text[i] === 'E') { i++; if (text[i] === '+' || text[i] === '-') i++; if (!digits()) return false; }
    return true;
  };
  const word = (w: string): boolean => {
    for (let k = 0; k < w.length; k++, i++) if (text[i] !== w[k]) return false;
    return true;
  };
  const value = (depth: number): boolean => {
    if (depth > MAX_DEPTH) throw new RangeError('too deep');
    ws();
    const c = text[i];
    if (c === '{') {
      i++; ws();
      if (text[i] === '}') { i++; return true; }
      for (;;) {
        ws();
        if (text[i] !== '"' || !string()) return false;
        ws();
        if (text[i] !== ':') return false;
        i++;
        if (!value(depth + 1)) return false;
        ws();
        if (text[i] === '}') { i++; return true; }
        if (text[i] !== ',') return false;
        i++;
      }
    }
    if (c === '[') {
      i++; ws();
      if (text[i] === ']') { i++; return true; }
      for (;;) {
        if (!value(depth + 1)) return false;
        ws();
        if (text[i] === ']') { i++; return true; }
        if (text[i] !== ',') return false;
        i++;
      }
    }
    if (c === '"') return string();
    if (c === '-' || (c >= '0' && c <= '9')) return number();
    if (c === 't') return word('true');
    if (c === 'f') return word('false');
    if (c === 'n') return word('null');
    return false;
  };
  try {
    if (value(0)) { ws(); if (i >= n) return { kind: 'unknown' }; }
  } catch {
    return { kind: 'unknown' };
  }
  if (i >= n) return { kind: 'end' };
  const before = text.slice(0, i);
  const line = before.split('\n').length;
  return { kind: 'at', line, column: i - (before.lastIndexOf('\n') + 1) + 1 };
}

/** Where the text stops being JSON, in the reader's language ('line 3, column 14'). */
export function jsonWhereText(t: Translate, e: JsonSyntaxError): string {
  return e.kind === 'at' ? t('json.where.at', { line: e.line, column: e.column }) : t(e.kind === 'end' ? 'json.where.end' : 'json.where.unknown');
}
