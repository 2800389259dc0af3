// One circuit breaker per target, kept in a registry. Closed: calls flow and failures are counted in a
// sliding window; N failures within the window open it. Open: calls are refused until the cool-down
// has passed, then one probe is let through (half-open). The probe's success closes it, its failure
// opens it again for another cool-down. State changes are reported through `onStateChange`.
import type { BreakerConfig, BreakerState, BreakerStateName } from '../../shared/routing.ts';
import type { Clock } from '../clock.ts';

export interface BreakerRegistryOptions extends BreakerConfig {
  clock: Clock;
  onStateChange?: (target: string, state: BreakerStateName, previous: BreakerStateName) => void;
}

interface Entry {
  state: BreakerStateName;
  /** Monotonic times of recent failures (closed state). */
  failures: number[];
  openedAt: number | null;
  /** Monotonic time when a probe may go through. */
  probeAtMono: number;
  probeInFlight: boolean;
}

export class BreakerRegistry {
  #opts: BreakerRegistryOptions;
  #entries = new Map<string, Entry>();

  constructor(opts: BreakerRegistryOptions) {
    if (!opts?.clock) throw new TypeError('BreakerRegistry: clock is required');
    if (!Number.isInteger(opts.failureThreshold) || opts.failureThreshold < 1) {
      throw new RangeError(`BreakerRegistry: failureThreshold must be a positive integer, got ${opts.failureThreshold}`);
    }
    if (!(opts.windowMs > 0)) throw new RangeError(`BreakerRegistry: windowMs must be positive, got ${opts.windowMs}`);
    if (!(opts.cooldownMs >= 0)) throw new RangeError(`BreakerRegistry: cooldownMs must be non-negative, got ${opts.cooldownMs}`);
    this.#opts = { ...opts };
  }

  /** Change thresholds (config reload) without forgetting states. */
  configure(cfg: BreakerConfig): void {
    this.#opts = { ...this.#opts, ...cfg };
  }

  /** The state as a router should see it: an open breaker past its cool-down reads as half-open. Does not change anything. */
  state(target: string): BreakerStateName {
    const e = this.#entries.get(target);
    if (!e) return 'closed';
    if (e.state === 'open' && this.#opts.clock.monotonic() >= e.probeAtMono) return 'half-open';
    return e.state;
  }

  /** True when a call to the target would be refused right now. Pure read. */
  isOpen(target: string): boolean {
    const e = this.#entries.get(target);
    if (!e || e.state === 'closed') return false;
    if (e.state === 'half-open') return e.probeInFlight;
    return this.#opts.clock.monotonic() < e.probeAtMono;
  }

  /** Ask to call the target. Open past cool-down → half-open and this caller is the probe. */
  tryAcquire(target: string): boolean {
    const e = this.#entries.get(target);
    if (!e || e.state === 'closed') return true;
    if (e.state === 'open') {
      if (this.#opts.clock.monotonic() < e.probeAtMono) return false;
      this.#set(target, e, 'half-open');
      e.probeInFlight = true;
      return true;
    }
    if (e.probeInFlight) return false;
    e.probeInFlight = true;
    return true;
  }

  onSuccess(target: string): void {
    const e = this.#entries.get(target);
    if (!e) return;
    e.failures.length = 0;
    e.probeInFlight = false;
    if (e.state !== 'closed') {
      e.openedAt = null;
      this.#set(target, e, 'closed');
    }
  }

  onFailure(target: string): void {
    const now = this.#opts.clock.monotonic();
    let e = this.#entries.get(target);
    if (!e) {
      e = { state: 'closed', failures: [], openedAt: null, probeAtMono: 0, probeInFlight: false };
      this.#entries.set(target, e);
    }
    if (e.state === 'half-open' || e.state === 'open') {
      e.probeInFlight = false;
      this.#open(target, e, now);
      return;
    }
    const since = now - this.#opts.windowMs;
    while (e.failures.length && e.failures[0] <= since) e.failures.shift();
    e.failures.push(now);
    if (e.failures.length >= this.#opts.failureThreshold) this.#open(target, e, now);
  }

  /** A call that was acquired but ended without a verdict (client gone): let another probe through. */
  release(target: string): void {
    const e = this.#entries.get(target);
    if (e) e.probeInFlight = false;
  }

  reset(target?: string): void {
    const keys = target === undefined ? [...this.#entries.keys()] : [target];
    for (const k of keys) {
      const e = this.#entries.get(k);
      if (!e) continue;
      this.#entries.delete(k);
      if (e.state !== 'closed') this.#opts.onStateChange?.(k, 'closed', e.state);
    }
  }

  snapshot(): BreakerState[] {
    const mono = this.#opts.clock.monotonic();
    const wall = this.#opts.clock.now();
    const since = mono - this.#opts.windowMs;
    return [...this.#entries].map(([target, e]) => ({
      target,
      state: this.state(target),
      failures: e.state === 'closed' ? e.failures.filter((t) => t > since).length : e.failures.length,
      openedAt: e.openedAt,
      probeAt: e.state === 'closed' ? null : wall + Math.max(0, e.probeAtMono - mono),
    }));
  }

  #open(target: string, e: Entry, now: number): void {
    e.failures.length = 0;
    e.probeAtMono = now + this.#opts.cooldownMs;
    e.openedAt = this.#opts.clock.now();
    if (e.state !== 'open') this.#set(target, e, 'open');
  }

  #set(target: string, e: Entry, state: BreakerStateName): void {
    const prev = e.state;
    e.state = state;
    if (prev !== state) this.#opts.onStateChange?.(target, state, prev);
  }
}
