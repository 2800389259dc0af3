// The recent outcomes of upstream attempts per provider (the last N within a time window), for the
// error rate shown in provider health. Bounded memory: at most `size` outcomes per provider.
import type { Clock } from '../clock.ts';

export interface AttemptWindowOptions {
  clock: Clock;
  /** Outcomes kept per provider (default 100). */
  size?: number;
  /** Older outcomes do not count (default 5 minutes). */
  windowMs?: number;
}

interface Ring { at: Float64Array; failed: Uint8Array; next: number; count: number }

export class AttemptWindow {
  #clock: Clock;
  #size: number;
  #windowMs: number;
  #rings = new Map<string, Ring>();

  constructor(opts: AttemptWindowOptions) {
    if (!opts?.clock) throw new TypeError('AttemptWindow: clock is required');
    this.#clock = opts.clock;
    this.#size = opts.size ?? 100;
    this.#windowMs = opts.windowMs ?? 300_000;
    if (!Number.isInteger(this.#size) || this.#size < 1) throw new RangeError(`AttemptWindow: size must be a positive integer, got ${opts.size}`);
    if (!(this.#windowMs > 0)) throw new RangeError(`AttemptWindow: windowMs must be positive, got ${opts.windowMs}`);
  }

  record(provider: string, failed: boolean): void {
    let r = this.#rings.get(provider);
    if (!r) {
      r = { at: new Float64Array(this.#size), failed: new Uint8Array(this.#size), next: 0, count: 0 };
      this.#rings.set(provider, r);
    }
    r.at[r.next] = this.#clock.monotonic();
    r.failed[r.next] = failed ? 1 : 0;
    r.next = (r.next + 1) % this.#size;
    r.count = Math.min(this.#size, r.count + 1);
  }

  /** Attempts and failures within the window. */
  stats(provider: string): { attempts: number; errors: number } {
    const r = this.#rings.get(provider);
    if (!r) return { attempts: 0, errors: 0 };
    const since = this.#clock.monotonic() - this.#windowMs;
    let attempts = 0;
    let errors = 0;
    for (let i = 0; i < r.count; i++) {
      if (r.at[i] < since) continue;
      attempts++;
      errors += r.failed[i];
    }
    return { attempts, errors };
  }
}
