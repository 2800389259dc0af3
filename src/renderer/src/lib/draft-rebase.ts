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
