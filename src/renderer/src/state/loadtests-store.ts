// Load tests slice: saved runs, and live progress of the running one from `loadtest` events.
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { LoadTestProgress, LoadTestResult } from '../../../shared/loadtest.ts';

export interface LiveRun {
  id: string;
  progress: LoadTestProgress | null;
}

export interface LoadTestsState {
  runs: LoadTestResult[];
  live: LiveRun | null;
  /** Ids picked for the side-by-side comparison (at most two). */
  compare: string[];
  setRuns(runs: LoadTestResult[]): void;
  /** Apply a `loadtest` event's detail. */
  apply(detail: unknown): void;
  toggleCompare(id: string): void;
  remove(id: string): void;
}

interface Detail { id?: unknown; state?: unknown; result?: unknown; done?: unknown }

export function createLoadTestsStore(): StoreApi<LoadTestsState> {
  return createStore<LoadTestsState>()((set) => ({
    runs: [],
    live: null,
    compare: [],
    setRuns: (runs) => set((s) => ({ runs, compare: s.compare.filter((id) => runs.some((r) => r.id === id)) })),
    apply: (raw) => set((s) => {
      const d = (raw ?? {}) as Detail;
      if (typeof d.id !== 'string') return s;
      if (d.state === 'running') {
        const progress = typeof d.done === 'number' ? (raw as LoadTestProgress) : (s.live?.id === d.id ? s.live.progress : null);
        return { live: { id: d.id, progress } };
      }
      const result = d.result as LoadTestResult | undefined;
      const live = s.live?.id === d.id ? null : s.live;
      if (!result || typeof result !== 'object') return { live };
      const runs = [result, ...s.runs.filter((r) => r.id !== result.id)];
      return { live, runs };
    }),
    toggleCompare: (id) => set((s) => {
      if (s.compare.includes(id)) return { compare: s.compare.filter((x) => x !== id) };
      return { compare: [...s.compare, id].slice(-2) };
    }),
    remove: (id) => set((s) => ({ runs: s.runs.filter((r) => r.id !== id), compare: s.compare.filter((x) => x !== id) })),
  }));
}
