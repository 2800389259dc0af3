// Per-provider admission: at most `limit(provider)` calls at once; the rest wait in a priority
// queue. Picking is by priority with aging — a request's level rises by one for every `agingMs`
// it has waited — so high goes first but low is never starved. A wait that outlasts its timeout
// is refused with QueueTimeoutError (503 + Retry-After); an aborted wait leaves the queue at once.
import { describeValue } from '../../shared/describe-value.ts';
import type { Priority } from '../../shared/targets.ts';
import type { Clock, TimerHandle } from '../clock.ts';
import { QueueTimeoutError, ServiceUnavailableError } from '../errors.ts';
import type { LimiterOutcome, LimiterSample } from './adaptive-limiter.ts';

/** Give the slot back, saying how the call went (default 'ignore': tells the limiter nothing). Idempotent. */
/** Gives the slot back; `kind` names the kind of call for the limiter's latency comparison. */
export type Release = (outcome?: LimiterOutcome, kind?: string) => void;

export interface PrioritySchedulerOptions {
  clock: Clock;
  /** Calls allowed at once for a provider (e.g. its adaptive limiter's current limit). */
  limit: (provider: string) => number;
  /** Told of every released call (feed it to the provider's AdaptiveLimiter). */
  onRelease?: (provider: string, sample: LimiterSample) => void;
  /** Default time a request may wait, ms (default 30 000). */
  queueTimeoutMs?: number;
  /** Waiting requests per provider beyond which new ones are refused at once (default 1 000). */
  maxQueueDepth?: number;
  /** Waiting this long counts as one priority level more (default 2 000 ms). */
  agingMs?: number;
}

export interface ProviderQueueStats {
  provider: string;
  inFlight: number;
  limit: number;
  queued: Record<Priority, number>;
}

interface Waiter {
  priority: Priority;
  enqueuedAt: number;
  resolve: (r: Release) => void;
  reject: (err: unknown) => void;
  timer: TimerHandle | null;
  cleanup: () => void;
}

interface ProviderState {
  inFlight: number;
  queues: Record<Priority, Waiter[]>;
  /** Smoothed time a permit is held, ms (for Retry-After). */
  holdMs: number | null;
}

const LEVEL: Record<Priority, number> = { high: 2, normal: 1, low: 0 };
const ORDER: readonly Priority[] = ['high', 'normal', 'low'];

function nonNegative(name: string, v: number): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new RangeError(`PriorityScheduler: '${name}' must be a non-negative finite number, got ${describeValue(v)}.`);
  return v;
}

export class PriorityScheduler {
  #clock: Clock;
  #limit: (provider: string) => number;
  #onRelease: (provider: string, sample: LimiterSample) => void;
  #timeoutMs: number;
  #maxDepth: number;
  #agingMs: number;
  #providers = new Map<string, ProviderState>();

