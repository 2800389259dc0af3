// An online anomaly detector for one series sampled once a second. The baseline is robust and
// updates itself: the median and MAD of recent normal samples (no week of history needed, a short
// warm-up). Two tests run on the standardised residual z = (x − median) / scale:
//  - spike: z beyond `spikeThreshold` for `spikeSamples` samples in a row (sudden faults);
//  - drift: a CUSUM of z − slack crossing `cusumThreshold` (slow creep the baseline would follow).
// While anomalous the baseline is frozen, so a fault is not learnt as normal; after
// `adaptAfterSamples` anomalous samples it starts learning again, so a lasting level shift ends.

export type AnomalyDirection = 'up' | 'down' | 'both';

export interface AnomalyDetectorOptions {
  /** Which way is bad: latency 'up', hit rate 'down', throughput 'both'. */
  direction: AnomalyDirection;
  /** Absolute floor on the scale, in the series' unit (e.g. 0.02 for an error rate). */
  minScale: number;
  /** Floor on the scale relative to the baseline median. Default 0.05. */
  relativeScale?: number;
  /** Samples learnt before any verdict. Default 60. */
  warmupSamples?: number;
  /** Normal samples kept in the baseline. Default 600. */
  baselineSize?: number;
  /** Learn one normal sample in this many (stretches the baseline over a longer time). Default 2. */
  baselineEvery?: number;
  /** Default 6. */
  spikeThreshold?: number;
  /** Default 3. */
  spikeSamples?: number;
  /** CUSUM slack k. Default 1. */
  cusumSlack?: number;
  /** CUSUM decision interval h. Default 40. */
  cusumThreshold?: number;
  /** |z| under which a sample counts as calm. Default 2.5. */
  clearThreshold?: number;
  /** Calm samples in a row that end an anomaly. Default 10. */
  clearSamples?: number;
  /** Anomalous samples after which the baseline learns again (a new normal). Default 900. */
  adaptAfterSamples?: number;
}

export interface AnomalyEvent {
  type: 'opened' | 'resolved';
  reason: 'spike' | 'drift';
  value: number;
  baseline: number;
  scale: number;
  z: number;
}

function positive(name: string, v: number, integer = false): number {
  if (!(typeof v === 'number' && Number.isFinite(v) && v > 0) || (integer && !Number.isInteger(v))) {
    throw new RangeError(`AnomalyDetector: options.${name} must be a positive ${integer ? 'integer' : 'number'}, got ${v}`);
  }
  return v;
}

export class AnomalyDetector {
  readonly #o: Required<AnomalyDetectorOptions>;
  readonly #ring: Float64Array;
  #ringLen = 0;
  #ringPos = 0;
  #skip = 0;
  #median = 0;
  #scale = 1;
  #dirty = true;
  #sinceRecompute = 0;
  #cusum = 0;
  #run = 0;
  #calm = 0;
  #anomalous = 0;
  #active: 'spike' | 'drift' | null = null;
  #lastZ = 0;

  constructor(opts: AnomalyDetectorOptions) {
    if (!opts || !['up', 'down', 'both'].includes(opts.direction)) throw new RangeError(`AnomalyDetector: options.direction must be 'up', 'down' or 'both', got ${opts?.direction}`);
    if (!(opts.minScale >= 0)) throw new RangeError(`AnomalyDetector: options.minScale must be ≥ 0, got ${opts.minScale}`);
    this.#o = {
      direction: opts.direction,
      minScale: opts.minScale,
      relativeScale: opts.relativeScale ?? 0.05,
      warmupSamples: positive('warmupSamples', opts.warmupSamples ?? 60, true),
      baselineSize: positive('baselineSize', opts.baselineSize ?? 600, true),
      baselineEvery: positive('baselineEvery', opts.baselineEvery ?? 2, true),
      spikeThreshold: positive('spikeThreshold', opts.spikeThreshold ?? 6),
      spikeSamples: positive('spikeSamples', opts.spikeSamples ?? 3, true),
      cusumSlack: positive('cusumSlack', opts.cusumSlack ?? 1),
      cusumThreshold: positive('cusumThreshold', opts.cusumThreshold ?? 40),
      clearThreshold: positive('clearThreshold', opts.clearThreshold ?? 2.5),
      clearSamples: positive('clearSamples', opts.clearSamples ?? 10, true),
      adaptAfterSamples: positive('adaptAfterSamples', opts.adaptAfterSamples ?? 900, true),
    };
    if (this.#o.warmupSamples > this.#o.baselineSize) throw new RangeError('AnomalyDetector: options.warmupSamples cannot exceed options.baselineSize');
    this.#ring = new Float64Array(this.#o.baselineSize);
  }

