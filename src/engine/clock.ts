// Time for the engine. Everything that waits or measures takes a Clock, so tests drive
// hours of TTLs, breaker cool-downs and detector windows without sleeping.

export type TimerHandle = { readonly __timer: true } | object | number;

export interface Clock {
  /** Wall-clock milliseconds since the epoch (for timestamps, TTLs, day/month windows). */
  now(): number;
  /** High-resolution milliseconds from an arbitrary origin (for durations). */
  monotonic(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

interface PendingTimer { at: number; seq: number; fn: () => void; cancelled: boolean }

/** A clock that only moves when told to. `advance(ms)` fires due timers in order. */
export class ManualClock implements Clock {
  #now: number;
  #mono = 0;
  #seq = 0;
  #timers: PendingTimer[] = [];

  constructor(startMs = Date.UTC(2026, 0, 1)) {
    this.#now = startMs;
  }

  now(): number { return this.#now; }
  monotonic(): number { return this.#mono; }

  setTimeout(fn: () => void, ms: number): TimerHandle {
    const timer: PendingTimer = { at: this.#mono + Math.max(0, ms), seq: this.#seq++, fn, cancelled: false };
    this.#timers.push(timer);
    return timer;
  }

  clearTimeout(handle: TimerHandle): void {
    const t = handle as PendingTimer;
    if (t && typeof t === 'object' && 'cancelled' in t) t.cancelled = true;
  }

  /** Move time forward, firing every timer that falls due, in time order. */
  advance(ms: number): void {
    const end = this.#mono + ms;
    for (;;) {
      const due = this.#timers
        .filter((t) => !t.cancelled && t.at <= end)
        .sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.#now += due.at - this.#mono;
      this.#mono = due.at;
      due.cancelled = true;
      due.fn();
    }
    this.#timers = this.#timers.filter((t) => !t.cancelled);
    this.#now += end - this.#mono;
    this.#mono = end;
  }

  /** Set the wall clock without firing timers (e.g. jump to another day). */
  setWallClock(ms: number): void { this.#now = ms; }

  pendingTimers(): number { return this.#timers.filter((t) => !t.cancelled).length; }
}
