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
  /**
   * The state is not known (the engine cannot be reached): these words follow the label and describe the
   * switch, which is drawn neither on nor off and cannot be used. Off would read as a choice made.
   */
  unknown?: string;
  hint?: string;
  hideLabel?: boolean;
}

export function Switch({ label, name, states, checked, onChange, disabled, unknown, hint, hideLabel }: SwitchProps) {
  const id = useId();
  const describedBy = [unknown ? `${id}-unknown` : '', hint ? `${id}-hint` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className="switch-row">
      <button
        id={id}
        type="button"
        role="switch"
        aria-checked={unknown ? false : checked}
        aria-label={name ?? (hideLabel ? label : undefined)}
        aria-describedby={describedBy}
        className={`switch${unknown ? ' switch-unknown' : ''}`}
        disabled={disabled || !!unknown}
        onClick={() => onChange(!checked)}
      >
        <span className="switch-thumb" aria-hidden="true" />
      </button>
      {!hideLabel && (
        <div>
          <label htmlFor={id} className="switch-label">
            {label}
            {unknown
              ? <span id={`${id}-unknown`} className="switch-state" aria-hidden="true"> · {unknown}</span>
              : states && <span className="switch-state" aria-hidden="true"> · {checked ? states.on : states.off}</span>}
          </label>
          {hint && <div id={`${id}-hint`} className="hint">{hint}</div>}
        </div>
      )}
    </div>
  );
}
