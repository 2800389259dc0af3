// All store slices of one panel instance, built in the composition root (no module-level singletons).
// Room is left for the metrics, cache, routing and alerts slices of the next round.
import type { StoreApi } from 'zustand/vanilla';
import { createConnectionStore, type ConnectionState } from './connection-store.ts';
import { createLoadTestsStore, type LoadTestsState } from './loadtests-store.ts';
import { createPrefsStore, type KeyValueStorage, type PrefsState } from './prefs-store.ts';
import { createRequestsStore, type RequestsState } from './requests-store.ts';
import { createSettingsStore, type SettingsState } from './settings-store.ts';
import { createToastsStore, type ToastsState } from './toasts-store.ts';

export interface PanelStores {
  connection: StoreApi<ConnectionState>;
  requests: StoreApi<RequestsState>;
  loadTests: StoreApi<LoadTestsState>;
  settings: StoreApi<SettingsState>;
  prefs: StoreApi<PrefsState>;
  toasts: StoreApi<ToastsState>;
}

export interface PanelStoresOptions {
  storage: KeyValueStorage | null;
  systemLanguages: readonly string[];
  requestBuffer?: number;
}

export function createPanelStores(o: PanelStoresOptions): PanelStores {
  return {
    connection: createConnectionStore(),
    requests: createRequestsStore(o.requestBuffer),
    loadTests: createLoadTestsStore(),
    settings: createSettingsStore(),
    prefs: createPrefsStore(o.storage, o.systemLanguages),
    toasts: createToastsStore(),
  };
}
