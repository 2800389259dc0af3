// A form's draft over a server object that changed underneath it (a save of one field, another
// window's edit): fields the user has not touched follow the server; edited ones keep the edit.

export type Equal = (a: unknown, b: unknown) => boolean;

/** Equal as JSON: lists and objects a form rebuilt compare by what they hold. */
export const sameJson: Equal = (a, b) => Object.is(a, b) || JSON.stringify(a) === JSON.stringify(b);

/**
 * Every key the server object, the draft or the object it was made from holds: a key the user added
 * (a JSON draft) or removed is an edit too. A form's keys are the same in all three.
 */
export function rebaseDraft<T extends object>(draft: T | null, before: T | null, after: T, equal: Equal = Object.is): T {
  if (!draft || !before) return after;
  const next = { ...after };
  for (const k of new Set([...Object.keys(after), ...Object.keys(draft), ...Object.keys(before)]) as Set<keyof T>) {
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
  // a key the draft removed comes back undefined, which JSON leaves out
  return JSON.stringify(rebaseDraft(d, b, a, sameJson), null, 2);
}
