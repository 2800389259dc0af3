// A form's problems shown by their fields: aria-invalid and aria-describedby for a field (with its hint,
// when it has one), and the field's error text under it. The rule form and the budget form share it.
import type { ReactNode } from 'react';

export function fieldErrors<K extends string>(uid: string, byField: ReadonlyMap<K, ReadonlyArray<string | { message: string }>>) {
  const errId = (k: K) => `${uid}-err-${k.replace('.', '-')}`;
  return {
    a11y(k: K, hintId?: string) {
      const bad = byField.has(k);
      const ids = [hintId, bad ? errId(k) : undefined].filter(Boolean).join(' ');
      return { 'aria-invalid': bad ? true as const : undefined, 'aria-describedby': ids || undefined };
    },
    errors(k: K): ReactNode {
      const list = byField.get(k);
      return list?.length
        ? <small id={errId(k)} className="field-error" role="alert">{list.map((p) => (typeof p === 'string' ? p : p.message)).join(' ')}</small>
        : null;
    },
  };
}
