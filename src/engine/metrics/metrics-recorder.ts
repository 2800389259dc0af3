// Takes every finished request (microseconds each), keeps one-second buckets for the last minute
// (overall, per provider, per model), hands each closed second to listeners (rollups, detectors),
// and answers live snapshots and Prometheus counters. Memory is flat: buckets are reused, group
// names are capped.
import type { LiveSnapshot, ProcessStats } from '../../shared/metrics.ts';
import type { Clock, TimerHandle } from '../clock.ts';
import { CumulativeCounters } from './cumulative-counters.ts';
import { GroupStats } from './group-stats.ts';
import type { RecordedRequest } from './recorded-request.ts';

/** One second of traffic. Handed to listeners by reference: read it during the call, do not keep it. */
export class SecondBucket {
  /** Start of the second, ms since the epoch. */
  ts = 0;
  readonly overall = new GroupStats();
  readonly byProvider = new Map<string, GroupStats>();
  readonly byModel = new Map<string, GroupStats>();

  reset(ts: number): void {
    this.ts = ts;
    this.overall.reset();
    // Names idle for a whole second are dropped so the cap makes room for new ones.
    for (const [k, g] of this.byProvider) if (g.requests === 0) this.byProvider.delete(k); else g.reset();
    for (const [k, g] of this.byModel) if (g.requests === 0) this.byModel.delete(k); else g.reset();
  }
}

export type SecondListener = (second: SecondBucket) => void;

export interface MetricsRecorderOptions {
  clock: Clock;
  /** Seconds of one-second buckets kept for live snapshots. Default 60. */
  liveSeconds?: number;
  /** Distinct provider names and model names tracked (each); the rest count as `other`. Default 100. */
  maxGroups?: number;
  /** Prometheus label sets kept. Default 2000. */
  maxSeries?: number;
}

export interface SnapshotExtras {
  queueDepth?: number;
  inFlight?: number;
  process?: ProcessStats | null;
}

export class MetricsRecorder {
  readonly #clock: Clock;
  readonly #liveSeconds: number;
  readonly #maxGroups: number;
  readonly #counters: CumulativeCounters;
  /** Closed seconds, oldest first; `#ring.length <= liveSeconds`. */
  readonly #ring: SecondBucket[] = [];
  #current = new SecondBucket();
  #listeners: SecondListener[] = [];
  #timer: TimerHandle | null = null;

  constructor(opts: MetricsRecorderOptions) {
    if (!opts?.clock) throw new TypeError('MetricsRecorder: options.clock is required');
    const live = opts.liveSeconds ?? 60;
    const maxGroups = opts.maxGroups ?? 100;
    if (!Number.isInteger(live) || live < 1 || live > 3600) throw new RangeError(`MetricsRecorder: options.liveSeconds must be an integer in 1..3600, got ${live}`);
    if (!Number.isInteger(maxGroups) || maxGroups < 1) throw new RangeError(`MetricsRecorder: options.maxGroups must be a positive integer, got ${maxGroups}`);
    this.#clock = opts.clock;
    this.#liveSeconds = live;
    this.#maxGroups = maxGroups;
    this.#counters = new CumulativeCounters({ maxSeries: opts.maxSeries });
    this.#current.reset(this.#secondOf(this.#clock.now()));
  }

