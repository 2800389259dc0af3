// Toast notifications: announced politely, dismissable, gone after a few seconds.
import { useEffect } from 'react';
import { usePanel, useSlice, useT } from '../panel-context.tsx';
import type { Toast } from '../state/toasts-store.ts';

function ToastItem({ toast, onDismiss }: { toast: Toast; onDismiss(): void }) {
  const t = useT();
  useEffect(() => {
    const h = setTimeout(onDismiss, toast.kind === 'error' ? 8000 : 4000);
    return () => clearTimeout(h);
  }, [toast.id]);
  return (
    <div className={`toast toast-${toast.kind}`} role={toast.kind === 'error' ? 'alert' : 'status'}>
      <span>{toast.message}</span>
      <button type="button" className="icon-btn" aria-label={t('common.dismiss')} onClick={onDismiss}>×</button>
    </div>
  );
}

export function Toasts() {
  const t = useT();
  const { stores } = usePanel();
  const toasts = useSlice(stores.toasts, (s) => s.toasts);
  const dismiss = stores.toasts.getState().dismiss;
  return (
    <section className="toasts" aria-label={t('common.notifications')}>
      {toasts.map((x) => <ToastItem key={x.id} toast={x} onDismiss={() => dismiss(x.id)} />)}
    </section>
  );
}
