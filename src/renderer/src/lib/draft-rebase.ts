// A form's draft over a server object that changed underneath it (a save of one field, another
// window's edit): fields the user has not touched follow the server; edited ones keep the edit.

export type Equal = (a: unknown, b: unknown) => boolean;

/** Equal as JSON: lists and objects a form rebuilt compare by what they hold. */
export const sameJson: Equal = (a, b) => Object.is(a, b) || JSON.stringify(a) === JSON.stringify(b);

export function rebaseDraft<T extends object>(draft: T | null, before: T | null, after: T, equal: Equal = Object.is): T {
  if (!draft || !before) return after;
  const next = { ...after };
  for (const k of Object.keys(after) as Array<keyof T>) {
    if (!equal(draft[k], before[k])) next[k] = draft[k];
  }
  return next;
}

/** The fields the user changed in the draft, against the server object it was made from. */
export function editedFields<T extends object>(draft: T, before: T, equal: Equal = Object.is): Array<keyof T> {
  return (Object.keys(before) as Array<keyof T>).filter((k) => !equal(draft[k], before[k]));
}

const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const parse = (text: string): unknown => { try { return JSON.parse(text); } catch { return undefined; } };

/**
 * A JSON draft (a rule's JSON view) over a saved object that changed: keys the person left as they were
 * follow the new object (the rule's own on/off switch, another window's save), keys they changed, added
 * or removed keep the edit. Null when the draft or either object is not a JSON object: it cannot be
 * rebased, and stays as typed.
 */
export function rebaseJsonDraft(draft: string, before: string, after: string): string | null {
  const d = parse(draft);
  const b = parse(before);
  const a = parse(after);
  if (!isRecord(d) || !isRecord(b) || !isRecord(a)) return null;
  const next: Record<string, unknown> = {};
  for (const k of new Set([...Object.keys(a), ...Object.keys(d), ...Object.keys(b)])) {
    const value = sameJson(d[k], b[k]) ? a[k] : d[k];
    if (value !== undefined) next[k] = value;
  }
  return JSON.stringify(next, null, 2);
}
