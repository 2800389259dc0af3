// A target's calls and failures over a sliding time window, for its circuit breaker. Kept as counts
// in a fixed number of slots, so memory does not grow with traffic; the window is exact to one slot
// (a twentieth of it): a call leaves it between 95 % and 100 % of `windowMs` after it was counted.

const SLOTS = 20;

export class CallWindow {
  readonly #slotMs: number;
  /** The slot number (time / slotMs) each slot counts for; -Infinity when empty. */
  readonly #ids = new Float64Array(SLOTS).fill(-Infinity);
  readonly #calls = new Uint32Array(SLOTS);
  readonly #failures = new Uint32Array(SLOTS);

  constructor(windowMs: number) {
    if (!(windowMs > 0)) throw new RangeError(`CallWindow: windowMs must be positive, got ${windowMs}`);
    this.#slotMs = windowMs / SLOTS;
  }

  /** Count one finished call at monotonic time `now`. */
  add(now: number, failed: boolean): void {
    const id = Math.floor(now / this.#slotMs);
    const i = ((id % SLOTS) + SLOTS) % SLOTS;
    if (this.#ids[i] !== id) {
      this.#ids[i] = id;
      this.#calls[i] = 0;
      this.#failures[i] = 0;
    }
    this.#calls[i]++;
    if (failed) this.#failures[i]++;
  }

  /** Calls and failures within the window that ends at `now`. */
  totals(now: number): { calls: number; failures: number } {
    const id = Math.floor(now / this.#slotMs);
    let calls = 0;
    let failures = 0;
    for (let i = 0; i < SLOTS; i++) {
      const slot = this.#ids[i];
      if (slot > id - SLOTS && slot <= id) {
        calls += this.#calls[i];
        failures += this.#failures[i];
      }
    }
    return { calls, failures };
  }

  clear(): void {
    this.#ids.fill(-Infinity);
  }
}
