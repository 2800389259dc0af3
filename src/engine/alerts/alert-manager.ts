// Every alert goes through here: opened (or, while open, updated instead of repeated), resolved
// when its condition clears, acknowledged by a person. Each change is stored, handed to the
// listener (the engine pushes it to the event stream and desktop notifications) and to the webhook.
import type { Alert, AlertAction, AlertKind, AlertSeverity } from '../../shared/alerts.ts';
import type { Clock, TimerHandle } from '../clock.ts';
import { NotFoundError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { AlertListQuery, AlertStore } from './alert-store.ts';

export interface RaiseInput {
  /** Identifies the condition within its kind (default: the kind itself). */
  key?: string;
  severity: AlertSeverity;
  title: string;
  message: string;
  figures?: Alert['figures'];
  /** Resolve by itself after this long unless raised again (for one-off events such as a cache rebuild). */
  autoResolveMs?: number;
}

export type AlertListener = (action: AlertAction, alert: Alert) => void;

export interface AlertManagerOptions {
  clock: Clock;
  newId: () => string;
  store?: AlertStore | null;
  onAlert?: AlertListener;
  /** Receives opened, resolved and acknowledged (not updated) events; must not block. */
  notifier?: { notify(action: AlertAction, alert: Alert): void } | null;
  logger?: Logger;
}

const RANK: Record<AlertSeverity, number> = { info: 0, warning: 1, critical: 2 };

export class AlertManager {
  readonly #o: AlertManagerOptions;
  readonly #open = new Map<string, Alert>();
  readonly #timers = new Map<string, TimerHandle>();
  readonly #recent: Alert[] = [];
  /** Alerts reloaded from the store, by id, with the `updatedAt` they were reloaded with. */
  readonly #reloaded = new Map<string, number>();
  #listeners: AlertListener[] = [];

  constructor(opts: AlertManagerOptions) {
    if (!opts?.clock) throw new TypeError('AlertManager: options.clock is required');
    if (typeof opts.newId !== 'function') throw new TypeError('AlertManager: options.newId must be a function');
    this.#o = opts;
    if (opts.onAlert) this.#listeners.push(opts.onAlert);
    // Alerts left open by the previous run stay open (and deduplicate); most detectors lost their
    // state with that run, so whoever starts the detectors settles them (see `takeReloaded`).
    for (const a of opts.store?.openAlerts() ?? []) {
      this.#open.set(`${a.kind}\u0000${a.key}`, a);
      this.#reloaded.set(a.id, a.updatedAt);
    }
  }

  /**
   * The alerts the previous run left open that are still open and not raised again since, oldest
   * first; each is returned once (the caller decides, per kind, which can still be tracked).
   */
  takeReloaded(): Alert[] {
    const out = this.open().filter((a) => this.#reloaded.get(a.id) === a.updatedAt);
    this.#reloaded.clear();
    return out;
  }

  onAlert(listener: AlertListener): () => void {
    this.#listeners.push(listener);
    return () => { this.#listeners = this.#listeners.filter((l) => l !== listener); };
  }

  raise(kind: AlertKind, input: RaiseInput): Alert {
    const key = input.key ?? kind;
    const k = `${kind}\u0000${key}`;
    const now = this.#o.clock.now();
    let alert = this.#open.get(k);
    let action: AlertAction;
    if (alert) {
      alert = {
        ...alert,
        severity: RANK[input.severity] > RANK[alert.severity] ? input.severity : alert.severity,
        title: input.title,
        message: input.message,
        figures: input.figures ?? alert.figures,
        updatedAt: now,
        occurrences: alert.occurrences + 1,
      };
      action = 'updated';
    } else {
      alert = {
        id: this.#o.newId(), kind, key, severity: input.severity, title: input.title, message: input.message,
        figures: input.figures ?? {}, openedAt: now, updatedAt: now, resolvedAt: null, acknowledgedAt: null, occurrences: 1,
      };
      action = 'opened';
    }
    this.#open.set(k, alert);
    this.#scheduleAutoResolve(k, kind, key, input.autoResolveMs);
    this.#emit(action, alert);
    return alert;
  }

  /**
   * Close the open alert for (kind, key) after `ms`, unless it is raised again before then: a condition
   * that comes and goes keeps one alert (its occurrences counting the returns) instead of a new one each time.
   */
  resolveAfter(kind: AlertKind, key: string, ms: number): void {
    const k = `${kind}\u0000${key}`;
    if (this.#open.has(k)) this.#scheduleAutoResolve(k, kind, key, ms);
  }

  /** Close the open alert for (kind, key), if any. */
  resolve(kind: AlertKind, key: string = kind, figures?: Alert['figures']): Alert | null {
    const k = `${kind}\u0000${key}`;
    const open = this.#open.get(k);
    if (!open) return null;
    this.#open.delete(k);
    const t = this.#timers.get(k);
    if (t) { this.#o.clock.clearTimeout(t); this.#timers.delete(k); }
    const now = this.#o.clock.now();
    const alert: Alert = { ...open, figures: figures ? { ...open.figures, ...figures } : open.figures, resolvedAt: now, updatedAt: now };
    this.#emit('resolved', alert);
    return alert;
  }

  /**
   * Resolve the open alert (kind, key) at the wall-clock time `at` (at once if it has passed) unless
   * it is raised or resolved before: the auto-resolve of a reloaded alert, whose timer died with
   * the previous run.
   */
  resolveAt(kind: AlertKind, key: string, at: number): void {
    if (!this.isOpen(kind, key)) return;
    const ms = at - this.#o.clock.now();
    if (ms <= 0) this.resolve(kind, key);
    else this.#scheduleAutoResolve(`${kind}\u0000${key}`, kind, key, ms);
  }

  acknowledge(id: string): Alert {
    const found = [...this.#open.values()].find((a) => a.id === id) ?? this.#recent.find((a) => a.id === id) ?? this.#o.store?.get(id) ?? null;
    if (!found) throw new NotFoundError(`No alert with id '${id}'.`, 'SLUICE_ALERT_NOT_FOUND');
    if (found.acknowledgedAt !== null) return found;
    const alert: Alert = { ...found, acknowledgedAt: this.#o.clock.now() };
    if (alert.resolvedAt === null) this.#open.set(`${alert.kind}\u0000${alert.key}`, alert);
    this.#emit('acknowledged', alert);
    return alert;
  }

  /** Open alerts, oldest first. */
  open(): Alert[] {
    return [...this.#open.values()].sort((a, b) => a.openedAt - b.openedAt);
  }

  isOpen(kind: AlertKind, key: string = kind): boolean {
    return this.#open.has(`${kind}\u0000${key}`);
  }

  /**
   * Newest opened first. From the store when there is one, with this run's changes laid over it: a
   * change the store could not save (sluice.db's disk full, say) is still listed as it is now.
   */
  list(q: AlertListQuery = {}): Alert[] {
    const limit = q.limit ?? 200;
    const wanted = (a: Alert) => q.status === 'open' ? a.resolvedAt === null : q.status === 'resolved' ? a.resolvedAt !== null : true;
    const byId = new Map<string, Alert>();
    for (const a of this.#o.store?.list(q) ?? []) byId.set(a.id, a);
    for (const a of this.#recent) byId.set(a.id, a); // this run's version of an alert wins over the stored one
    return [...byId.values()].filter(wanted)
      .sort((a, b) => b.openedAt - a.openedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .slice(0, limit);
  }

  /** Cancel auto-resolve timers (alerts stay as they are). */
  close(): void {
    for (const t of this.#timers.values()) this.#o.clock.clearTimeout(t);
    this.#timers.clear();
  }

  #scheduleAutoResolve(k: string, kind: AlertKind, key: string, ms: number | undefined): void {
    const old = this.#timers.get(k);
    if (old) { this.#o.clock.clearTimeout(old); this.#timers.delete(k); }
    if (ms === undefined) return;
    if (!(ms >= 0)) throw new RangeError(`AlertManager.raise: autoResolveMs must be ≥ 0, got ${ms}`);
    this.#timers.set(k, this.#o.clock.setTimeout(() => { this.#timers.delete(k); this.resolve(kind, key); }, ms));
  }

  #emit(action: AlertAction, alert: Alert): void {
    const i = this.#recent.findIndex((a) => a.id === alert.id);
    if (i >= 0) this.#recent[i] = alert; else { this.#recent.push(alert); if (this.#recent.length > 500) this.#recent.shift(); }
    try { this.#o.store?.save(alert); } catch (err) {
      this.#o.logger?.warn('alerts: could not store an alert', { id: alert.id, error: String((err as Error).message) });
    }
    for (const l of this.#listeners) {
      try { l(action, alert); } catch (err) { this.#o.logger?.warn('alerts: listener failed', { error: String((err as Error).message) }); }
    }
    if (action !== 'updated') this.#o.notifier?.notify(action, alert);
  }
}
