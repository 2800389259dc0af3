// Metrics slice: the latest live snapshot and a fixed-size ring of chart points (one per `metrics` event).
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { LiveSnapshot } from '../../../shared/metrics.ts';
import { pointFromSnapshot, type ChartPoint } from '../lib/metric-points.ts';
import { RingBuffer } from '../lib/ring-buffer.ts';

/** Five minutes of live points at one per second. */
export const DEFAULT_LIVE_POINTS = 300;

export interface MetricsState {
  latest: LiveSnapshot | null;
  /** Oldest first, at most `capacity` points; a new array on every push (charts memoise on it). */
  live: readonly ChartPoint[];
  capacity: number;
  push(snapshot: LiveSnapshot): void;
  clear(): void;
}

function isSnapshot(s: unknown): s is LiveSnapshot {
  const x = s as LiveSnapshot | null;
  return !!x && typeof x.ts === 'number' && typeof x.windowMs === 'number' && !!x.overall && typeof x.overall.requests === 'number';
}

export function createMetricsStore(capacity = DEFAULT_LIVE_POINTS): StoreApi<MetricsState> {
  const ring = new RingBuffer<ChartPoint>(capacity);
  return createStore<MetricsState>()((set) => ({
    latest: null,
    live: [],
    capacity,
    push: (snapshot) => {
      if (!isSnapshot(snapshot)) return;
      const last = ring.last();
      // A repeated or out-of-order second (a reconnect replays the current one) only updates the tiles.
      if (last && snapshot.ts <= last.ts) { set({ latest: snapshot }); return; }
      ring.push(pointFromSnapshot(snapshot));
      set({ latest: snapshot, live: ring.toArray() });
    },
    clear: () => { ring.clear(); set({ latest: null, live: [] }); },
  }));
}
