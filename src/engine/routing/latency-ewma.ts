// Exponentially weighted moving average of upstream latency per target, for `least-latency`.
export interface LatencyEwmaOptions {
  /** Weight of a new sample (0..1]. */
  alpha?: number;
}

export class LatencyEwma {
  #alpha: number;
  #values = new Map<string, number>();

  constructor(opts: LatencyEwmaOptions = {}) {
    const alpha = opts.alpha ?? 0.2;
    if (!(alpha > 0 && alpha <= 1)) throw new RangeError(`LatencyEwma: alpha must be in (0, 1], got ${alpha}`);
    this.#alpha = alpha;
  }

  observe(key: string, ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) return;
    const prev = this.#values.get(key);
    this.#values.set(key, prev === undefined ? ms : prev + this.#alpha * (ms - prev));
  }

  get(key: string): number | undefined { return this.#values.get(key); }

  snapshot(): Record<string, number> { return Object.fromEntries(this.#values); }
}
