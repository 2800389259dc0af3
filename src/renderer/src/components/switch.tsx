// An accessible on/off switch (role="switch"), labelled like a checkbox.
import { useId } from 'react';

export interface SwitchProps {
  /** The visible label; also the switch's accessible name unless `name` is given. */
  label: string;
  /** Accessible name when it differs from the visible label; it must not change with the state. */
  name?: string;
  /** Words for the two states, shown after the label (the state itself is announced from aria-checked). */
  states?: { on: string; off: string };
  checked: boolean;
  onChange(next: boolean): void;
  disabled?: boolean;
  hint?: string;
  hideLabel?: boolean;
}

export function Switch({ label, name, states, checked, onChange, disabled, hint, hideLabel }: SwitchProps) {
  const id = useId();
  return (
    <div className="switch-row">
      <button
        id={id}
        type="button"
        role="switch"
        aria-checked={checked}
        aria-label={name ?? (hideLabel ? label : undefined)}
        aria-describedby={hint ? `${id}-hint` : undefined}
        className="switch"
        disabled={disabled}
        onClick={() => onChange(!checked)}
      >
        <span className="switch-thumb" aria-hidden="true" />
      </button>
      {!hideLabel && (
        <div>
          <label htmlFor={id} className="switch-label">
            {label}
            {states && <span className="switch-state" aria-hidden="true"> · {checked ? states.on : states.off}</span>}
          </label>
          {hint && <div id={`${id}-hint`} className="hint">{hint}</div>}
        </div>
      )}
    </div>
  );
}
