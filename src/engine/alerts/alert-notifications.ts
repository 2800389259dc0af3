// Sends alert changes to the webhook per the notification settings: only at or above the minimum
// severity, resolved/acknowledged only when asked. The webhook notifier is rebuilt when its URL or
// headers change; delivery is queued and retried off the request path.
import type { Alert, AlertAction, AlertNotificationSettings, AlertSeverity } from '../../shared/alerts.ts';
import type { Clock } from '../clock.ts';
import type { Logger } from '../logger.ts';
import { WebhookNotifier, type FetchLike } from './webhook-notifier.ts';

const RANK: Record<AlertSeverity, number> = { info: 0, warning: 1, critical: 2 };

export interface AlertNotificationsOptions {
  clock: Clock;
  settings: AlertNotificationSettings;
  random?: () => number;
  logger?: Logger;
  fetch?: FetchLike;
  webhook?: { maxAttempts?: number; baseDelayMs?: number; timeoutMs?: number };
}

export class AlertNotifications {
  readonly #o: AlertNotificationsOptions;
  #settings: AlertNotificationSettings;
  #webhook: WebhookNotifier | null = null;

  constructor(opts: AlertNotificationsOptions) {
    if (!opts?.clock) throw new TypeError('AlertNotifications: options.clock is required');
    if (!opts.settings) throw new TypeError('AlertNotifications: options.settings is required');
    this.#o = opts;
    this.#settings = opts.settings;
    this.#rebuild();
  }

  get settings(): AlertNotificationSettings { return this.#settings; }
  get webhook(): WebhookNotifier | null { return this.#webhook; }

  update(next: AlertNotificationSettings): void {
    const changed = next.webhookUrl !== this.#settings.webhookUrl || JSON.stringify(next.webhookHeaders) !== JSON.stringify(this.#settings.webhookHeaders);
    this.#settings = next;
    if (changed) this.#rebuild();
  }

  notify(action: AlertAction, alert: Alert): void {
    if (!this.#webhook || action === 'updated') return;
    if (RANK[alert.severity] < RANK[this.#settings.minSeverity]) return;
    if (action !== 'opened' && !this.#settings.notifyResolved) return;
    this.#webhook.notify(action, alert);
  }

  /** Whether a native desktop notification should announce this newly opened alert. */
  wantsDesktop(alert: Alert): boolean {
    return this.#settings.desktop && RANK[alert.severity] >= RANK[this.#settings.minSeverity];
  }

  /** Queue a test event regardless of the filters; false without a webhook. */
  test(alert: Alert): boolean {
    if (!this.#webhook) return false;
    this.#webhook.notify('opened', alert);
    return true;
  }

  close(): void {
    this.#webhook?.close();
    this.#webhook = null;
  }

  #rebuild(): void {
    this.#webhook?.close();
    const url = this.#settings.webhookUrl;
    this.#webhook = url
      ? new WebhookNotifier({
        url, clock: this.#o.clock, random: this.#o.random, logger: this.#o.logger, fetch: this.#o.fetch,
        headers: this.#settings.webhookHeaders, ...this.#o.webhook,
      })
      : null;
  }
}
