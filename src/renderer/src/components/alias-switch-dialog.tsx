// Switching an alias that has fallbacks: the panel asks whether the new target replaces only the first
// target (the default: the fallbacks keep requests served if it fails, and the panel cannot rebuild a
// chain) or all of them, naming what each choice leaves and removes.
import { useId, useState } from 'react';
import { switchedTargets } from '../lib/routing-edit.ts';
import { useT } from '../panel-context.tsx';
import { Modal } from './modal.tsx';

export interface AliasSwitchDialogProps {
  name: string;
  /** The alias's targets now, `provider/model` in order (two or more). */
  current: readonly string[];
  choice: string;
  onConfirm(targets: string[]): Promise<void> | void;
  onClose(): void;
}

export function AliasSwitchDialog({ name, current, choice, onConfirm, onClose }: AliasSwitchDialogProps) {
  const t = useT();
  const uid = useId();
  const first = switchedTargets(current, choice, 'first');
  const firstChanges = first.join() !== current.join();
  const [mode, setMode] = useState<'first' | 'all'>(firstChanges ? 'first' : 'all');
  const [busy, setBusy] = useState(false);
  const options = (['first', 'all'] as const).map((m) => {
    const next = switchedTargets(current, choice, m);
    return { mode: m, next, removed: current.filter((x) => !next.includes(x)), disabled: m === 'first' && !firstChanges };
  });
  const confirm = async () => {
    setBusy(true);
    try {
      await onConfirm(switchedTargets(current, choice, mode));
    } finally {
      setBusy(false);
      onClose();
    }
  };
  return (
    <Modal
      title={t('routing.switch.title', { name })}
      onClose={onClose}
      footer={(
        <>
          <button type="button" className="btn" autoFocus onClick={onClose}>{t('common.cancel')}</button>
          <button type="button" className="btn btn-primary" disabled={busy} aria-busy={busy} onClick={() => void confirm()}>{t('routing.switch.confirm')}</button>
        </>
      )}
    >
      <div className="form-stack">
        <p>{t('routing.switch.body', { name, count: current.length, chain: current.join(' → '), target: choice })}</p>
        <fieldset className="field">
          <legend className="sr-only">{t('routing.switch.title', { name })}</legend>
          {options.map((o) => (
            <div key={o.mode} className="choice">
              <input id={`${uid}-${o.mode}`} type="radio" name={`${uid}-mode`} checked={mode === o.mode} disabled={o.disabled}
                aria-describedby={`${uid}-${o.mode}-result`} onChange={() => setMode(o.mode)} />
              <div>
                <label htmlFor={`${uid}-${o.mode}`} className="strong">{o.mode === 'first' ? t('routing.switch.first') : t('routing.switch.all', { count: current.length })}</label>
                <div id={`${uid}-${o.mode}-result`} className="hint mono">
                  {t('routing.switch.becomes', { chain: o.next.join(' → ') })}
                  {o.removed.length > 0 && <> · {t('routing.switch.removes', { targets: o.removed.join(', ') })}</>}
                </div>
              </div>
            </div>
          ))}
        </fieldset>
      </div>
    </Modal>
  );
}
