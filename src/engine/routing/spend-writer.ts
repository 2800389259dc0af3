// Spend rows written in batches, off the request path: entries wait in memory (bounded) and go to
// SQLite in one transaction every `flushMs`, when `maxBatch` are waiting, or when someone reads.
// A failed write is logged and its rows dropped (spend in budgets is counted in memory anyway).
import type { Clock, TimerHandle } from '../clock.ts';
import type { Logger } from '../logger.ts';
import type { SpendEntry, SpendRepository } from './spend-repository.ts';

export interface SpendWriterOptions {
  repo: SpendRepository;
  clock: Clock;
  logger: Logger;
  /** Longest wait before pending rows are written (default 250 ms). */
  flushMs?: number;
  /** Rows that trigger a write at once (default 200). */
  maxBatch?: number;
  /** Rows kept while writes fail, beyond which the oldest are dropped (default 10 000). */
  maxPending?: number;
}

export class SpendWriter {
  #o: Required<SpendWriterOptions>;
  #pending: SpendEntry[] = [];
  #timer: TimerHandle | null = null;
  #closed = false;

  constructor(opts: SpendWriterOptions) {
    if (!opts?.repo || !opts.clock || !opts.logger) throw new TypeError('SpendWriter: repo, clock and logger are required');
    this.#o = { flushMs: 250, maxBatch: 200, maxPending: 10_000, ...opts };
    for (const k of ['flushMs', 'maxBatch', 'maxPending'] as const) {
      if (!(Number.isFinite(this.#o[k]) && this.#o[k] > 0)) throw new RangeError(`SpendWriter: ${k} must be positive, got ${this.#o[k]}`);
    }
  }

  get pending(): number { return this.#pending.length; }

  add(e: SpendEntry): void {
    if (this.#closed) return;
    this.#pending.push(e);
    if (this.#pending.length > this.#o.maxPending) this.#pending.splice(0, this.#pending.length - this.#o.maxPending);
    if (this.#pending.length >= this.#o.maxBatch) this.flush();
    else this.#timer ??= this.#o.clock.setTimeout(() => { this.#timer = null; this.flush(); }, this.#o.flushMs);
  }

  /** Write what is waiting now. */
  flush(): void {
    if (this.#timer !== null) {
      this.#o.clock.clearTimeout(this.#timer);
      this.#timer = null;
    }
    if (this.#pending.length === 0) return;
    const batch = this.#pending;
    this.#pending = [];
    try {
      this.#o.repo.recordMany(batch);
    } catch (err) {
      this.#o.logger.warn('routing: writing spend failed; these rows are lost', { rows: batch.length, error: String(err) });
    }
  }

  /** Flush and accept nothing more. */
  close(): void {
    this.flush();
    this.#closed = true;
  }
}
