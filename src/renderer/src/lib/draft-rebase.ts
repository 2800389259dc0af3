// A form's draft over a server object that changed underneath it (a save of one field, another
// window's edit): fields the user has not touched follow the server; edited ones keep the edit.

export function rebaseDraft<T extends object>(draft: T | null, before: T | null, after: T): T {
  if (!draft || !before) return after;
  const next = { ...after };
  for (const k of Object.keys(after) as Array<keyof T>) {
    if (!Object.is(draft[k], before[k])) next[k] = draft[k];
  }
  return next;
}
