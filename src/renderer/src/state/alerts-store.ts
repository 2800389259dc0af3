// Alerts slice: open and recent alerts (bounded), kept current by `alert` events.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Alert, AlertAction, AlertList } from '../../../shared/alerts.ts';

export const DEFAULT_ALERT_BUFFER = 300;

export interface AlertsState {
  /** Newest opened first. */
  alerts: Alert[];
  /** Open alerts (not resolved). */
  open: number;
  /** Open and not yet acknowledged: what the navigation badge counts. */
  unacknowledged: number;
  loaded: boolean;
  setList(list: AlertList): void;
  apply(action: AlertAction, alert: Alert): void;
}

function counts(alerts: Alert[]) {
  let open = 0;
  let unacknowledged = 0;
  for (const a of alerts) {
    if (a.resolvedAt !== null) continue;
    open += 1;
    if (a.acknowledgedAt === null) unacknowledged += 1;
  }
  return { open, unacknowledged };
}

const newestFirst = (a: Alert, b: Alert) => b.openedAt - a.openedAt || (a.id < b.id ? 1 : -1);

export function createAlertsStore(capacity = DEFAULT_ALERT_BUFFER): StoreApi<AlertsState> {
  if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`createAlertsStore: capacity must be a positive integer, got ${capacity}`);
  return createStore<AlertsState>()((set) => ({
    alerts: [],
    open: 0,
    unacknowledged: 0,
    loaded: false,
    setList: (list) => {
      const alerts = [...list.alerts].sort(newestFirst).slice(0, capacity);
      set({ alerts, loaded: true, ...counts(alerts) });
    },
    apply: (_action, alert) => set((s) => {
      if (!alert || typeof alert.id !== 'string') return s;
      const rest = s.alerts.filter((a) => a.id !== alert.id);
      const alerts = [alert, ...rest].sort(newestFirst).slice(0, capacity);
      return { alerts, ...counts(alerts) };
    }),
  }));
}
