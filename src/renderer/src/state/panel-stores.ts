// All store slices of one panel instance, built in the composition root (no module-level singletons).
import type { StoreApi } from 'zustand/vanilla';
import { createAlertsStore, type AlertsState } from './alerts-store.ts';
import { createCacheStore, type CacheState } from './cache-store.ts';
import { createConnectionStore, type ConnectionState } from './connection-store.ts';
import { createLoadTestsStore, type LoadTestsState } from './loadtests-store.ts';
import { createMetricsStore, type MetricsState } from './metrics-store.ts';
import { createPrefsStore, type KeyValueStorage, type PrefsState } from './prefs-store.ts';
import { createRequestsStore, type RequestsState } from './requests-store.ts';
import { createRoutingStore, type RoutingState } from './routing-store.ts';
import { createSettingsStore, type SettingsState } from './settings-store.ts';
import { createToastsStore, type ToastsState } from './toasts-store.ts';

export interface PanelStores {
  connection: StoreApi<ConnectionState>;
  requests: StoreApi<RequestsState>;
  loadTests: StoreApi<LoadTestsState>;
  settings: StoreApi<SettingsState>;
  prefs: StoreApi<PrefsState>;
  toasts: StoreApi<ToastsState>;
  metrics: StoreApi<MetricsState>;
  cache: StoreApi<CacheState>;
  routing: StoreApi<RoutingState>;
  alerts: StoreApi<AlertsState>;
}

export interface PanelStoresOptions {
  storage: KeyValueStorage | null;
  systemLanguages: readonly string[];
  requestBuffer?: number;
  /** Live chart points kept (one per second). */
  livePoints?: number;
}

export function createPanelStores(o: PanelStoresOptions): PanelStores {
  return {
    connection: createConnectionStore(),
    requests: createRequestsStore(o.requestBuffer),
    loadTests: createLoadTestsStore(),
    settings: createSettingsStore(),
    prefs: createPrefsStore(o.storage, o.systemLanguages),
    toasts: createToastsStore(),
    metrics: createMetricsStore(o.livePoints),
    cache: createCacheStore(),
    routing: createRoutingStore(),
    alerts: createAlertsStore(),
  };
}
