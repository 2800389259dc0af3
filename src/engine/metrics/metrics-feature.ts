// Metrics as a capability: records every finished request, closes one-second buckets on the
// injected clock and pushes the live snapshot as a `metrics` event each second, rolls history up
// into sluice.db, and serves the admin routes, `GET /metrics` and the legacy JSON summaries.
// Offers `services.metrics` (snapshots, history, per-second buckets) to the alerts feature.
import type { HistoryRange, HistorySeries, LiveSample, LiveSnapshot, MetricsScope, ProcessStats } from '../../shared/metrics.ts';
import type { TimerHandle } from '../clock.ts';
import type { FeatureDefinition } from '../feature.ts';
import { SLUICE_VERSION } from '../version.ts';
import { implementMetricsAdmin } from './metrics-admin.ts';
import { mountMetricsHttp } from './metrics-http.ts';
import { MetricsRecorder, type SecondBucket } from './metrics-recorder.ts';
import { breakersOf, cacheTiersOf, optionalServices, queueDepthOf } from './optional-services.ts';
import type { BreakerStat } from './prometheus-exposition.ts';
import { ProcessStatsSampler, type ProcessStatsSources } from './process-stats.ts';
import { RecentSamples } from './recent-samples.ts';
import { migrateMetrics, RollupStore } from './rollup-store.ts';
import { toRecordedRequest } from './to-recorded-request.ts';

/** Gauges sampled at the start of each second, handed along with the closed second. */
export interface SecondGauges {
  eventLoopP99Ms: number | null;
  queueDepth: number;
  inFlight: number;
}

export type SecondObserver = (second: SecondBucket, gauges: SecondGauges) => void;

export interface MetricsService {
  /** Figures over the last `windowSeconds` (1..60, default 10). */
  snapshot(windowSeconds?: number): LiveSnapshot;
  history(range: HistoryRange, scope?: MetricsScope): HistorySeries;
  /** The pushed live snapshots of the last `seconds` (overall figures), oldest first. */
  recent(seconds?: number): LiveSample[];
  /** Every closed second (read it during the call; it is reused). */
  onSecond(observer: SecondObserver): () => void;
  /** Open alerts counts, given by the alerts feature for health and `/metrics`. */
  setOpenAlertsSource(source: () => { total: number; critical: number }): void;
}

declare module '../feature.ts' {
  interface Services {
    metrics: MetricsService;
  }
}

/** Seconds covered by the pushed live snapshot. */
export const LIVE_WINDOW_SECONDS = 10;

export interface MetricsFeatureOptions {
  /** Process figures (tests give fixed ones). Default: this process. */
  processSources?: () => ProcessStatsSources;
}

export function createMetricsFeature(opts: MetricsFeatureOptions = {}): FeatureDefinition {
  return {
    name: 'metrics',
    migrations: [{ version: 30, name: 'metrics rollups', up: migrateMetrics }],
    create(host) {
      const { clock, logger } = host.deps;
      const services = optionalServices(host);
      const recorder = new MetricsRecorder({ clock });
      const rollups = new RollupStore({ db: host.db, clock, logger });
      const recent = new RecentSamples();
      let sampler: ProcessStatsSampler | null = null;
      const breakerStates = new Map<string, BreakerStat['state']>();
      let openAlerts: (() => { total: number; critical: number }) | null = null;
      let gauges: SecondGauges = { eventLoopP99Ms: null, queueDepth: 0, inFlight: 0 };
      let timer: TimerHandle | null = null;
      let startedAt = clock.now();
      const pingDb = host.db.prepare('SELECT 1');
      const observers: SecondObserver[] = [];

      recorder.onSecond((second) => {
        rollups.add(second);
        for (const o of observers) {
          try { o(second, gauges); } catch (err) { logger.warn('a metrics observer failed', { error: String(err) }); }
        }
      });
      host.onFinished(({ ctx, summary }) => recorder.record(toRecordedRequest(ctx, summary)));
      const offEvents = host.events.subscribe((e) => { if (e.type === 'breaker') breakerStates.set(e.target, e.state); });

      const latestProcess = (): ProcessStats | null => sampler?.latest ?? null;
      const snapshot = (windowSeconds = LIVE_WINDOW_SECONDS): LiveSnapshot =>
        recorder.snapshot(windowSeconds, { queueDepth: queueDepthOf(services), inFlight: host.inFlight(), process: latestProcess() });
      const databaseOk = () => { try { pingDb.get(); return true; } catch { return false; } };

      const tick = () => {
        const proc = sampler?.sample() ?? null;
        gauges = { eventLoopP99Ms: proc?.eventLoopDelay.p99Ms ?? null, queueDepth: queueDepthOf(services), inFlight: host.inFlight() };
        recorder.tick();
        const snap = recorder.snapshot(LIVE_WINDOW_SECONDS, { queueDepth: gauges.queueDepth, inFlight: gauges.inFlight, process: proc });
        recent.add(snap);
        host.emit({ type: 'metrics', ts: clock.now(), snapshot: snap });
      };
      const loop = () => {
        try { tick(); } catch (err) { logger.warn('metrics: the per-second tick failed', { error: String(err) }); }
        timer = clock.setTimeout(loop, 1000 - (clock.now() % 1000) + 1);
      };

      const service: MetricsService = {
        snapshot,
        history: (range, scope) => rollups.history(range, scope),
        recent: (seconds) => recent.last(seconds),
        onSecond(o) {
          observers.push(o);
          return () => { const i = observers.indexOf(o); if (i >= 0) observers.splice(i, 1); };
        },
        setOpenAlertsSource(source) { openAlerts = source; },
      };
      host.services.metrics = service;
      implementMetricsAdmin(host.admin, service);
      mountMetricsHttp(host, {
        summary: () => ({
          snapshot: snapshot(),
          uptimeSeconds: (clock.now() - startedAt) / 1000,
          version: SLUICE_VERSION,
          breakers: breakersOf(services, breakerStates),
          cacheTiers: cacheTiersOf(services),
          openAlerts: openAlerts?.(),
          databaseOk: databaseOk(),
        }),
        prometheus: () => ({
          counters: recorder.counters,
          cacheTiers: cacheTiersOf(services),
          breakers: breakersOf(services, breakerStates),
          queueDepth: queueDepthOf(services),
          inFlight: host.inFlight(),
          process: latestProcess(),
          openAlerts: openAlerts?.().total,
        }),
      });

      return {
        name: 'metrics',
        start() {
          startedAt = clock.now();
          sampler = new ProcessStatsSampler({ clock, sources: opts.processSources?.() });
          rollups.start();
          timer = clock.setTimeout(loop, 1000 - (clock.now() % 1000) + 1);
        },
        stop() {
          if (timer) clock.clearTimeout(timer);
          timer = null;
          offEvents();
          recorder.tick();
          recorder.flushPartial();
          rollups.close();
          sampler?.close();
          sampler = null;
        },
      };
    },
  };
}

export const metricsFeature: FeatureDefinition = createMetricsFeature();
