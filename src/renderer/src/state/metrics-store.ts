// Metrics slice: the latest live snapshot and a fixed-size ring of chart points (one per `metrics` event),
// filled on each (re)connection from the engine's recent samples so the charts start from where they were.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { LiveSample, LiveSnapshot } from '../../../shared/metrics.ts';
import { pointFromSnapshot, type ChartPoint } from '../lib/metric-points.ts';
import { RingBuffer } from '../lib/ring-buffer.ts';
import type { DashboardRange } from '../lib/time-ticks.ts';

/** Five minutes of live points at one per second. */
export const DEFAULT_LIVE_POINTS = 300;

export interface MetricsState {
  latest: LiveSnapshot | null;
  /** Oldest first, at most `capacity` points; a new array on every push (charts memoise on it). */
  live: readonly ChartPoint[];
  capacity: number;
  /** The Dashboard's chosen range: kept here so another page and back shows what the person was watching. */
  range: DashboardRange;
  setRange(range: DashboardRange): void;
  push(snapshot: LiveSnapshot): void;
  /** Merge the engine's recent samples (oldest first) with the points already held, by second. */
  backfill(samples: readonly LiveSample[]): void;
  clear(): void;
}

function isSnapshot(s: unknown): s is LiveSample {
  const x = s as LiveSample | null;
  return !!x && typeof x.ts === 'number' && typeof x.windowMs === 'number' && !!x.overall && typeof x.overall.requests === 'number';
}

export function createMetricsStore(capacity = DEFAULT_LIVE_POINTS): StoreApi<MetricsState> {
  const ring = new RingBuffer<ChartPoint>(capacity);
  return createStore<MetricsState>()((set) => ({
    latest: null,
    live: [],
    capacity,
    range: 'live',
    setRange: (range) => set({ range }),
    push: (snapshot) => {
      if (!isSnapshot(snapshot)) return;
      const last = ring.last();
      // A repeated or out-of-order second (a reconnect replays the current one) only updates the tiles.
      if (last && snapshot.ts <= last.ts) { set({ latest: snapshot }); return; }
      ring.push(pointFromSnapshot(snapshot));
      set({ latest: snapshot, live: ring.toArray() });
    },
    backfill: (samples) => {
      if (!Array.isArray(samples)) return;
      const bySecond = new Map<number, ChartPoint>();
      for (const s of samples) if (isSnapshot(s)) bySecond.set(s.ts, pointFromSnapshot(s));
      if (!bySecond.size) return;
      // points that came by event meanwhile are as new or newer: they stay
      for (const p of ring.toArray()) bySecond.set(p.ts, p);
      ring.clear();
      for (const p of [...bySecond.values()].sort((a, b) => a.ts - b.ts).slice(-capacity)) ring.push(p);
      set({ live: ring.toArray() });
    },
    clear: () => { ring.clear(); set({ latest: null, live: [] }); },
  }));
}
