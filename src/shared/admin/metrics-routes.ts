// Admin routes of metrics: the live snapshot (same figures as the `metrics` event) and history.
import type { HistoryRange, HistorySeries, LiveSample, LiveSnapshot, MetricsScope } from '../metrics.ts';
import { route } from './route.ts';

export interface LiveSnapshotQuery {
  /** Seconds the figures cover, 1..60 (default 10). */
  window?: number;
}

export interface RecentQuery {
  /** Seconds back from the newest sample, 1..300 (default 300). */
  seconds?: number;
}

export interface HistoryQuery {
  range: HistoryRange;
  /** `all` (default), `provider:<id>` or `model:<name>`. */
  scope?: MetricsScope;
}

export const metricsRoutes = {
  metricsLive: route<LiveSnapshotQuery, void, LiveSnapshot>('GET', '/admin/api/metrics/live'),
  metricsHistory: route<HistoryQuery, void, HistorySeries>('GET', '/admin/api/metrics/history'),
  /** The pushed live snapshots of the last minutes (overall figures), oldest first: the live charts' back story. */
  metricsRecent: route<RecentQuery, void, LiveSample[]>('GET', '/admin/api/metrics/recent'),
} as const;
