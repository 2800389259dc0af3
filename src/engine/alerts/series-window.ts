// The watched series over a rolling window of closed seconds: p95 latency, error rate, hit rate,
// throughput, spend rate. Detectors use a short window (a few seconds), rules a longer one.
import type { AlertMetric } from '../../shared/alerts.ts';
import { GroupStats } from '../metrics/group-stats.ts';

export type SeriesValues = Partial<Record<AlertMetric, number | null>>;

export interface SeriesWindowOptions {
  seconds: number;
  /** Percentiles and rates are null with fewer requests (too noisy to judge). Default 20. */
  minRequests?: number;
}

export class SeriesWindow {
  readonly #slots: GroupStats[];
  readonly #minRequests: number;
  #pos = 0;
  #filled = 0;

  constructor(opts: SeriesWindowOptions) {
    if (!Number.isInteger(opts?.seconds) || opts.seconds < 1) throw new RangeError(`SeriesWindow: options.seconds must be a positive integer, got ${opts?.seconds}`);
    this.#slots = Array.from({ length: opts.seconds }, () => new GroupStats());
    this.#minRequests = opts.minRequests ?? 20;
  }

  /** Add one closed second (copied; the caller may reuse it). */
  push(second: GroupStats): void {
    const slot = this.#slots[this.#pos];
    slot.reset();
    slot.merge(second);
    this.#pos = (this.#pos + 1) % this.#slots.length;
    if (this.#filled < this.#slots.length) this.#filled++;
  }

  values(): SeriesValues {
    const sum = new GroupStats();
    for (let i = 0; i < this.#filled; i++) sum.merge(this.#slots[i]);
    const secs = Math.max(1, this.#filled);
    const enough = sum.requests >= this.#minRequests;
    const looked = sum.hits + sum.cache.miss;
    return {
      'throughput.rps': this.#filled === 0 ? null : sum.requests / secs,
      'latency.p50Ms': enough ? sum.latency.quantile(0.5) : null,
      'latency.p95Ms': enough ? sum.latency.quantile(0.95) : null,
      'latency.p99Ms': enough ? sum.latency.quantile(0.99) : null,
      'firstByte.p95Ms': sum.firstByte.count >= this.#minRequests ? sum.firstByte.quantile(0.95) : null,
      errorRate: enough ? sum.errors / sum.requests : null,
      'cache.hitRate': looked >= this.#minRequests ? sum.hits / looked : null,
      'spend.usdPerHour': this.#filled === 0 ? null : (sum.costUsd / secs) * 3600,
    };
  }
}
