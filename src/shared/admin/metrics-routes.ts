// Admin routes of metrics: the live snapshot (same figures as the `metrics` event) and history.
import type { HistoryRange, HistorySeries, LiveSnapshot, MetricsScope } from '../metrics.ts';
import { route } from './route.ts';

export interface LiveSnapshotQuery {
  /** Seconds the figures cover, 1..60 (default 10). */
  window?: number;
}

export interface HistoryQuery {
  range: HistoryRange;
  /** `all` (default), `provider:<id>` or `model:<name>`. */
  scope?: MetricsScope;
}

export const metricsRoutes = {
  metricsLive: route<LiveSnapshotQuery, void, LiveSnapshot>('GET', '/admin/api/metrics/live'),
  metricsHistory: route<HistoryQuery, void, HistorySeries>('GET', '/admin/api/metrics/history'),
} as const;
