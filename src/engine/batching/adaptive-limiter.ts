// An AIMD concurrency limit per provider. It creeps up (about +1 per limit's worth of good
// answers) while latency stays near its recent minimum and the limit is actually used; it is cut
// multiplicatively on 429s, timeouts or inflated latency (above `latencyTolerance` × the recent minimum
// and at least `latencySlackMs` above it) — once per generation of requests, so a
// burst of 429s from calls already in flight does not collapse it to the floor.
import type { Clock } from '../clock.ts';
import type { LimiterConfig } from '../../shared/scheduling.ts';

/** How a call ended, as far as the provider's capacity is concerned. */
export type LimiterOutcome = 'success' | 'overload' | 'ignore';

export interface LimiterSample {
  /** Monotonic ms when the call got its permit. */
  startedAt: number;
  outcome: LimiterOutcome;
  /** Calls in flight when it started (growth only when the limit is really in use). */
  inFlight?: number;
}

export interface AdaptiveLimiterOptions extends Partial<Omit<LimiterConfig, 'enabled'>> {
  clock: Clock;
}

export interface LimiterStats {
  limit: number;
  minLatencyMs: number | null;
  smoothedLatencyMs: number | null;
  decreases: number;
}

function check(cond: boolean, msg: string): void {
  if (!cond) throw new RangeError(`AdaptiveLimiter: ${msg}`);
}

export class AdaptiveLimiter {
  #clock: Clock;
  #min: number;
  #max: number;
  #ratio: number;
  #tolerance: number | null;
  #slack: number;
  #window: number;
  #limit: number;
  #lastCutAt = -Infinity;
  #minLatency: number | null = null;
  #prevMinLatency: number | null = null;
  #windowStart: number;
  #smoothed: number | null = null;
  #decreases = 0;

  constructor(opts: AdaptiveLimiterOptions) {
    check(!!opts && !!opts.clock, "'clock' is required");
    this.#clock = opts.clock;
    this.#min = opts.minLimit ?? 1;
    this.#max = opts.maxLimit ?? 64;
    const initial = opts.initialLimit ?? Math.min(8, this.#max);
    this.#ratio = opts.backoffRatio ?? 0.7;
    this.#tolerance = opts.latencyTolerance === undefined ? 3 : opts.latencyTolerance;
    this.#slack = opts.latencySlackMs ?? 20;
    this.#window = opts.minLatencyWindowMs ?? 60_000;
    check(Number.isInteger(this.#min) && this.#min >= 1, `'minLimit' must be an integer ≥ 1, got ${this.#min}`);
    check(Number.isInteger(this.#max) && this.#max >= this.#min, `'maxLimit' must be an integer ≥ minLimit (${this.#min}), got ${this.#max}`);
    check(Number.isFinite(initial) && initial >= this.#min && initial <= this.#max, `'initialLimit' must lie in [${this.#min}, ${this.#max}], got ${initial}`);
    check(this.#ratio > 0 && this.#ratio < 1, `'backoffRatio' must be in (0, 1), got ${this.#ratio}`);
    check(this.#tolerance === null || this.#tolerance >= 1, `'latencyTolerance' must be ≥ 1 or null, got ${this.#tolerance}`);
    check(Number.isFinite(this.#slack) && this.#slack >= 0, `'latencySlackMs' must be ≥ 0, got ${this.#slack}`);
    check(this.#window > 0, `'minLatencyWindowMs' must be positive, got ${this.#window}`);
    this.#limit = initial;
    this.#windowStart = this.#clock.monotonic();
  }

  /** Calls allowed at once right now. */
  get limit(): number { return Math.floor(this.#limit); }

  /** Feed the end of one call. */
  record(sample: LimiterSample): void {
    if (sample.outcome === 'ignore') return;
    const now = this.#clock.monotonic();
    if (sample.outcome === 'overload') { this.#cut(sample.startedAt, now); return; }
    const latency = Math.max(0, now - sample.startedAt);
    const minLatency = this.#observe(latency, now);
    this.#smoothed = this.#smoothed === null ? latency : this.#smoothed * 0.8 + latency * 0.2;
    if (this.#inflated(latency, minLatency)) {
      // One slow answer is noise; a smoothed latency that is inflated too means a queue is building.
      if (this.#inflated(this.#smoothed, minLatency)) this.#cut(sample.startedAt, now);
      return;
    }
    const inFlight = sample.inFlight ?? this.limit;
    if (inFlight * 2 >= this.limit) this.#limit = Math.min(this.#max, this.#limit + 1 / Math.max(1, this.limit));
  }

  stats(): LimiterStats {
    return { limit: this.limit, minLatencyMs: this.#currentMin(), smoothedLatencyMs: this.#smoothed, decreases: this.#decreases };
  }

  /** Above both `minLatency × tolerance` and `minLatency + slack`. */
  #inflated(latency: number, minLatency: number): boolean {
    return this.#tolerance !== null && latency > minLatency * this.#tolerance && latency - minLatency >= this.#slack;
  }

  #cut(startedAt: number, now: number): void {
    // Calls that started before the last cut saw the old limit: they do not cut again.
    if (startedAt < this.#lastCutAt) return;
    this.#lastCutAt = now;
    this.#limit = Math.max(this.#min, Math.floor(this.#limit * this.#ratio));
    this.#smoothed = null;
    this.#decreases++;
  }

  /** Track the minimum latency over the current and previous windows; returns it. */
  #observe(latency: number, now: number): number {
    if (now - this.#windowStart >= this.#window) {
      this.#prevMinLatency = this.#minLatency;
      this.#minLatency = null;
      this.#windowStart = now;
    }
    this.#minLatency = this.#minLatency === null ? latency : Math.min(this.#minLatency, latency);
    return this.#currentMin() as number;
  }

  #currentMin(): number | null {
    if (this.#minLatency === null) return this.#prevMinLatency;
    return this.#prevMinLatency === null ? this.#minLatency : Math.min(this.#minLatency, this.#prevMinLatency);
  }
}

/** One AdaptiveLimiter per provider, built on first use; a provider's maxConnections caps its maximum. */
export class AdaptiveLimiterSet {
  #config: Omit<LimiterConfig, 'enabled'>;
  #clock: Clock;
  #limiters = new Map<string, AdaptiveLimiter>();

  constructor(opts: { clock: Clock; config: Omit<LimiterConfig, 'enabled'> }) {
    this.#clock = opts.clock;
    this.#config = opts.config;
    new AdaptiveLimiter({ clock: opts.clock, ...opts.config }); // validate now, not on first request
  }

  get(provider: string, maxConnections?: number): AdaptiveLimiter {
    let l = this.#limiters.get(provider);
    if (!l) {
      const maxLimit = Math.max(this.#config.minLimit, Math.min(this.#config.maxLimit, maxConnections ?? Infinity));
      l = new AdaptiveLimiter({ clock: this.#clock, ...this.#config, maxLimit, initialLimit: Math.min(this.#config.initialLimit, maxLimit) });
      this.#limiters.set(provider, l);
    }
    return l;
  }

  delete(provider: string): void { this.#limiters.delete(provider); }
}
