// Misspelt keys in the config file: each one named with its path, the keys that would be known there,
// and the closest of them when one is near (`cache.ttlSecond: … did you mean 'ttlSeconds'?`).
import { isObj } from '../../shared/is-obj.ts';
import type { KeyShape } from './config-keys.ts';

/** Edits (insert, delete, replace, swap two neighbours) from a to b. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The known key closest to `key`, ignoring case, `_` and `-`; undefined when none is near enough to be a typo. */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/[_-]/g, '');
  const allowed = key.length <= 4 ? 1 : key.length <= 8 ? 2 : 3;
  let best: string | undefined;
  let bestDistance = allowed + 1;
  for (const k of known) {
    const distance = editDistance(norm(key), norm(k));
    if (distance < bestDistance) { best = k; bestDistance = distance; }
  }
  return best;
}

/** A key the shape does not know: where it is, the keys known there, and the nearest of them if one is near. */
export interface UnknownKey { path: string; known: readonly string[]; near: string | undefined }

/** Every key `value` holds that `shape` does not know, at any depth. */
export function unknownKeys(value: unknown, shape: KeyShape | null, path: string, out: UnknownKey[] = []): UnknownKey[] {
  if (shape === null) return out;
  const at = (key: string) => (path ? `${path}.${key}` : key);
  if (shape.kind === 'list') {
    if (Array.isArray(value)) value.forEach((item, i) => unknownKeys(item, shape.item, `${path}[${i}]`, out));
    return out;
  }
  if (!isObj(value)) return out; // not an object: the section's own validation says what it must be
  if (shape.kind === 'map') {
    for (const [k, v] of Object.entries(value)) unknownKeys(v, shape.value, `${path}['${k}']`, out);
    return out;
  }
  const known = Object.keys(shape.fields);
  for (const [k, v] of Object.entries(value)) {
    if (Object.hasOwn(shape.fields, k)) unknownKeys(v, shape.fields[k], at(k), out);
    else out.push({ path: at(k), known, near: closestKey(k, known) });
  }
  return out;
}

/** An unknown key in words: `is not a known setting, did you mean 'x'? (known: …)`. */
export function unknownKeyWords(k: UnknownKey): string {
  return `is not a known setting${k.near ? `, did you mean '${k.near}'?` : ''} (known: ${k.known.join(', ')})`;
}

/** Adds `path.key: is not a known setting …` to `issues` for every key `value` holds that `shape` does not know. */
export function unknownKeyIssues(value: unknown, shape: KeyShape | null, path: string, issues: string[]): void {
  for (const k of unknownKeys(value, shape, path)) issues.push(`${k.path}: ${unknownKeyWords(k)}`);
}
