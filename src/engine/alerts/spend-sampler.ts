// The spend-rate series for its anomaly detector. Spend arrives in lumps, one per priced request:
// at a priced request every few seconds most 5-second windows hold none and the one that holds a
// request reads as a jump, so a detector fed per-second windows learnt a usual spend of $0 and
// called every priced request a sudden change (QA: 16 alerts in 22 minutes of steady spend). A
// sample here is the spend over a block of seconds long enough to hold `minCharges` priced
// requests (at least `minSeconds`, at most `maxSeconds`); blocks do not overlap, so each sample is
// fresh evidence. Steady spend, however sparse, becomes the baseline; when spend jumps, blocks
// fill in a few seconds and the jump shows at once.

export interface SpendSamplerOptions {
  /** Shortest block, in seconds. Default 5. */
  minSeconds?: number;
  /** Priced requests a block holds before it closes. Default 20 (with 10, a block's rate, a count over a time,
   * has a tail long enough that ordinary blocks read as jumps now and then). */
  minCharges?: number;
  /** Longest block, in seconds: it then closes with what it holds (nothing spent: a rate of 0). Default 300. */
  maxSeconds?: number;
}

function positiveInteger(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`SpendSampler: options.${name} must be a positive integer, got ${v}`);
  return v;
}

export class SpendSampler {
  readonly #minSeconds: number;
  readonly #minCharges: number;
  readonly #maxSeconds: number;
  #seconds = 0;
  #usd = 0;
  #charges = 0;

  constructor(opts: SpendSamplerOptions = {}) {
    this.#minSeconds = positiveInteger('minSeconds', opts.minSeconds ?? 5);
    this.#minCharges = positiveInteger('minCharges', opts.minCharges ?? 20);
    this.#maxSeconds = positiveInteger('maxSeconds', opts.maxSeconds ?? 300);
    if (this.#maxSeconds < this.#minSeconds) throw new RangeError('SpendSampler: options.maxSeconds cannot be below options.minSeconds');
  }

  /**
   * One closed second: what it spent (USD) and how many requests it charged. Returns the block's
   * spend rate in USD per hour when this second closes a block, else null (no sample yet).
   */
  push(usd: number, charges: number): number | null {
    this.#seconds++;
    this.#usd += Math.max(0, usd);
    this.#charges += Math.max(0, charges);
    if (this.#seconds < this.#minSeconds || (this.#charges < this.#minCharges && this.#seconds < this.#maxSeconds)) return null;
    const rate = (this.#usd / this.#seconds) * 3600;
    this.#seconds = 0;
    this.#usd = 0;
    this.#charges = 0;
    return rate;
  }
}
