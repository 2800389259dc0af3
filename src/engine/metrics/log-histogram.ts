// A mergeable log-bucketed histogram: each bucket is `growth` times wider than the one below, so a
// quantile is known within ±(growth-1)/2 of its true value, recording is one Math.log and an
// increment, and two histograms merge by adding their counts. No raw samples are ever kept.

export interface LogHistogramOptions {
  /** Smallest value told apart from zero (values below land in the first bucket). Default 0.01. */
  min?: number;
  /** Largest value told apart (values above land in the last bucket). Default 3_600_000 (one hour in ms). */
  max?: number;
  /** Width ratio between neighbouring buckets, > 1. Default 1.04 (quantiles within ±2 %). */
  growth?: number;
}

interface Layout { min: number; growth: number; logGrowth: number; size: number }

function layoutOf(opts: LogHistogramOptions): Layout {
  const min = opts.min ?? 0.01;
  const max = opts.max ?? 3_600_000;
  const growth = opts.growth ?? 1.04;
  if (!(min > 0) || !Number.isFinite(min)) throw new RangeError(`LogHistogram: min must be a positive number, got ${min}`);
  if (!(max > min) || !Number.isFinite(max)) throw new RangeError(`LogHistogram: max must be a number above min (${min}), got ${max}`);
  if (!(growth > 1) || growth > 2) throw new RangeError(`LogHistogram: growth must be in (1, 2], got ${growth}`);
  const logGrowth = Math.log(growth);
  return { min, growth, logGrowth, size: Math.ceil(Math.log(max / min) / logGrowth) + 2 };
}

export class LogHistogram {
  readonly #layout: Layout;
  readonly #invLogGrowth: number;
  readonly #logMin: number;
  #counts: Float64Array;
  #count = 0;
  #sum = 0;
  #max = 0;

  constructor(opts: LogHistogramOptions = {}) {
    this.#layout = layoutOf(opts);
    this.#invLogGrowth = 1 / this.#layout.logGrowth;
    this.#logMin = Math.log(this.#layout.min);
    this.#counts = new Float64Array(this.#layout.size);
  }

  get count(): number { return this.#count; }
  get sum(): number { return this.#sum; }
  get max(): number { return this.#max; }
  get mean(): number { return this.#count === 0 ? 0 : this.#sum / this.#count; }

  /** Bucket index for a value: 0 holds [0, min], i holds (min·g^(i-1), min·g^i]. Same for every histogram of this layout. */
  indexOf(v: number): number { return this.#index(v); }

  /** Record a value whose bucket index (from `indexOf` on a histogram of the same layout) is known: one log for several histograms. */
  recordAt(index: number, value: number): void {
    if (!(value >= 0)) return;
    this.#counts[index]++;
    this.#count++;
    this.#sum += value;
    if (value > this.#max) this.#max = value;
  }

  #index(v: number): number {
    if (!(v > this.#layout.min)) return 0;
    const i = Math.ceil((Math.log(v) - this.#logMin) * this.#invLogGrowth);
    return i >= this.#layout.size ? this.#layout.size - 1 : i;
  }

  record(value: number, times = 1): void {
    if (!(value >= 0)) return; // NaN and negatives are not latencies
    this.#counts[this.#index(value)] += times;
    this.#count += times;
    this.#sum += value * times;
    if (value > this.#max) this.#max = value;
  }

  /** The value at quantile q (0..1), within the bucket's relative accuracy; 0 when empty. */
  quantile(q: number): number {
    if (this.#count === 0) return 0;
    const rank = Math.max(1, Math.ceil(Math.min(1, Math.max(0, q)) * this.#count));
    let seen = 0;
    const counts = this.#counts;
    for (let i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= rank) return Math.min(this.#max, this.#representative(i));
    }
    return this.#max;
  }

  /** Midpoint (geometric) of bucket i. */
  #representative(i: number): number {
    if (i === 0) return this.#layout.min;
    const upper = this.#layout.min * Math.pow(this.#layout.growth, i);
    return upper * (2 / (1 + this.#layout.growth));
  }

  /** Number of recorded values ≤ bound (bucket-accurate). */
  countAtOrBelow(bound: number): number {
    const last = this.#index(bound);
    let n = 0;
    for (let i = 0; i <= last; i++) n += this.#counts[i];
    return n;
  }

  merge(other: LogHistogram): this {
    if (other.#counts.length !== this.#counts.length || other.#layout.growth !== this.#layout.growth || other.#layout.min !== this.#layout.min) {
      throw new RangeError('LogHistogram: cannot merge histograms with different layouts');
    }
    const a = this.#counts;
    const b = other.#counts;
    for (let i = 0; i < a.length; i++) a[i] += b[i];
    this.#count += other.#count;
    this.#sum += other.#sum;
    if (other.#max > this.#max) this.#max = other.#max;
    return this;
  }

  reset(): void {
    this.#counts.fill(0);
    this.#count = 0;
    this.#sum = 0;
    this.#max = 0;
  }

  /** Sparse, JSON-safe form: [index, count] pairs of the non-empty buckets. */
  toSparse(): { pairs: number[]; sum: number; max: number } {
    const pairs: number[] = [];
    const c = this.#counts;
    for (let i = 0; i < c.length; i++) if (c[i] !== 0) pairs.push(i, c[i]);
    return { pairs, sum: this.#sum, max: this.#max };
  }

  /** Add a sparse form produced by a histogram of the same layout. */
  addSparse(s: { pairs: number[]; sum: number; max: number }): this {
    const c = this.#counts;
    for (let k = 0; k + 1 < s.pairs.length; k += 2) {
      const i = s.pairs[k];
      const n = s.pairs[k + 1];
      if (i < 0 || i >= c.length || !Number.isInteger(i)) throw new RangeError(`LogHistogram: bucket ${i} outside this layout`);
      c[i] += n;
      this.#count += n;
    }
    this.#sum += s.sum;
    if (s.max > this.#max) this.#max = s.max;
    return this;
  }
}
