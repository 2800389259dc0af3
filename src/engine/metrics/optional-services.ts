// What metrics read from services other features may or may not offer (scheduler, routing, cache).
// Read structurally, so this feature builds and runs whether or not they are there, and never
// fixes their types for them. Each reader tolerates a missing service or an unexpected shape.
import type { EngineHost } from '../feature.ts';
import type { BreakerStat, CacheTierStats } from './prometheus-exposition.ts';

/** The scheduler's per-provider queues (`host.services.scheduler`). */
export interface SchedulerStatsReader {
  stats(): ReadonlyArray<{ provider?: string; inFlight?: number; queued?: number | Record<string, number> }> | { queued?: number; queueDepth?: number };
}

/** Breaker states from the routing feature (`host.services.routing`), when it offers them. */
export interface BreakerStatesReader {
  breakerStates?(): ReadonlyArray<{ target: string; state: BreakerStat['state'] }>;
  /** Fractions 0..1 of the daily and monthly budgets used. */
  budgetUsage?(): { daily?: number | null; monthly?: number | null };
  /** Each configured budget's level now. */
  budgetStatuses?(): ReadonlyArray<{ id: string; level: string }>;
  /** Each enabled budget past a mark now, as the `budget` event's detail that mark raised. */
  budgetMarks?(): ReadonlyArray<{ budget: string; level: 'threshold' | 'exhausted'; [figure: string]: unknown }>;
}

interface TierView { hits: number; misses: number; evictions: number; entries?: number; bytes?: number }
/** The cache's statistics (`host.services.cache`). */
export interface CacheStatsReader {
  stats(): { memory: TierView; disk: TierView | null };
}

export interface OptionalServices {
  scheduler?: SchedulerStatsReader;
  routing?: BreakerStatesReader;
  cache?: CacheStatsReader;
}

export function optionalServices(host: EngineHost): OptionalServices {
  return host.services as unknown as OptionalServices;
}

const sum = (v: unknown): number => {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (v && typeof v === 'object') return Object.values(v).reduce<number>((n, x) => n + (typeof x === 'number' && Number.isFinite(x) ? x : 0), 0);
  return 0;
};

/** Requests waiting in the scheduler's queues (0 without a scheduler). */
export function queueDepthOf(s: OptionalServices): number {
  try {
    const stats = s.scheduler?.stats();
    if (!stats) return 0;
    if (Array.isArray(stats)) return stats.reduce((n, p) => n + sum(p.queued), 0);
    const o = stats as { queued?: number; queueDepth?: number };
    return sum(o.queueDepth ?? o.queued);
  } catch {
    return 0;
  }
}

/** Per-tier hits, misses and evictions from the cache service; undefined without one. */
export function cacheTiersOf(s: OptionalServices): CacheTierStats[] | undefined {
  try {
    const st = s.cache?.stats();
    if (!st) return undefined;
    const tier = (name: string, t: TierView): CacheTierStats => ({ tier: name, hits: t.hits, misses: t.misses, evictions: t.evictions, entries: t.entries, bytes: t.bytes });
    return [tier('memory', st.memory), ...(st.disk ? [tier('disk', st.disk)] : [])];
  } catch {
    return undefined;
  }
}

/** Breaker states: what the routing service reports, completed by the states seen on `breaker` events. */
export function breakersOf(s: OptionalServices, seen: ReadonlyMap<string, BreakerStat['state']>): BreakerStat[] {
  const out = new Map(seen);
  try {
    for (const b of s.routing?.breakerStates?.() ?? []) out.set(b.target, b.state);
  } catch { /* keep what the events said */ }
  return [...out].map(([target, state]) => ({ target, state })).sort((a, b) => a.target.localeCompare(b.target));
}
