// A labelled form field. The label names the control and nothing else: a hint and an error sit outside it
// and describe the control (aria-describedby; an error also sets aria-invalid), so the control's name is
// the same whether or not an error shows, and a screen reader says the label, then the rest.
import { useId, type ReactNode } from 'react';

export interface FieldA11y { id: string; 'aria-describedby'?: string; 'aria-invalid'?: true }

export interface FieldProps {
  label: string;
  hint?: ReactNode;
  /** The field's problem, shown under it; nothing when there is none. */
  error?: ReactNode;
  className?: string;
  children(a11y: FieldA11y): ReactNode;
}

export function Field({ label, hint, error, className, children }: FieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : '', error ? errorId : ''].filter(Boolean).join(' ');
  return (
    <div className={`field${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, ...(describedBy ? { 'aria-describedby': describedBy } : {}), ...(error ? { 'aria-invalid': true as const } : {}) })}
      {hint && <small id={hintId} className="hint">{hint}</small>}
      {error && <small id={errorId} className="field-error" role="alert">{error}</small>}
    </div>
  );
}
