// A modal dialog on the native <dialog>: focus trap, Escape to close, labelled by its title.
import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode } from 'react';
import { useT } from '../panel-context.tsx';
import { tabStops } from './tab-stops.ts';

export interface ModalProps {
  title: string;
  onClose(): void;
  children: ReactNode;
  footer?: ReactNode;
  wide?: boolean;
}

export function Modal({ title, onClose, children, footer, wide }: ModalProps) {
  const t = useT();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const d = ref.current;
    // React removes the dialog before this cleanup runs, so close() cannot hand focus back itself
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (d && !d.open) d.showModal();
    return () => {
      d?.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);
  // showModal() makes the page inert, but Tab past the last control still leaves for the browser's own
  // UI (the document body, to a script): from either end, Tab goes round to the other end instead
  const trapTab = (e: KeyboardEvent<HTMLDialogElement>) => {
    const dialog = e.currentTarget;
    if (e.key !== 'Tab' || e.altKey || e.ctrlKey || e.metaKey || (e.target as Element).closest('dialog') !== dialog) return;
    const stops = tabStops(dialog);
    const active = document.activeElement;
    const at = stops.indexOf(active as HTMLElement);
    // focus on the dialog itself, or somewhere Tab does not stop: only the ends are ours to mend
    const lost = at === -1 && (active === dialog || !dialog.contains(active));
    const wrapTo = e.shiftKey ? (at === 0 || lost ? stops.at(-1) : null) : (at === stops.length - 1 || lost ? stops[0] : null);
    if (!stops.length) e.preventDefault();
    else if (wrapTo) { e.preventDefault(); wrapTo.focus(); }
  };
  return (
    <dialog ref={ref} className={`modal${wide ? ' modal-wide' : ''}`} aria-labelledby={titleId} onKeyDown={trapTab} onCancel={(e) => { e.preventDefault(); onClose(); }}>
      <div className="modal-head">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="icon-btn" aria-label={t('common.close')} onClick={onClose}>×</button>
      </div>
      <div className="modal-body">{children}</div>
      {footer && <div className="modal-foot">{footer}</div>}
    </dialog>
  );
}
