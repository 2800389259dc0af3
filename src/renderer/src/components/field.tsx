// A labelled form field with an optional hint that describes (but does not name) the control.
import { useId, type ReactNode } from 'react';

export interface FieldA11y { id: string; 'aria-describedby'?: string }

export function Field({ label, hint, className, children }: { label: string; hint?: string; className?: string; children(a11y: FieldA11y): ReactNode }) {
  const id = useId();
  const hintId = `${id}-hint`;
  return (
    <div className={`field${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children(hint ? { id, 'aria-describedby': hintId } : { id })}
      {hint && <small id={hintId} className="hint">{hint}</small>}
    </div>
  );
}
