// Confirmation for destructive actions: the safe choice has the focus.
import { useState } from 'react';
import { useT } from '../panel-context.tsx';
import { Modal } from './modal.tsx';

export interface ConfirmDialogProps {
  title: string;
  body: string;
  confirmLabel: string;
  onConfirm(): Promise<void> | void;
  onClose(): void;
}

export function ConfirmDialog({ title, body, confirmLabel, onConfirm, onClose }: ConfirmDialogProps) {
  const t = useT();
  const [busy, setBusy] = useState(false);
  const confirm = async () => {
    setBusy(true);
    try {
      await onConfirm();
    } finally {
      setBusy(false);
      onClose();
    }
  };
  return (
    <Modal
      title={title}
      onClose={onClose}
      footer={(
        <>
          <button type="button" className="btn" autoFocus onClick={onClose}>{t('common.cancel')}</button>
          <button type="button" className="btn btn-danger" disabled={busy} onClick={() => void confirm()}>{confirmLabel}</button>
        </>
      )}
    >
      <p>{body}</p>
    </Modal>
  );
}
