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

/**
 * The direction an anomaly detector watches a metric for ("unusually high" latency, "unusually low"
 * hit rate); a metric not listed (throughput) is reported in whichever direction it moved.
 */
export const ANOMALY_BAD_DIRECTION: Partial<Record<AlertMetric, 'high' | 'low'>> = {
  'latency.p95Ms': 'high', errorRate: 'high', 'cache.hitRate': 'low', 'eventLoop.p99Ms': 'high', 'spend.usdPerHour': 'high',
};

export const isAlertMetric = (v: unknown): v is AlertMetric => (ALERT_METRICS as readonly unknown[]).includes(v);

/** Metrics that are fractions 0..1 (a rule's threshold too): rates and budgets used. */
export const isFractionMetric = (metric: string): boolean => metric === 'errorRate' || metric === 'cache.hitRate' || metric.startsWith('budget.');

/** An alert rule's id: letters, digits, "_", "." and "-", up to 200 characters. */
export const ALERT_RULE_ID = /^[A-Za-z0-9_.-]{1,200}$/;

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

/** Where alerts go besides the panel. */
export interface AlertNotificationSettings {
  /** POST each alert change as JSON here (null: no webhook). */
  webhookUrl: string | null;
  /**
   * Extra headers for the webhook (e.g. an authorization header the receiver checks). Secrets: the admin
   * API shows each value masked (`Bea…6789`), and a masked value sent back keeps the stored one.
   */
  webhookHeaders: Record<string, string>;
  /** Alerts below this severity are not sent to the webhook or the desktop. */
  minSeverity: AlertSeverity;
  /** Also send resolved and acknowledged changes (not only opened). */
  notifyResolved: boolean;
  /** Native desktop notifications for opened alerts (desktop host only). */
  desktop: boolean;
}

export const DEFAULT_ALERT_NOTIFICATIONS: AlertNotificationSettings = {
  webhookUrl: null, webhookHeaders: {}, minSeverity: 'warning', notifyResolved: true, desktop: true,
};

/** Tuning of one anomaly detector (see the engine's AnomalyDetector). */
export interface AnomalyTuning {
  warmupSamples?: number;
  spikeThreshold?: number;
  spikeSamples?: number;
  clearSamples?: number;
  minScale?: number;
}

/** The `alerts` section of the config file. Rules edited in the panel are stored in sluice.db and win over these. */
export interface AlertsConfig {
  enabled: boolean;
  rules: AlertRule[];
  /** Webhook URL (shorthand for notifications.webhookUrl). */
  webhookUrl?: string | null;
  notifications?: Partial<AlertNotificationSettings>;
  /** Webhook delivery: attempts per event and the first retry delay (doubling). */
  webhook?: { maxAttempts?: number; baseDelayMs?: number; timeoutMs?: number };
  /** Per-series detector tuning; `false` turns a detector off. */
  detectors?: Partial<Record<AlertMetric, AnomalyTuning | false>>;
  /** Requests a window needs before percentiles and rates are judged (default 20). */
  minRequests?: number;
  /** Runaway-loop detector: repeats of one prompt by one client within `windowSeconds`; `false` turns it off. */
  runaway?: { windowSeconds?: number; minRepeats?: number; factor?: number } | false;
  /** Resolved alerts are deleted after this many days (default 90). */
  retentionDays?: number;
}

export interface AlertListQuery {
  status?: 'open' | 'resolved' | 'all';
  limit?: number;
}

export interface AlertList {
  alerts: Alert[];
  open: number;
}
