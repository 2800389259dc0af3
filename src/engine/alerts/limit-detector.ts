// A fixed limit on one series sampled once a second, beside its anomaly detector. The detector
// judges against a baseline learnt from the traffic, so a fault present while it learns (a session
// that starts against a flaky upstream) becomes the usual level and is never reported; a limit
// does not learn. Opens after `openSamples` samples in a row above the limit, ends after
// `clearSamples` in a row at or below it. A missing sample (too little traffic) changes nothing.

export interface LimitDetectorOptions {
  /** The value above which the series is a problem, in its unit. */
  limit: number;
  /** Samples in a row above the limit that open it. Default 3. */
  openSamples?: number;
  /** Samples in a row at or below the limit that end it. Default 10. */
  clearSamples?: number;
}

export interface LimitEvent {
  type: 'opened' | 'resolved';
  value: number;
  limit: number;
}

export class LimitDetector {
  readonly #limit: number;
  readonly #openSamples: number;
  readonly #clearSamples: number;
  #run = 0;
  #active = false;

  constructor(opts: LimitDetectorOptions) {
    if (!(typeof opts?.limit === 'number' && Number.isFinite(opts.limit))) throw new RangeError(`LimitDetector: options.limit must be a finite number, got ${opts?.limit}`);
    this.#limit = opts.limit;
    this.#openSamples = count('openSamples', opts.openSamples ?? 3);
    this.#clearSamples = count('clearSamples', opts.clearSamples ?? 10);
  }

  get active(): boolean { return this.#active; }
  get limit(): number { return this.#limit; }

  /** Feed one sample (null: no data this second, ignored). Returns an event when the verdict changes. */
  observe(value: number | null): LimitEvent | null {
    if (value === null || !Number.isFinite(value)) return null;
    // counts samples on the side that would change the verdict
    const changing = this.#active ? value <= this.#limit : value > this.#limit;
    this.#run = changing ? this.#run + 1 : 0;
    if (this.#run < (this.#active ? this.#clearSamples : this.#openSamples)) return null;
    this.#active = !this.#active;
    this.#run = 0;
    return { type: this.#active ? 'opened' : 'resolved', value, limit: this.#limit };
  }
}

function count(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`LimitDetector: options.${name} must be a positive integer, got ${v}`);
  return v;
}
