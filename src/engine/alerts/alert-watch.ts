// The glue between metrics and alerts. Fed every finished request (runaway loops) and every closed
// second (anomaly detectors and rules), plus events from elsewhere (breakers, cache rebuilds,
// storage failures); it opens and resolves alerts through the AlertManager. Nothing here runs on the request path except
// one map update per request for the runaway detector.
import { ANOMALY_BAD_DIRECTION, type AlertMetric, type AlertRule, type AlertSeverity } from '../../shared/alerts.ts';
import { HEALTH_LIMITS } from '../metrics/legacy-summaries.ts';
import type { SecondBucket } from '../metrics/metrics-recorder.ts';
import type { RecordedRequest } from '../metrics/recorded-request.ts';
import { AnomalyDetector, type AnomalyDetectorOptions, type AnomalyEvent } from './anomaly-detector.ts';
import type { AlertManager } from './alert-manager.ts';
import { RuleEvaluator } from './alert-rules.ts';
import { LimitDetector, type LimitEvent } from './limit-detector.ts';
import { METRIC_NEXT_STEP, NEXT_STEP } from './next-steps.ts';
import { RunawayDetector, type RunawayDetectorOptions, type RunawayEvent } from './runaway-detector.ts';
import { SeriesWindow, type SeriesValues } from './series-window.ts';
import { SpendSampler } from './spend-sampler.ts';

/**
 * The series watched by anomaly detectors, and how. Each is sampled once a second over the last few
 * seconds, except spend: one sample per block of seconds holding enough priced requests (spend-sampler.ts),
 * 5 s when spend is steady and dense, minutes when it is sparse, so its counts are in blocks: each
 * block learnt, 20 to warm up, a ring of 120, a lasting new level learnt after 120 anomalous ones.
 */
export const DEFAULT_DETECTORS: Partial<Record<AlertMetric, AnomalyDetectorOptions>> = {
  'latency.p95Ms': { direction: 'up', minScale: 10, relativeScale: 0.1 },
  errorRate: { direction: 'up', minScale: 0.02, relativeScale: 0 },
  'cache.hitRate': { direction: 'down', minScale: 0.03, relativeScale: 0 },
  'throughput.rps': { direction: 'both', minScale: 1, relativeScale: 0.1 },
  'eventLoop.p99Ms': { direction: 'up', minScale: 10, relativeScale: 0.2 },
  'spend.usdPerHour': {
    direction: 'up', minScale: 0.01, relativeScale: 0.15, warmupSamples: 20, baselineSize: 120, baselineEvery: 1, adaptAfterSamples: 120, clearSamples: 5,
  },
};

/** `bad`: the direction that is a problem; absent when either is (the title then says which way it went). */
const LABELS: Partial<Record<AlertMetric, { name: string; unit: (v: number) => string }>> = {
  'latency.p95Ms': { name: 'p95 latency', unit: (v) => `${Math.round(v)} ms` },
  errorRate: { name: 'Error rate', unit: (v) => `${(v * 100).toFixed(1)} %` },
  'cache.hitRate': { name: 'Cache hit rate', unit: (v) => `${(v * 100).toFixed(1)} %` },
  'throughput.rps': { name: 'Throughput', unit: (v) => `${v.toFixed(1)} req/s` },
  'eventLoop.p99Ms': { name: 'Event-loop delay p99', unit: (v) => `${v.toFixed(1)} ms` },
  'spend.usdPerHour': { name: 'Spend rate', unit: (v) => `$${v.toFixed(2)}/h` },
};

export interface SecondExtras {
  eventLoopP99Ms?: number | null;
  /** Fractions 0..1 of the daily and monthly budgets used (from the budgets module). */
  budgetDailyUsed?: number | null;
  budgetMonthlyUsed?: number | null;
  queueDepth?: number;
  inFlight?: number;
}

