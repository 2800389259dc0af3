// The last few minutes of the pushed live snapshots, overall figures only, so a panel that opens (or
// reloads, or reconnects) draws its live charts from where they were instead of from an empty axis.
// One small object a second; the per-provider and per-model figures are not kept.
import type { LiveSample, LiveSnapshot } from '../../shared/metrics.ts';

/** Five minutes at one a second: as many as the panel's live charts hold. */
export const RECENT_SAMPLES = 300;

export class RecentSamples {
  readonly capacity: number;
  readonly #items: LiveSample[] = [];

  constructor(capacity = RECENT_SAMPLES) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`RecentSamples: capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
  }

  /** Keep a pushed snapshot's overall figures (a second already kept is replaced). */
  add(s: LiveSnapshot): void {
    const sample: LiveSample = { ts: s.ts, windowMs: s.windowMs, overall: s.overall, queueDepth: s.queueDepth, inFlight: s.inFlight };
    const last = this.#items.at(-1);
    if (last && s.ts <= last.ts) {
      if (s.ts === last.ts) this.#items[this.#items.length - 1] = sample;
      return;
    }
    this.#items.push(sample);
    if (this.#items.length > this.capacity) this.#items.shift();
  }

  /** The samples of the last `seconds` (by the newest one's time), oldest first. */
  last(seconds = this.capacity): LiveSample[] {
    const newest = this.#items.at(-1);
    if (!newest) return [];
    const from = newest.ts - seconds * 1000;
    return this.#items.filter((s) => s.ts > from);
  }
}
