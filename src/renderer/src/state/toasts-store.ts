// Toasts slice: short feedback messages; bounded so a burst cannot pile up.
import { createStore, type StoreApi } from 'zustand/vanilla';

export type ToastKind = 'success' | 'error' | 'info';

export interface Toast { id: number; kind: ToastKind; message: string }

export interface ToastsState {
  toasts: Toast[];
  push(kind: ToastKind, message: string): number;
  dismiss(id: number): void;
}

export const MAX_TOASTS = 4;

export function createToastsStore(): StoreApi<ToastsState> {
  let next = 1;
  return createStore<ToastsState>()((set) => ({
    toasts: [],
    push: (kind, message) => {
      const id = next++;
      set((s) => ({ toasts: [...s.toasts, { id, kind, message }].slice(-MAX_TOASTS) }));
      return id;
    },
    dismiss: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
  }));
}
