// Alert webhooks: each event is POSTed as JSON, in order, off the request path. Failures are
// retried with exponential backoff and jitter on the injected clock; past `maxAttempts` the event
// is dropped and logged. The queue is bounded (oldest dropped), so a dead endpoint costs nothing.
import type { Alert, AlertAction } from '../../shared/alerts.ts';
import type { Clock } from '../clock.ts';
import type { Logger } from '../logger.ts';

export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body: string; signal: AbortSignal }) => Promise<{ status: number }>;

export interface WebhookPayload {
  type: 'sluice.alert';
  action: AlertAction;
  alert: Alert;
  sentAt: number;
}

export interface WebhookNotifierOptions {
  url: string;
  clock: Clock;
  fetch?: FetchLike;
  logger?: Logger;
  /** Uniform [0, 1) for jitter. Default Math.random. */
  random?: () => number;
  /** Default 5. */
  maxAttempts?: number;
  /** First retry after this, doubling each time. Default 1000 ms. */
  baseDelayMs?: number;
  /** Default 60 000 ms. */
  maxDelayMs?: number;
  /** One attempt may take this long. Default 10 000 ms. */
  timeoutMs?: number;
  /** Events waiting at most. Default 100. */
  maxQueue?: number;
  headers?: Record<string, string>;
}

export class WebhookNotifier {
  readonly #o: Required<Omit<WebhookNotifierOptions, 'logger' | 'headers'>> & { logger?: Logger; headers: Record<string, string> };
  readonly #queue: Array<{ action: AlertAction; alert: Alert }> = [];
  #busy = false;
  #closed = false;
  #delivered = 0;
  #dropped = 0;
  #idle: Array<() => void> = [];
  /** Cuts the current attempt or backoff wait short (on close). */
  #interrupt: (() => void) | null = null;

  constructor(opts: WebhookNotifierOptions) {
    let url: URL;
    try { url = new URL(opts?.url); } catch { throw new TypeError(`WebhookNotifier: options.url must be an absolute http(s) URL, got ${opts?.url}`); }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`WebhookNotifier: options.url must use http or https, got ${url.protocol}`);
    if (!opts.clock) throw new TypeError('WebhookNotifier: options.clock is required');
    const pos = (name: string, v: number, int = false) => {
      if (!(typeof v === 'number' && v > 0 && Number.isFinite(v)) || (int && !Number.isInteger(v))) throw new RangeError(`WebhookNotifier: options.${name} must be a positive ${int ? 'integer' : 'number'}, got ${v}`);
      return v;
    };
    this.#o = {
      url: opts.url,
      clock: opts.clock,
      fetch: opts.fetch ?? ((u, init) => fetch(u, init)),
      logger: opts.logger,
      random: opts.random ?? Math.random,
      maxAttempts: pos('maxAttempts', opts.maxAttempts ?? 5, true),
      baseDelayMs: pos('baseDelayMs', opts.baseDelayMs ?? 1000),
      maxDelayMs: pos('maxDelayMs', opts.maxDelayMs ?? 60_000),
      timeoutMs: pos('timeoutMs', opts.timeoutMs ?? 10_000),
      maxQueue: pos('maxQueue', opts.maxQueue ?? 100, true),
      headers: opts.headers ?? {},
    };
  }

  /** Events waiting or being sent. */
  get pending(): number { return this.#queue.length + (this.#busy ? 1 : 0); }
  get delivered(): number { return this.#delivered; }
  get dropped(): number { return this.#dropped; }

  /** Queue an event; returns at once. */
  notify(action: AlertAction, alert: Alert): void {
    if (this.#closed) return;
    this.#queue.push({ action, alert });
    if (this.#queue.length > this.#o.maxQueue) {
      this.#queue.shift();
      this.#dropped++;
    }
    if (!this.#busy) void this.#pump();
  }

  /** Resolves when the queue is empty (for tests and shutdown). */
  idle(): Promise<void> {
    if (!this.#busy && this.#queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /** Stop sending; waiting events are dropped. */
  close(): void {
    this.#closed = true;
    this.#dropped += this.#queue.length;
    this.#queue.length = 0;
    this.#interrupt?.();
  }

  async #pump(): Promise<void> {
    this.#busy = true;
    try {
      while (this.#queue.length > 0 && !this.#closed) {
        const ev = this.#queue.shift()!;
        const ok = await this.#deliver(ev.action, ev.alert);
        if (ok) this.#delivered++;
        else if (this.#closed) this.#dropped++;
        else {
          this.#dropped++;
          this.#o.logger?.warn('alert webhook: giving up on an event', { alert: ev.alert.id, action: ev.action });
        }
      }
    } finally {
      this.#busy = false;
      for (const r of this.#idle.splice(0)) r();
    }
  }

  async #deliver(action: AlertAction, alert: Alert): Promise<boolean> {
    const o = this.#o;
    for (let attempt = 1; attempt <= o.maxAttempts && !this.#closed; attempt++) {
      const payload: WebhookPayload = { type: 'sluice.alert', action, alert, sentAt: o.clock.now() };
      const ctrl = new AbortController();
      const timer = o.clock.setTimeout(() => ctrl.abort(), o.timeoutMs);
      this.#interrupt = () => ctrl.abort();
      let status = 0;
      try {
        const res = await o.fetch(o.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': 'sluice-alerts', ...o.headers },
          body: JSON.stringify(payload),
          signal: ctrl.signal,
        });
        status = res.status;
      } catch (err) {
        o.logger?.debug('alert webhook: attempt failed', { attempt, error: String((err as Error)?.message ?? err) });
      } finally {
        o.clock.clearTimeout(timer);
        this.#interrupt = null;
      }
      if (status >= 200 && status < 300) return true;
      // A 4xx other than 408/429 will not get better by retrying.
      if (status >= 400 && status < 500 && status !== 408 && status !== 429) return false;
      if (attempt < o.maxAttempts) {
        const delay = Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** (attempt - 1)) * (0.5 + o.random() / 2);
        await new Promise<void>((resolve) => {
          const t = o.clock.setTimeout(resolve, delay);
          this.#interrupt = () => { o.clock.clearTimeout(t); resolve(); };
        });
        this.#interrupt = null;
      }
    }
    return false;
  }
}
