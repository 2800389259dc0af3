// An AIMD concurrency limit per provider. It creeps up (about +1 per limit's worth of good
// answers) while latency stays near its recent minimum and the limit is actually used; it is cut
// multiplicatively on 429s, timeouts or inflated latency (above `latencyTolerance` × the recent minimum
// and at least `latencySlackMs` above it) — once per generation of requests, so a
// burst of 429s from calls already in flight does not collapse it to the floor.
// Latency is compared within one kind of call (embeddings, speech, a stream's headers): a 25 ms
// embeddings call must not make a 300 ms time-to-first-token look inflated. A complete chat answer's
// time is mostly its length, so it is fed as 'success-unmeasured': it lets the limit grow, and only
// 429s, overloads and timeouts cut it.
import type { Clock } from '../clock.ts';
import type { LimiterConfig } from '../../shared/scheduling.ts';

/** How a call ended, as far as the provider's capacity is concerned. */
export type LimiterOutcome = 'success' | 'success-unmeasured' | 'overload' | 'ignore';

export interface LimiterSample {
  /** Monotonic ms when the call got its permit. */
  startedAt: number;
  outcome: LimiterOutcome;
  /** Calls in flight when it started (growth only when the limit is really in use). */
  inFlight?: number;
  /** What kind of call it was; latency is only compared with calls of the same kind. */
  kind?: string;
}

/** The minimum latency of one kind of call over the current and previous windows, and its smoothed latency. */
interface LatencyTrack { min: number | null; prevMin: number | null; windowStart: number; smoothed: number | null }

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
  #tracks = new Map<string, LatencyTrack>();
  /** The kind last measured: what stats() reports. */
  #lastKind: string | null = null;
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
  }

  /** Calls allowed at once right now. */
  get limit(): number { return Math.floor(this.#limit); }

  /** Feed the end of one call. */
  record(sample: LimiterSample): void {
    if (sample.outcome === 'ignore') return;
    const now = this.#clock.monotonic();
    if (sample.outcome === 'overload') { this.#cut(sample.startedAt, now); return; }
    if (sample.outcome === 'success') {
      const kind = sample.kind ?? '';
      let track = this.#tracks.get(kind);
      if (!track) this.#tracks.set(kind, (track = { min: null, prevMin: null, windowStart: now, smoothed: null }));
      this.#lastKind = kind;
      const latency = Math.max(0, now - sample.startedAt);
      const minLatency = observe(track, latency, now, this.#window);
      track.smoothed = track.smoothed === null ? latency : track.smoothed * 0.8 + latency * 0.2;
      if (this.#inflated(latency, minLatency)) {
        // One slow answer is noise; a smoothed latency that is inflated too means a queue is building.
        if (this.#inflated(track.smoothed, minLatency)) this.#cut(sample.startedAt, now);
        return;
      }
    }
    const inFlight = sample.inFlight ?? this.limit;
    if (inFlight * 2 >= this.limit) this.#limit = Math.min(this.#max, this.#limit + 1 / Math.max(1, this.limit));
  }

  stats(): LimiterStats {
    const t = this.#lastKind === null ? undefined : this.#tracks.get(this.#lastKind);
    return { limit: this.limit, minLatencyMs: t ? currentMin(t) : null, smoothedLatencyMs: t?.smoothed ?? null, decreases: this.#decreases };
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
    for (const t of this.#tracks.values()) t.smoothed = null;
    this.#decreases++;
  }
}

/** Track the minimum latency over the current and previous windows; returns it. */
function observe(t: LatencyTrack, latency: number, now: number, windowMs: number): number {
  if (now - t.windowStart >= windowMs) {
    t.prevMin = t.min;
    t.min = null;
    t.windowStart = now;
  }
  t.min = t.min === null ? latency : Math.min(t.min, latency);
  return currentMin(t) as number;
}

function currentMin(t: LatencyTrack): number | null {
  if (t.min === null) return t.prevMin;
  return t.prevMin === null ? t.min : Math.min(t.min, t.prevMin);
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