  get active(): boolean { return this.#active !== null; }
  get warmedUp(): boolean { return this.#ringLen >= this.#o.warmupSamples; }
  get baseline(): number { this.#recompute(); return this.#median; }
  get lastZ(): number { return this.#lastZ; }

  /** Feed one sample (null: no data this second, ignored). Returns an event when the verdict changes. */
  observe(value: number | null): AnomalyEvent | null {
    if (value === null || !Number.isFinite(value)) return null;
    if (!this.warmedUp) { this.#learn(value); return null; }
    this.#recompute();
    const o = this.#o;
    const scale = Math.max(this.#scale, o.minScale, o.relativeScale * Math.abs(this.#median), 1e-9);
    const z = (value - this.#median) / scale;
    this.#lastZ = z;
    const d = o.direction === 'up' ? z : o.direction === 'down' ? -z : Math.abs(z);
    this.#cusum = Math.max(0, this.#cusum + Math.min(d, 10) - o.cusumSlack);
    this.#run = d > o.spikeThreshold ? this.#run + 1 : 0;
    const figures = { value, baseline: this.#median, scale, z };

    if (this.#active === null) {
      if (d < o.clearThreshold) this.#learnMaybe(value);
      const reason = this.#run >= o.spikeSamples ? 'spike' : this.#cusum > o.cusumThreshold ? 'drift' : null;
      if (reason) {
        this.#active = reason;
        this.#calm = 0;
        this.#anomalous = 0;
        return { type: 'opened', reason, ...figures };
      }
      return null;
    }

    this.#anomalous++;
    if (this.#anomalous > o.adaptAfterSamples) this.#learnMaybe(value);
    this.#calm = d < o.clearThreshold ? this.#calm + 1 : 0;
    if (this.#calm >= o.clearSamples) {
      const reason = this.#active;
      this.#active = null;
      this.#cusum = 0;
      this.#run = 0;
      return { type: 'resolved', reason, ...figures };
    }
    return null;
  }

  #learnMaybe(v: number): void {
    if (++this.#skip >= this.#o.baselineEvery) { this.#skip = 0; this.#learn(v); }
  }

  #learn(v: number): void {
    this.#ring[this.#ringPos] = v;
    this.#ringPos = (this.#ringPos + 1) % this.#ring.length;
    if (this.#ringLen < this.#ring.length) this.#ringLen++;
    // Median and MAD are recomputed every 10 learnt samples (a sort of ≤ 600 numbers).
    if (++this.#sinceRecompute >= 10 || this.#ringLen <= this.#o.warmupSamples) this.#dirty = true;
  }

  #recompute(): void {
    if (!this.#dirty || this.#ringLen === 0) return;
    this.#dirty = false;
    this.#sinceRecompute = 0;
    const values = this.#ring.slice(0, this.#ringLen).sort();
    this.#median = medianOfSorted(values);
    const dev = values.map((x) => Math.abs(x - this.#median)).sort();
    this.#scale = 1.4826 * medianOfSorted(dev);
  }
}

function medianOfSorted(a: Float64Array): number {
  const n = a.length;
  if (n === 0) return 0;
  const mid = n >> 1;
  return n % 2 ? a[mid] : (a[mid - 1] + a[mid]) / 2;
}