export interface AlertWatchOptions {
  manager: AlertManager;
  rules?: AlertRule[];
  /** Seconds each detector sample covers. Default 5. */
  detectorWindowSeconds?: number;
  /** Seconds each rule value covers. Default 60. */
  ruleWindowSeconds?: number;
  /** Detector settings per series; `false` turns one off. Defaults: DEFAULT_DETECTORS. */
  detectors?: Partial<Record<AlertMetric, AnomalyDetectorOptions | false>>;
  /** `false` turns the runaway-loop detector off. */
  runaway?: RunawayDetectorOptions | false;
  /** How long a cache-rebuilt notice stays open. Default 10 min. */
  noticeMs?: number;
  /**
   * How long an upstream-outage alert stays open after its breaker closes, so an upstream that fails
   * on and off (the breaker opening again after each probe) keeps one alert. Default 60 s.
   */
  outageSettleMs?: number;
  /** Requests a window needs before percentiles and rates are judged. Default 20. */
  minRequests?: number;
}

export class AlertWatch {
  readonly #manager: AlertManager;
  readonly #short: SeriesWindow;
  readonly #long: SeriesWindow;
  readonly #spend = new SpendSampler();
  readonly #detectors = new Map<AlertMetric, AnomalyDetector>();
  /**
   * The error rate above which health reports "degraded", beside the error-rate detector (and off
   * with it): a baseline learnt from failing traffic would take that rate as usual. Both raise the
   * one error-rate alert, which closes when neither holds.
   */
  readonly #errorLimit: LimitDetector | null;
  readonly #rules: RuleEvaluator;
  readonly #runaway: RunawayDetector | null;
  readonly #noticeMs: number;
  readonly #outageSettleMs: number;
  readonly #ruleWindowMs: number;
  #values: SeriesValues = {};

  constructor(opts: AlertWatchOptions) {
    if (!opts?.manager) throw new TypeError('AlertWatch: options.manager is required');
    this.#manager = opts.manager;
    this.#short = new SeriesWindow({ seconds: opts.detectorWindowSeconds ?? 5, minRequests: opts.minRequests });
    this.#long = new SeriesWindow({ seconds: opts.ruleWindowSeconds ?? 60, minRequests: opts.minRequests });
    this.#ruleWindowMs = (opts.ruleWindowSeconds ?? 60) * 1000;
    const config = { ...DEFAULT_DETECTORS, ...opts.detectors };
    for (const [metric, o] of Object.entries(config) as Array<[AlertMetric, AnomalyDetectorOptions | false]>) {
      if (o) this.#detectors.set(metric, new AnomalyDetector(o));
    }
    const errorRate = config.errorRate;
    // tuned as the detector is: as many samples in a row to open as a spike, as many calm ones to end
    this.#errorLimit = errorRate
      ? new LimitDetector({ limit: HEALTH_LIMITS.errorRate, openSamples: errorRate.spikeSamples, clearSamples: errorRate.clearSamples })
      : null;
    this.#rules = new RuleEvaluator(opts.rules ?? []);
    this.#runaway = opts.runaway === false ? null : new RunawayDetector(opts.runaway ?? {});
    this.#noticeMs = opts.noticeMs ?? 600_000;
    this.#outageSettleMs = opts.outageSettleMs ?? 60_000;
  }

