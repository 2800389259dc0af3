// React access to the panel's composition root: stores, admin client, event stream, translator.
import { createContext, useContext, useMemo } from 'react';
import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import type { AdminClient } from './api/admin-client.ts';
import type { EventStream } from './api/event-stream.ts';
import type { Session } from './api/session-token.ts';
import { translator, type Translate } from './i18n/translate.ts';
import type { PanelStores } from './state/panel-stores.ts';

export interface Panel {
  stores: PanelStores;
  client: AdminClient;
  stream: EventStream;
  session: Session;
  /** Reload engine info, settings, models and the request log page. */
  refreshAll(): void;
}

export const PanelContext = createContext<Panel | null>(null);

export function usePanel(): Panel {
  const p = useContext(PanelContext);
  if (!p) throw new Error('usePanel: no PanelContext provider');
  return p;
}

export function useSlice<S, T>(store: StoreApi<S>, selector: (s: S) => T): T {
  return useStore(store, selector);
}

export function useT(): Translate {
  const { stores } = usePanel();
  const language = useStore(stores.prefs, (s) => s.language);
  return useMemo(() => translator(language), [language]);
}

/** Shows a toast for an async action's outcome; returns the result or undefined on failure. */
export function useToast() {
  const { stores } = usePanel();
  return stores.toasts.getState().push;
}
