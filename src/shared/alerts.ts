// Alerts and alert rules as the control panel reads and writes them. Plain data only.

export type AlertSeverity = 'info' | 'warning' | 'critical';
export const ALERT_SEVERITIES: readonly AlertSeverity[] = ['info', 'warning', 'critical'];

/** Where an alert came from. */
export type AlertKind = 'anomaly' | 'rule' | 'runaway' | 'upstream-outage' | 'cache-rebuilt' | 'budget' | (string & {});

export interface Alert {
  id: string;
  kind: AlertKind;
  /** Identifies the condition within its kind: while an alert with the same kind and key is open, it is updated, not repeated. */
  key: string;
  severity: AlertSeverity;
  title: string;
  message: string;
  /** The figures behind it (observed value, baseline, threshold, …). */
  figures: Record<string, number | string | null>;
  openedAt: number;
  /** Last time the condition was seen. */
  updatedAt: number;
  resolvedAt: number | null;
  acknowledgedAt: number | null;
  /** How many times the condition fired while this alert was open. */
  occurrences: number;
}

/** Series a rule or the anomaly detectors can watch. */
export type AlertMetric =
  | 'latency.p50Ms'
  | 'latency.p95Ms'
  | 'latency.p99Ms'
  | 'firstByte.p95Ms'
  | 'errorRate'
  | 'cache.hitRate'
  | 'throughput.rps'
  | 'eventLoop.p99Ms'
  | 'spend.usdPerHour'
  | 'budget.dailyUsedFraction'
  | 'budget.monthlyUsedFraction'
  | 'queue.depth'
  | 'inFlight';

export const ALERT_METRICS: readonly AlertMetric[] = [
  'latency.p50Ms', 'latency.p95Ms', 'latency.p99Ms', 'firstByte.p95Ms', 'errorRate', 'cache.hitRate',
  'throughput.rps', 'eventLoop.p99Ms', 'spend.usdPerHour', 'budget.dailyUsedFraction',
  'budget.monthlyUsedFraction', 'queue.depth', 'inFlight',
];

export type AlertComparator = '>' | '>=' | '<' | '<=';
export const ALERT_COMPARATORS: readonly AlertComparator[] = ['>', '>=', '<', '<='];

/** "cache.hitRate < 0.4 for 300 s" — written by a person. */
export interface AlertRule {
  id: string;
  name: string;
  metric: AlertMetric;
  comparator: AlertComparator;
  threshold: number;
  /** The condition must hold this long before the alert opens (0: at once). */
  forSeconds: number;
  severity: AlertSeverity;
  enabled: boolean;
}

export type AlertAction = 'opened' | 'updated' | 'resolved' | 'acknowledged';