  /** The rule-window values computed at the last second (for the panel). */
  get values(): SeriesValues { return this.#values; }

  setRules(rules: AlertRule[]): void { this.#rules.setRules(rules); }

  /** How long a cache-rebuilt notice stays open. */
  get noticeMs(): number { return this.#noticeMs; }

  /**
   * A rule alert left open by the previous run (at `now`): judged again from the next second, it
   * closes when its condition no longer holds; a missing value waits for one rule window first.
   */
  adoptRule(id: string, since: number, now: number): void {
    this.#rules.adopt(id, since, now + this.#ruleWindowMs);
  }

  /** Per finished request. Cheap: one map update when the request has a prompt fingerprint. */
  onRequest(r: RecordedRequest): void {
    if (!this.#runaway || !r.promptFingerprint) return;
    const e = this.#runaway.observe(r.client || 'anonymous', r.promptFingerprint, r.ts);
    if (e) this.#onRunaway(e);
  }

  /** Per closed second (wire to `MetricsRecorder.onSecond`). */
  onSecond(second: SecondBucket, extras: SecondExtras = {}): void {
    const now = second.ts + 1000;
    this.#short.push(second.overall);
    this.#long.push(second.overall);
    const short: SeriesValues = {
      ...this.#short.values(), 'eventLoop.p99Ms': extras.eventLoopP99Ms ?? null,
      // null until a block of enough priced requests closes (see spend-sampler.ts)
      'spend.usdPerHour': this.#spend.push(second.overall.costUsd, second.overall.priced),
    };
    for (const [metric, det] of this.#detectors) {
      const e = det.observe(short[metric] ?? null);
      if (e) this.#onAnomaly(metric, e);
    }
    const long = this.#long.values();
    if (this.#errorLimit) {
      // at a few requests a second the short window holds too few to judge; the rule window may not
      const e = this.#errorLimit.observe(short.errorRate ?? long.errorRate ?? null);
      if (e) this.#onErrorLimit(e);
    }
    this.#values = {
      ...long,
      'eventLoop.p99Ms': extras.eventLoopP99Ms ?? null,
      'budget.dailyUsedFraction': extras.budgetDailyUsed ?? null,
      'budget.monthlyUsedFraction': extras.budgetMonthlyUsed ?? null,
      'queue.depth': extras.queueDepth ?? null,
      inFlight: extras.inFlight ?? null,
    };
    for (const t of this.#rules.evaluate(this.#values, now)) {
      if (t.type === 'clear') { this.#manager.resolve('rule', t.rule.id, { resolvedValue: t.value }); continue; }
      const r = t.rule;
      this.#manager.raise('rule', {
        key: r.id, severity: r.severity, title: r.name,
        message: `${r.metric} is ${formatValue(r.metric, t.value)} (${r.comparator} ${formatValue(r.metric, r.threshold)}) since ${new Date(t.since).toISOString()}. ${METRIC_NEXT_STEP[r.metric]}`,
        figures: { metric: r.metric, value: t.value, threshold: r.threshold, comparator: r.comparator, forSeconds: r.forSeconds, since: t.since },
      });
    }
    if (this.#runaway) for (const e of this.#runaway.sweep(now)) this.#onRunaway(e);
  }

  /**
   * A circuit breaker changed state: open → an upstream-outage alert; closed → resolved. An HTTP error's
   * status and the upstream's own message are figures of their own beside `lastError` (Sluice's English
   * sentence), so the panel words Sluice's part in the reader's language.
   */
  breaker(target: string, state: 'closed' | 'open' | 'half-open', detail: { failures?: number; lastError?: string; lastStatus?: number; lastUpstreamMessage?: string } = {}): void {
    if (state === 'open') {
      this.#manager.raise('upstream-outage', {
        key: target, severity: 'critical', title: `Upstream ${target} is failing`,
        message: `The circuit breaker for ${target} opened${detail.lastError ? ` after: ${detail.lastError}` : ''}; requests fall back or fail fast. ${NEXT_STEP.outage(target.split('/')[0])}`,
        figures: {
          target, failures: detail.failures ?? null, lastError: detail.lastError ?? null,
          ...(detail.lastStatus !== undefined && detail.lastUpstreamMessage !== undefined ? { lastStatus: detail.lastStatus, lastUpstreamMessage: detail.lastUpstreamMessage } : {}),
        },
      });
    } else if (state === 'closed') {
      this.#manager.resolveAfter('upstream-outage', target, this.#outageSettleMs);
    }
  }

  /** The cache database was found corrupt and rebuilt (entries lost, nothing else). */
  cacheRebuilt(detail: { reason: string; entriesLost?: number }): void {
    this.#manager.raise('cache-rebuilt', {
      severity: 'warning', title: 'Cache database rebuilt',
      message: `The on-disk cache was rebuilt: ${detail.reason}. Cached responses were lost; nothing else was. ${NEXT_STEP.cacheRebuilt}`,
      figures: { reason: detail.reason, entriesLost: detail.entriesLost ?? null },
      autoResolveMs: this.#noticeMs,
    });
  }

  /** A database file cannot be written (`error`: its SQLite code), or works again (`error` null). */
  storage(file: string, error: string | null): void {
    if (error === null) { this.#manager.resolve('storage', file); return; }
    this.#manager.raise('storage', {
      key: file, severity: 'critical',
      title: error === 'SQLITE_FULL' ? 'The disk holding Sluice\'s data is full' : 'Sluice cannot write its database',
      message: `Writes to the request log (${file}) are failing; requests are still proxied, and new log rows wait in memory (bounded) until writes succeed again. ${error === 'SQLITE_FULL' ? NEXT_STEP.storageFull : NEXT_STEP.storage}`,
      figures: { file, error },
    });
  }

  #onAnomaly(metric: AlertMetric, e: AnomalyEvent): void {
    if (e.type === 'resolved') {
      if (metric === 'errorRate' && this.#errorLimit?.active) return;
      this.#manager.resolve('anomaly', metric, { resolvedValue: e.value });
      return;
    }
    const label = LABELS[metric] ?? { name: metric, unit: (v: number) => String(v) };
    const severity = metric === 'errorRate' ? errorRateSeverity(e.value) : 'warning';
    this.#manager.raise('anomaly', {
      key: metric, severity,
      title: `${label.name} unusually ${ANOMALY_BAD_DIRECTION[metric] ?? (e.value >= e.baseline ? 'high' : 'low')}`,
      message: `${label.name} is ${label.unit(e.value)} against a usual ${label.unit(e.baseline)} (${e.reason === 'spike' ? 'sudden change' : 'gradual drift'}). ${METRIC_NEXT_STEP[metric]}`,
      figures: { metric, value: e.value, baseline: e.baseline, scale: e.scale, z: Math.round(e.z * 10) / 10, reason: e.reason },
    });
  }

  /** The error rate crossed the health limit: the error-rate alert, unless the detector already holds it open. */
  #onErrorLimit(e: LimitEvent): void {
    const detecting = this.#detectors.get('errorRate')?.active ?? false;
    if (e.type === 'resolved') {
      if (!detecting) this.#manager.resolve('anomaly', 'errorRate', { resolvedValue: e.value });
      return;
    }
    if (detecting) return;
    const pct = (v: number) => `${(v * 100).toFixed(1)} %`;
    // no baseline in the figures: "against a usual …" would name the level it learnt from the fault
    this.#manager.raise('anomaly', {
      key: 'errorRate', severity: errorRateSeverity(e.value),
      title: `Error rate above ${pct(e.limit)}`,
      message: `Error rate is ${pct(e.value)}, above the ${pct(e.limit)} at which health reports degraded. ${METRIC_NEXT_STEP.errorRate}`,
      figures: { metric: 'errorRate', value: e.value, limit: e.limit, reason: 'limit' },
    });
  }

  /** One alert per client (keyed by the client alone): each further looping prompt updates it. */
  #onRunaway(e: RunawayEvent): void {
    // resolved with the figures it was raised with: the loop it reported, not the count it calmed down to
    if (e.type === 'resolved') { this.#manager.resolve('runaway', e.client); return; }
    const seconds = e.windowMs / 1000;
    const usual = Math.round(e.usual * 2);
    const usually = usual === 0 ? 'a new client: no usual rate yet' : `usually at most ${usual}`;
    this.#manager.raise('runaway', {
      key: e.client, severity: 'warning', title: `Possible runaway loop from ${e.client}`,
      message: e.prompts > 1
        ? `${e.client} is repeating ${e.prompts} prompts, the most repeated ${e.count} times in ${seconds} s (${usually}). ${NEXT_STEP.runaway(e.client)}`
        : `${e.client} sent the same prompt ${e.count} times in ${seconds} s (${usually}). ${NEXT_STEP.runaway(e.client)}`,
      figures: {
        client: e.client, prompts: e.prompts, fingerprint: e.fingerprint.slice(0, 16), count: e.count, windowSeconds: seconds, threshold: e.threshold, usual: e.usual,
      },
    });
  }
}

function errorRateSeverity(rate: number): AlertSeverity {
  return rate >= 0.5 ? 'critical' : 'warning';
}

function formatValue(metric: AlertMetric, v: number | null): string {
  if (v === null) return 'n/a';
  const l = LABELS[metric];
  if (l) return l.unit(v);
  if (metric.startsWith('budget.')) return `${(v * 100).toFixed(0)} %`;
  return String(Math.round(v * 1000) / 1000);
}
