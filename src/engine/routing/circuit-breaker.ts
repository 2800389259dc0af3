// One circuit breaker per target, kept in a registry.
//  - Closed: calls flow and their outcomes are counted over a sliding window. `failureThreshold`
//    retryable failures within the window open it when they came in a row (an outage) or make up at
//    least a fifth of the target's calls in the window (a steady partial failure). A healthy
//    upstream's occasional error does neither, however busy it is.
//  - Open: calls are refused until the cool-down has passed, then one probe is let through
//    (half-open). The probe's success closes it; its failure opens it for another cool-down.
// Every call holds a pass from `tryAcquire` (or `acquireAnyway`) and reports its outcome with it, so
// the breaker can tell the probe from calls that were already under way when it opened: under
// concurrency those finish during the cool-down, and had their successes counted the breaker would
// close again within milliseconds, skipping the cool-down and the probe. Only the probe decides
// while the breaker is not closed; the others' failures are only counted for the outage's figures.
// State changes are reported through `onStateChange`.
import type { BreakerConfig, BreakerState, BreakerStateName } from '../../shared/routing.ts';
import type { Clock } from '../clock.ts';
import { CallWindow } from './call-window.ts';

/**
 * Failures in the window, as a share of the target's calls there, that open its breaker even when
 * successes come between them. Healthy upstreams fail a few percent of calls at most (and fewer
 * `failureThreshold` failures open nothing); at a fifth the target is worth skipping while another
 * is left, and it is the error rate the health check calls degraded.
 */
export const OPENING_FAILURE_SHARE = 0.2;

/** Longest upstream error text an outage keeps (alerts, webhook). */
const LAST_ERROR_CHARS = 500;

/**
 * A retryable failure as the caller reports it, redacted: Sluice's sentence, and for an HTTP error the
 * status and the upstream's own message apart, so the panel can word Sluice's part in the reader's language.
 */
export interface BreakerFailure {
  text: string;
  status?: number;
  upstreamMessage?: string;
}

/** What a breaker knows about its outage when it opens. */
export interface BreakerOutage {
  /** Retryable failures that opened it, plus those counted since (failed probes, calls already under way). */
  failures: number;
  /** The upstream's last error, as the caller reported it (redacted). */
  lastError: string | null;
  /** The last error's HTTP status, when it was an HTTP error. */
  lastStatus: number | null;
  /** The upstream's own message in that error, when it was an HTTP error. */
  lastUpstreamMessage: string | null;
}

export interface BreakerRegistryOptions extends BreakerConfig {
  clock: Clock;
  /** `outage` is given when the state is 'open'. */
  onStateChange?: (target: string, state: BreakerStateName, previous: BreakerStateName, outage?: BreakerOutage) => void;
}

/** Held by one call to a target from its start to its outcome. */
export interface BreakerPass {
  readonly target: string;
  /** Order of issue across the registry: tells calls begun before a state change from those after. */
  readonly seq: number;
}

interface Entry {
  state: BreakerStateName;
  /** Outcomes of calls begun in the current closed period. */
  window: CallWindow;
  /** Counted failures since the last counted success. */
  streak: number;
  /** Passes up to this one began before the breaker last closed: their outcomes are not counted. */
  closedSeq: number;
  /** The probe's pass while one is out (half-open), else 0. */
  probeSeq: number;
  openedAt: number | null;
  /** Monotonic time when a probe may go through. */
  probeAtMono: number;
  /** While not closed: the outage's failures (see BreakerOutage). */
  failures: number;
  last: BreakerFailure | null;
  /** Listed in snapshots once a call to it has failed (as before successes were counted). */
  listed: boolean;
}

const clip = (text: string) => (text.length > LAST_ERROR_CHARS ? `${text.slice(0, LAST_ERROR_CHARS - 1)}…` : text);

export class BreakerRegistry {
  #opts: BreakerRegistryOptions;
  #entries = new Map<string, Entry>();
  #seq = 0;

  constructor(opts: BreakerRegistryOptions) {
    if (!opts?.clock) throw new TypeError('BreakerRegistry: clock is required');
    validate(opts);
    this.#opts = { ...opts };
  }