  get counters(): CumulativeCounters { return this.#counters; }

  /** Called with every closed second, in order (also empty ones, up to `liveSeconds` after a gap). */
  onSecond(listener: SecondListener): () => void {
    this.#listeners.push(listener);
    return () => { this.#listeners = this.#listeners.filter((l) => l !== listener); };
  }

  record(r: RecordedRequest): void {
    const now = this.#clock.now();
    if (now - this.#current.ts >= 1000) this.#roll(now);
    const cur = this.#current;
    const li = cur.overall.latency.indexOf(r.latencyMs);
    const fi = r.firstByteMs === null ? 0 : cur.overall.firstByte.indexOf(r.firstByteMs);
    cur.overall.add(r, li, fi);
    this.#group(cur.byProvider, r.provider || 'unknown').add(r, li, fi);
    this.#group(cur.byModel, r.model || 'unknown').add(r, li, fi);
    this.#counters.add(r);
  }

  /** Close every second that has ended. Run once a second by `start()`; tests call it directly. */
  tick(): void {
    const now = this.#clock.now();
    if (now - this.#current.ts >= 1000) this.#roll(now);
  }

  /** Tick every second on the clock. */
  start(): void {
    if (this.#timer) return;
    const loop = () => {
      this.tick();
      const now = this.#clock.now();
      this.#timer = this.#clock.setTimeout(loop, 1000 - (now % 1000) + 1);
    };
    this.#timer = this.#clock.setTimeout(loop, 1000 - (this.#clock.now() % 1000) + 1);
  }

  stop(): void {
    if (this.#timer) this.#clock.clearTimeout(this.#timer);
    this.#timer = null;
  }

  /**
   * On shutdown: hand the second in progress to the listeners now (so rollups keep it), then start
   * it afresh so nothing is counted twice if recording goes on.
   */
  flushPartial(): void {
    const cur = this.#current;
    if (cur.overall.requests === 0) return;
    for (const l of this.#listeners) l(cur);
    cur.reset(cur.ts);
  }

  /** Figures over the last `windowSeconds` closed seconds (default 10), per provider, per model and overall. */
  snapshot(windowSeconds = 10, extras: SnapshotExtras = {}): LiveSnapshot {
    this.tick();
    const n = Math.max(1, Math.min(this.#liveSeconds, Math.floor(windowSeconds)));
    const overall = new GroupStats();
    const byProvider = new Map<string, GroupStats>();
    const byModel = new Map<string, GroupStats>();
    const end = this.#current.ts;
    const start = end - n * 1000;
    for (const b of this.#ring) {
      if (b.ts < start) continue;
      overall.merge(b.overall);
      mergeInto(byProvider, b.byProvider);
      mergeInto(byModel, b.byModel);
    }
    const windowMs = n * 1000;
    return {
      ts: end,
      windowMs,
      overall: overall.toGroup(windowMs),
      byProvider: toRecord(byProvider, windowMs),
      byModel: toRecord(byModel, windowMs),
      queueDepth: extras.queueDepth ?? 0,
      inFlight: extras.inFlight ?? 0,
      process: extras.process ?? null,
    };
  }

  #secondOf(ms: number): number { return ms - (ms % 1000); }

  #group(map: Map<string, GroupStats>, name: string): GroupStats {
    let g = map.get(name);
    if (g) return g;
    // A name first seen in this bucket may exist in others; the cap counts names per bucket.
    const key = map.size < this.#maxGroups ? name : 'other';
    g = map.get(key);
    if (!g) { g = new GroupStats(); map.set(key, g); }
    return g;
  }

  #roll(now: number): void {
    const target = this.#secondOf(now);
    let guard = 0;
    while (this.#current.ts < target) {
      const closed = this.#current;
      if (guard < this.#liveSeconds) for (const l of this.#listeners) l(closed);
      guard++;
      this.#ring.push(closed);
      const reused = this.#ring.length > this.#liveSeconds ? this.#ring.shift()! : new SecondBucket();
      // After a long gap, jump straight to the last `liveSeconds` empty seconds.
      const nextTs = guard >= this.#liveSeconds && target - closed.ts > 1000 ? target : closed.ts + 1000;
      reused.reset(nextTs);
      this.#current = reused;
    }
  }
}

function mergeInto(into: Map<string, GroupStats>, from: Map<string, GroupStats>): void {
  for (const [name, g] of from) {
    if (g.requests === 0) continue;
    let t = into.get(name);
    if (!t) { t = new GroupStats(); into.set(name, t); }
    t.merge(g);
  }
}

function toRecord(map: Map<string, GroupStats>, windowMs: number): Record<string, ReturnType<GroupStats['toGroup']>> {
  const out: Record<string, ReturnType<GroupStats['toGroup']>> = {};
  for (const [name, g] of map) out[name] = g.toGroup(windowMs);
  return out;
}
