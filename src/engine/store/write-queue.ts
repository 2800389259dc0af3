// Write-behind for SQLite: rows queue in memory and are written in one transaction per flush,
// off the request path. A flush runs every `intervalMs` (injected clock) or when `maxRows` wait.
import type { Clock, TimerHandle } from '../clock.ts';
import type { Logger } from '../logger.ts';

export interface WriteQueueOptions<T> {
  clock: Clock;
  logger: Logger;
  name: string;
  intervalMs: number;
  maxRows: number;
  /** Bound on rows kept while writes fail (e.g. disk full); the oldest are dropped past it. */
  maxBacklog?: number;
  /** Writes every row in one transaction. Throwing keeps the rows for the next flush. */
  write(rows: T[]): void;
  onError?(err: unknown): void;
  /** Called once when writes succeed again after failing. */
  onRecover?(): void;
}

export class WriteQueue<T> {
  #opts: WriteQueueOptions<T>;
  #rows: T[] = [];
  #timer: TimerHandle | null = null;
  #dropped = 0;
  #failing = false;

  constructor(opts: WriteQueueOptions<T>) {
    if (opts.intervalMs <= 0) throw new RangeError('WriteQueue: intervalMs must be positive');
    if (opts.maxRows <= 0) throw new RangeError('WriteQueue: maxRows must be positive');
    this.#opts = opts;
  }

  get pending(): number { return this.#rows.length; }
  get dropped(): number { return this.#dropped; }
  get failing(): boolean { return this.#failing; }

  push(row: T): void {
    this.#rows.push(row);
    const backlog = this.#opts.maxBacklog ?? this.#opts.maxRows * 100;
    if (this.#rows.length > backlog) {
      const excess = this.#rows.length - backlog;
      this.#rows.splice(0, excess);
      this.#dropped += excess;
    }
    if (this.#rows.length >= this.#opts.maxRows && !this.#failing) this.flush();
    else if (!this.#timer) this.#timer = this.#opts.clock.setTimeout(() => { this.#timer = null; this.flush(); }, this.#opts.intervalMs);
  }

  flush(): void {
    if (this.#timer) { this.#opts.clock.clearTimeout(this.#timer); this.#timer = null; }
    if (this.#rows.length === 0) return;
    const rows = this.#rows;
    this.#rows = [];
    try {
      this.#opts.write(rows);
      const recovered = this.#failing;
      this.#failing = false;
      if (recovered) {
        this.#opts.logger.info(`${this.#opts.name}: writes recovered`);
        this.#opts.onRecover?.();
      }
    } catch (err) {
      this.#rows = rows.concat(this.#rows);
      if (!this.#failing) this.#opts.logger.warn(`${this.#opts.name}: write failed, will retry`, { error: String((err as Error).message) });
      this.#failing = true;
      this.#opts.onError?.(err);
      if (!this.#timer) this.#timer = this.#opts.clock.setTimeout(() => { this.#timer = null; this.flush(); }, this.#opts.intervalMs);
    }
  }

  close(): void {
    this.flush();
    if (this.#timer) { this.#opts.clock.clearTimeout(this.#timer); this.#timer = null; }
  }
}
