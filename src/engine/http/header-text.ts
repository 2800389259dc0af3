// Header values as text. Node hands a header's bytes over one character per byte (Latin-1), so a
// client's UTF-8 (`x-sluice-cache-namespace: 名字`) arrives as mojibake; Sluice reads its own headers
// as UTF-8, which is what clients send (fetch, curl and the SDKs all do).
const NON_ASCII = /[^\x00-\x7f]/;

/** The header's text read as UTF-8; `null` when its bytes are not valid UTF-8. ASCII passes as it is. */
export function utf8HeaderText(value: string): string | null {
  if (!NON_ASCII.test(value)) return value;
  if (/[^\x00-\xff]/.test(value)) return value; // already text, not a byte per character
  const text = Buffer.from(value, 'latin1').toString('utf8');
  // a Latin-1 string holds no U+FFFD of its own: one in the result is a byte sequence UTF-8 refused
  return text.includes('\uFFFD') ? null : text;
}

/** The first `max` characters (code points, so a pair is never cut in half). */
export function firstChars(text: string, max: number): string {
  if (text.length <= max) return text;
  return Array.from(text).slice(0, max).join('');
}
