// An accessible on/off switch (role="switch"), labelled like a checkbox.
import { useId } from 'react';

export interface SwitchProps {
  label: string;
  checked: boolean;
  onChange(next: boolean): void;
  disabled?: boolean;
  hint?: string;
  hideLabel?: boolean;
}

export function Switch({ label, checked, onChange, disabled, hint, hideLabel }: SwitchProps) {
  const id = useId();
  return (
    <div className="switch-row">
      <button
        id={id}
        type="button"
        role="switch"
        aria-checked={checked}
        aria-label={hideLabel ? label : undefined}
        aria-describedby={hint ? `${id}-hint` : undefined}
        className="switch"
        disabled={disabled}
        onClick={() => onChange(!checked)}
      >
        <span className="switch-thumb" aria-hidden="true" />
      </button>
      {!hideLabel && (
        <div>
          <label htmlFor={id} className="switch-label">{label}</label>
          {hint && <div id={`${id}-hint`} className="hint">{hint}</div>}
        </div>
      )}
    </div>
  );
}