  constructor(opts: PrioritySchedulerOptions) {
    if (!opts || !opts.clock) throw new TypeError("PriorityScheduler: 'clock' is required.");
    if (typeof opts.limit !== 'function') throw new TypeError("PriorityScheduler: 'limit' must be a function of the provider id.");
    this.#clock = opts.clock;
    this.#limit = opts.limit;
    this.#onRelease = opts.onRelease ?? (() => {});
    this.#timeoutMs = nonNegative('queueTimeoutMs', opts.queueTimeoutMs ?? 30_000);
    this.#maxDepth = nonNegative('maxQueueDepth', opts.maxQueueDepth ?? 1_000);
    this.#agingMs = nonNegative('agingMs', opts.agingMs ?? 2_000);
    if (this.#agingMs === 0) throw new RangeError("PriorityScheduler: 'agingMs' must be positive.");
  }

  /**
   * A slot at once when `provider` is under its limit and nobody waits; null otherwise (then call
   * `acquire`). The hot path: no promise, no timer, one closure.
   */
  tryAcquire(provider: string): Release | null {
    const s = this.#providers.get(provider) ?? this.#stateOf(provider);
    if (s.queues.high.length + s.queues.normal.length + s.queues.low.length > 0 || s.inFlight >= this.#limitOf(provider)) return null;
    return this.#grant(provider, s);
  }

  /** Wait for a slot at `provider`; resolves with the function that gives it back. */
  acquire(provider: string, priority: Priority = 'normal', signal?: AbortSignal, timeoutMs: number = this.#timeoutMs): Promise<Release> {
    if (!(priority in LEVEL)) return Promise.reject(new TypeError(`PriorityScheduler: unknown priority '${describeValue(priority)}'.`));
    if (signal?.aborted) return Promise.reject(signal.reason);
    const s = this.#stateOf(provider);
    if (this.#queued(s) === 0 && s.inFlight < this.#limitOf(provider)) return Promise.resolve(this.#grant(provider, s));
    if (this.#queued(s) >= this.#maxDepth) {
      return Promise.reject(new ServiceUnavailableError(`Provider '${provider}' has ${this.#queued(s)} requests waiting already; try again shortly.`, 'SLUICE_QUEUE_FULL', this.#retryAfterS(provider, s)));
    }
    return new Promise<Release>((resolve, reject) => {
      const w: Waiter = { priority, enqueuedAt: this.#clock.monotonic(), resolve, reject, timer: null, cleanup: () => {} };
      const leave = (err: unknown) => {
        const q = s.queues[priority];
        const i = q.indexOf(w);
        if (i < 0) return;
        q.splice(i, 1);
        this.#finish(w);
        reject(err);
      };
      w.timer = this.#clock.setTimeout(() => {
        w.timer = null;
        leave(new QueueTimeoutError(`Waited ${timeoutMs} ms for a free slot at provider '${provider}' without getting one.`, this.#retryAfterS(provider, s)));
      }, timeoutMs);
      if (signal) {
        const onAbort = () => leave(signal.reason);
        signal.addEventListener('abort', onAbort, { once: true });
        w.cleanup = () => signal.removeEventListener('abort', onAbort);
      }
      s.queues[priority].push(w);
    });
  }

  /** Let queued requests in after a provider's limit went up. */
  refresh(provider: string): void {
    const s = this.#providers.get(provider);
    if (s) this.#drain(provider, s);
  }

  stats(): ProviderQueueStats[] {
    return [...this.#providers].map(([provider, s]) => ({
      provider,
      inFlight: s.inFlight,
      limit: this.#limitOf(provider),
      queued: { high: s.queues.high.length, normal: s.queues.normal.length, low: s.queues.low.length },
    }));
  }

  #stateOf(provider: string): ProviderState {
    let s = this.#providers.get(provider);
    if (!s) {
      s = { inFlight: 0, queues: { high: [], normal: [], low: [] }, holdMs: null };
      this.#providers.set(provider, s);
    }
    return s;
  }

  #limitOf(provider: string): number {
    const n = Math.floor(this.#limit(provider));
    return Number.isFinite(n) ? Math.max(0, n) : 0;
  }

  #queued(s: ProviderState): number {
    return s.queues.high.length + s.queues.normal.length + s.queues.low.length;
  }

  #finish(w: Waiter): void {
    if (w.timer !== null) { this.#clock.clearTimeout(w.timer); w.timer = null; }
    w.cleanup();
  }

  #grant(provider: string, s: ProviderState): Release {
    s.inFlight++;
    const startedAt = this.#clock.monotonic();
    const inFlight = s.inFlight;
    let released = false;
    return (outcome: LimiterOutcome = 'ignore', kind?: string) => {
      if (released) return;
      released = true;
      s.inFlight--;
      const held = this.#clock.monotonic() - startedAt;
      s.holdMs = s.holdMs === null ? held : s.holdMs * 0.8 + held * 0.2;
      try { this.#onRelease(provider, { startedAt, outcome, inFlight, kind }); } finally { this.#drain(provider, s); }
    };
  }

  #drain(provider: string, s: ProviderState): void {
    while (s.inFlight < this.#limitOf(provider)) {
      const w = this.#pick(s);
      if (!w) return;
      s.queues[w.priority].shift();
      this.#finish(w);
      w.resolve(this.#grant(provider, s));
    }
  }

  /** The head of the queue whose level plus aging is highest (ties go to the higher priority). */
  #pick(s: ProviderState): Waiter | undefined {
    const now = this.#clock.monotonic();
    let best: Waiter | undefined;
    let bestScore = -Infinity;
    for (const p of ORDER) {
      const head = s.queues[p][0];
      if (!head) continue;
      const score = LEVEL[p] + (now - head.enqueuedAt) / this.#agingMs;
      if (score > bestScore) { best = head; bestScore = score; }
    }
    return best;
  }

  /** Seconds until a slot is likely free: the queue ahead, at the current pace. */
  #retryAfterS(provider: string, s: ProviderState): number {
    const limit = Math.max(1, this.#limitOf(provider));
    const hold = s.holdMs ?? 1000;
    return Math.max(1, Math.ceil(((this.#queued(s) / limit) * hold) / 1000));
  }
}