  /** Change thresholds (config reload) without forgetting states. A new window length starts the counts afresh. */
  configure(cfg: BreakerConfig): void {
    validate(cfg);
    const windowChanged = cfg.windowMs !== this.#opts.windowMs;
    this.#opts = { ...this.#opts, ...cfg };
    if (windowChanged) for (const e of this.#entries.values()) e.window = new CallWindow(cfg.windowMs);
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
    if (e.state === 'half-open') return e.probeSeq !== 0;
    return this.#opts.clock.monotonic() < e.probeAtMono;
  }

  /**
   * Ask to call the target: a pass to report the outcome with, or null when the breaker refuses the
   * call. Open past its cool-down → half-open, and this call is the probe.
   */
  tryAcquire(target: string): BreakerPass | null {
    const pass = { target, seq: ++this.#seq };
    const e = this.#entries.get(target);
    if (!e || e.state === 'closed') return pass;
    if (e.state === 'open') {
      if (this.#opts.clock.monotonic() < e.probeAtMono) return null;
      this.#set(target, e, 'half-open');
    } else if (e.probeSeq !== 0) {
      return null;
    }
    e.probeSeq = pass.seq;
    return pass;
  }

  /** A pass for a call made although the breaker refused it (no other target left): its outcome decides nothing. */
  acquireAnyway(target: string): BreakerPass {
    return { target, seq: ++this.#seq };
  }

  onSuccess(pass: BreakerPass): void {
    const e = this.#entry(pass.target);
    if (e.state === 'closed') {
      if (pass.seq <= e.closedSeq) return;
      e.streak = 0;
      e.window.add(this.#opts.clock.monotonic(), false);
      return;
    }
    // a call begun before the breaker opened, or made anyway: not a sign the upstream recovered
    if (pass.seq !== e.probeSeq) return;
    this.#close(pass.target, e);
  }

  /** A retryable failure. `error`: the upstream's error, already redacted. */
  onFailure(pass: BreakerPass, error?: BreakerFailure): void {
    const now = this.#opts.clock.monotonic();
    const e = this.#entry(pass.target);
    e.listed = true;
    if (error?.text) {
      e.last = {
        text: clip(error.text), ...(error.status !== undefined ? { status: error.status } : {}),
        ...(error.upstreamMessage !== undefined ? { upstreamMessage: clip(error.upstreamMessage) } : {}),
      };
    }
    if (e.state !== 'closed') {
      e.failures++;
      if (pass.seq === e.probeSeq) {
        e.probeSeq = 0;
        this.#open(pass.target, e, now);
      }
      return;
    }
    if (pass.seq <= e.closedSeq) return;
    e.streak++;
    e.window.add(now, true);
    const { calls, failures } = e.window.totals(now);
    const threshold = this.#opts.failureThreshold;
    if (failures >= threshold && (e.streak >= threshold || failures >= OPENING_FAILURE_SHARE * calls)) {
      e.failures = failures;
      this.#open(pass.target, e, now);
    }
  }

  /** A call that ended without a verdict (client gone, a client error): if it was the probe, let another through. */
  release(pass: BreakerPass): void {
    const e = this.#entries.get(pass.target);
    if (e && e.probeSeq === pass.seq) e.probeSeq = 0;
  }

  /** Whether Sluice keeps a breaker for the target: it has called it since the start. */
  has(target: string): boolean {
    return this.#entries.has(target);
  }

  reset(target?: string): void {
    const keys = target === undefined ? [...this.#entries.keys()] : [target];
    for (const k of keys) {
      const e = this.#entries.get(k);
      if (!e) continue;
      const prev = e.state;
      this.#clear(e);
      e.listed = false;
      if (prev !== 'closed') this.#opts.onStateChange?.(k, 'closed', prev);
    }
  }

  snapshot(): BreakerState[] {
    const mono = this.#opts.clock.monotonic();
    const wall = this.#opts.clock.now();
    return [...this.#entries].filter(([, e]) => e.listed).map(([target, e]) => ({
      target,
      state: this.state(target),
      failures: e.state === 'closed' ? e.window.totals(mono).failures : e.failures,
      openedAt: e.openedAt,
      // a whole ms, as every other time here (the monotonic clock has fractions), not before the probe may go
      probeAt: e.state === 'closed' ? null : Math.ceil(wall + Math.max(0, e.probeAtMono - mono)),
    }));
  }

  #entry(target: string): Entry {
    let e = this.#entries.get(target);
    if (!e) {
      e = {
        state: 'closed', window: new CallWindow(this.#opts.windowMs), streak: 0, closedSeq: 0, probeSeq: 0,
        openedAt: null, probeAtMono: 0, failures: 0, last: null, listed: false,
      };
      this.#entries.set(target, e);
    }
    return e;
  }

  #open(target: string, e: Entry, now: number): void {
    e.probeAtMono = now + this.#opts.cooldownMs;
    e.openedAt = this.#opts.clock.now();
    e.window.clear();
    e.streak = 0;
    // reported on every opening, the first and each failed probe's, with the outage's figures so far
    this.#set(target, e, 'open', {
      failures: e.failures, lastError: e.last?.text ?? null, lastStatus: e.last?.status ?? null, lastUpstreamMessage: e.last?.upstreamMessage ?? null,
    });
  }

  #close(target: string, e: Entry): void {
    const prev = e.state;
    this.#clear(e);
    this.#opts.onStateChange?.(target, 'closed', prev);
  }

  /** Closed, counting afresh: outcomes of calls begun before now are not counted. */
  #clear(e: Entry): void {
    e.state = 'closed';
    e.window.clear();
    e.streak = 0;
    e.closedSeq = this.#seq;
    e.probeSeq = 0;
    e.openedAt = null;
    e.failures = 0;
    e.last = null;
  }

  #set(target: string, e: Entry, state: BreakerStateName, outage?: BreakerOutage): void {
    const prev = e.state;
    e.state = state;
    if (prev !== state) this.#opts.onStateChange?.(target, state, prev, outage);
  }
}

function validate(cfg: BreakerConfig): void {
  if (!Number.isInteger(cfg.failureThreshold) || cfg.failureThreshold < 1) {
    throw new RangeError(`BreakerRegistry: failureThreshold must be a positive integer, got ${cfg.failureThreshold}`);
  }
  if (!(cfg.windowMs > 0)) throw new RangeError(`BreakerRegistry: windowMs must be positive, got ${cfg.windowMs}`);
  if (!(cfg.cooldownMs >= 0)) throw new RangeError(`BreakerRegistry: cooldownMs must be non-negative, got ${cfg.cooldownMs}`);
}
