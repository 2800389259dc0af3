// Alerts as a capability: detectors and user rules fed from each closed second of metrics, the
// runaway-loop detector fed per request, outage / cache-rebuilt / budget / storage alerts from engine events.
// Alerts are stored in sluice.db, pushed as `alert` events, listed and acknowledged through the
// admin API, and sent to an optional webhook (queued, retried, never on the request path). Alerts
// the previous run left open are settled at start (reloaded-alerts.ts).
import type { Alert, AlertNotificationSettings, AlertRule } from '../../shared/alerts.ts';
import type { EngineEvent } from '../../shared/events.ts';
import type { TimerHandle } from '../clock.ts';
import type { FeatureDefinition } from '../feature.ts';
import { optionalServices } from '../metrics/optional-services.ts';
import type { RecordedRequest } from '../metrics/recorded-request.ts';
import { KeyFile } from '../store/key-file.ts';
import { AlertManager } from './alert-manager.ts';
import { AlertNotifications } from './alert-notifications.ts';
import { validateAlertRules } from './alert-rules.ts';
import { AlertStore, migrateAlerts } from './alert-store.ts';
import { AlertWatch } from './alert-watch.ts';
import { NEXT_STEP } from './next-steps.ts';
import { implementAlertsAdmin } from './alerts-admin.ts';
import { resolveAlertsConfig, validateNotificationSettings } from './alerts-config.ts';
import type { FetchLike } from './webhook-notifier.ts';
import { promptFingerprint } from './prompt-fingerprint.ts';
import { settleReloadedAlerts } from './reloaded-alerts.ts';
import { WebhookHeaderVault } from './webhook-header-secrets.ts';

export interface AlertsService {
  readonly manager: AlertManager;
  counts(): { total: number; critical: number };
}

declare module '../feature.ts' {
  interface Services {
    alerts: AlertsService;
  }
}

export const SETTINGS_ALERT_RULES = 'alerts.rules';
export const SETTINGS_ALERT_NOTIFICATIONS = 'alerts.notifications';
/** Budget alerts close by themselves after a day unless raised again. */
const BUDGET_ALERT_MS = 86_400_000;
const PRUNE_EVERY_MS = 3_600_000;

export interface AlertsFeatureOptions {
  /** The webhook's HTTP client (tests). Default: global fetch. */
  fetch?: FetchLike;
}

export function createAlertsFeature(opts: AlertsFeatureOptions = {}): FeatureDefinition {
  return {
    name: 'alerts',
    migrations: [{ version: 40, name: 'alerts', up: migrateAlerts }],
    create(host) {
      const { clock, logger, newId, random } = host.deps;
      const cfg = resolveAlertsConfig(host.config().alerts);
      const store = new AlertStore(host.db);
      const vault = new WebhookHeaderVault({ codec: host.deps.secrets, keyFile: new KeyFile({ dir: host.deps.dataDir }), logger });
      const storedNotifications = host.settings.get<unknown>(SETTINGS_ALERT_NOTIFICATIONS);
      const notifications = new AlertNotifications({
        clock, random, logger, fetch: opts.fetch, webhook: cfg.webhook,
        settings: storedNotifications === undefined ? cfg.notifications : safeNotifications(vault.restore(storedNotifications), cfg.notifications),
      });
      if (vault.holdsClear(storedNotifications)) {
        // an older build kept the webhook header values in clear in sluice.db (and its history): moved where they belong
        host.settings.set(SETTINGS_ALERT_NOTIFICATIONS, vault.toStored(notifications.settings), clock.now());
        host.settings.scrubHistory(SETTINGS_ALERT_NOTIFICATIONS, (v) => vault.scrub(v));
      }
      const manager = new AlertManager({
        clock, newId, store, logger, notifier: notifications,
        onAlert: (action, alert) => host.emit({
          type: 'alert', ts: clock.now(), action, alert, desktop: action === 'opened' && notifications.wantsDesktop(alert),
        }),
      });
      const storedRules = host.settings.get<unknown>(SETTINGS_ALERT_RULES);
      let rules: AlertRule[] = cfg.rules;
      if (storedRules !== undefined) {
        try { rules = validateAlertRules(storedRules, 'stored alert rules'); } catch (err) {
          logger.warn('the stored alert rules are invalid; using the config file\'s', { error: String((err as Error).message) });
        }
      }
      const watch = new AlertWatch({
        manager, rules, detectors: cfg.detectors, runaway: cfg.runaway, minRequests: cfg.minRequests,
      });
      const services = optionalServices(host);
      let pruneTimer: TimerHandle | null = null;
      const offs: Array<() => void> = [];

      const service: AlertsService = {
        manager,
        counts() {
          const open = manager.open();
          return { total: open.length, critical: open.filter((a) => a.severity === 'critical').length };
        },
      };
      host.services.alerts = service;
      host.services.metrics?.setOpenAlertsSource(() => service.counts());

      implementAlertsAdmin(host.admin, {
        manager,
        rules: () => rules,
        saveRules(next) {
          host.settings.set(SETTINGS_ALERT_RULES, next, clock.now());
          rules = next;
          watch.setRules(next);
          host.emit({ type: 'config', ts: clock.now(), section: 'alerts' });
        },
        notifications: () => notifications.settings,
        saveNotifications(next) {
          host.settings.set(SETTINGS_ALERT_NOTIFICATIONS, vault.toStored(next), clock.now());
          notifications.update(next);
          host.emit({ type: 'config', ts: clock.now(), section: 'alerts' });
        },
        testWebhook: () => notifications.test(testAlert(clock.now(), newId())),
      });

      /**
       * A budget alert closes once its budget is gone (removed, renamed) or below the level it was raised
       * for (a new window, a higher limit): it had stayed open for a day whatever became of the budget.
       */
      const settleBudgetAlerts = () => {
        const open = manager.open().filter((a) => a.kind === 'budget');
        const statuses = open.length ? services.routing?.budgetStatuses?.() : undefined;
        if (!statuses) return;
        const levels = new Map(statuses.map((b) => [b.id, b.level]));
        for (const a of open) {
          const level = levels.get(a.key);
          if (level === undefined || level === 'ok' || (a.severity === 'critical' && level !== 'exhausted')) manager.resolve('budget', a.key);
        }
      };

      const onEvent = (e: EngineEvent) => {
        if (e.type === 'breaker') {
          watch.breaker(e.target, e.state, {
            failures: e.failures, lastError: e.lastError ?? undefined, lastStatus: e.lastStatus ?? undefined, lastUpstreamMessage: e.lastUpstreamMessage ?? undefined,
          });
        }
        else if (e.type === 'storage') watch.storage(e.file, e.state === 'failing' ? e.error ?? 'unknown' : null);
        else if (e.type === 'cache' && e.action === 'rebuilt') {
          const d = (e.detail ?? {}) as { reason?: unknown; error?: unknown };
          watch.cacheRebuilt({ reason: String(d.reason ?? d.error ?? 'unreadable database') });
        } else if (e.type === 'budget') raiseBudget(e.budget, e.level, e.detail);
      };

      function raiseBudget(budget: string, level: 'threshold' | 'exhausted', detail: unknown): void {
        const d = (detail ?? {}) as Record<string, unknown>;
        const exhausted = level === 'exhausted';
        manager.raise('budget', {
          key: budget, severity: exhausted ? 'critical' : 'warning',
          title: exhausted ? `Budget ${budget} exhausted` : `Budget ${budget} nearly used`,
          message: exhausted
            ? `The budget ${budget} is used up; requests it covers are refused or rerouted. ${NEXT_STEP.budgetExhausted}`
            : `The budget ${budget} crossed its alert threshold. ${NEXT_STEP.budgetNear}`,
          figures: Object.fromEntries(Object.entries(d).filter(([, v]) => v === null || typeof v === 'number' || typeof v === 'string')) as Alert['figures'],
          autoResolveMs: BUDGET_ALERT_MS,
        });
      }

      /**
       * Budgets already past a mark when the alerts start (loaded before anyone listened, or over since
       * a previous run): the alert a crossing raises, unless that run's alert for the level is still open.
       */
      const raiseBudgetMarks = () => {
        for (const m of services.routing?.budgetMarks?.() ?? []) {
          const open = manager.open().find((a) => a.kind === 'budget' && a.key === m.budget);
          const severity = m.level === 'exhausted' ? 'critical' : 'warning';
          if (open?.severity === severity) continue;
          // it was exhausted and is now only nearly used (a higher limit): that alert closes, this one opens
          if (open) manager.resolve('budget', m.budget);
          raiseBudget(m.budget, m.level, m);
        }
      };

      // Listening from now, not from start(): features start in order, and the cache feature's start(),
      // which comes first, tells of a cache.db found unreadable while it was built. Such events wait
      // until start() has settled the previous run's alerts, then count like any other. Budget events of
      // that time are not kept: start() raises the marks budgets are past from the tracker's state
      // (raiseBudgetMarks), which also knows an alert the last run left open.
      let early: EngineEvent[] | null = [];
      const offEvents = host.events.subscribe((e) => {
        if (!(e.type === 'breaker' || e.type === 'storage' || e.type === 'budget' || (e.type === 'cache' && e.action === 'rebuilt'))) return;
        if (!early) onEvent(e);
        else if (e.type !== 'budget') early.push(e);
      });
      offs.push(offEvents);

      if (cfg.enabled && cfg.runaway !== false) {
        host.onFinished(({ ctx, summary }) => {
          const fp = promptFingerprint(ctx.endpoint, ctx.body);
          if (fp === null) return;
          const r: RecordedRequest = { ...summary, promptFingerprint: fp };
          watch.onRequest(r);
        });
      }

      const prune = () => {
        try { store.prune(clock.now() - cfg.retentionMs); } catch (err) { logger.warn('alerts: pruning failed', { error: String(err) }); }
        pruneTimer = clock.setTimeout(prune, PRUNE_EVERY_MS);
      };

      return {
        name: 'alerts',
        start() {
          const metrics = host.services.metrics;
          // first, before this run's detectors raise anything of their own
          settleReloadedAlerts({
            manager, disabled: !cfg.enabled,
            adoptRule: metrics ? (id, since) => watch.adoptRule(id, since, clock.now()) : undefined,
            noticeMs: { 'cache-rebuilt': watch.noticeMs, budget: BUDGET_ALERT_MS },
          });
          const before = early ?? [];
          early = null;
          if (!cfg.enabled) { offEvents(); return; }
          for (const e of before) onEvent(e);
          raiseBudgetMarks();
          if (metrics) {
            offs.push(metrics.onSecond((second, g) => {
              settleBudgetAlerts();
              const budget = services.routing?.budgetUsage?.();
              watch.onSecond(second, {
                eventLoopP99Ms: g.eventLoopP99Ms, queueDepth: g.queueDepth, inFlight: g.inFlight,
                budgetDailyUsed: budget?.daily ?? null, budgetMonthlyUsed: budget?.monthly ?? null,
              });
            }));
          } else {
            logger.warn('alerts: no metrics feature; anomaly detectors and rules are idle');
          }
          prune();
        },
        stop() {
          for (const off of offs.splice(0)) off();
          if (pruneTimer) clock.clearTimeout(pruneTimer);
          pruneTimer = null;
          manager.close();
          notifications.close();
        },
      };

      function safeNotifications(stored: unknown, fallback: AlertNotificationSettings): AlertNotificationSettings {
        try { return validateNotificationSettings(stored, 'stored notification settings', fallback); } catch (err) {
          logger.warn('the stored alert notification settings are invalid; using the config file\'s', { error: String((err as Error).message) });
          return fallback;
        }
      }
    },
  };
}

function testAlert(now: number, id: string): Alert {
  return {
    id, kind: 'test', key: 'test', severity: 'info', title: 'Test alert from Sluice',
    message: 'This is a test of the alert webhook; nothing is wrong.', figures: {},
    openedAt: now, updatedAt: now, resolvedAt: now, acknowledgedAt: null, occurrences: 1,
  };
}

export const alertsFeature: FeatureDefinition = createAlertsFeature();
