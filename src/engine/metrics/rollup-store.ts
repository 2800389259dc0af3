// History that survives restarts: closed seconds roll up into SQLite rows at three resolutions
// (1 s kept an hour, 1 min kept 30 days, 1 h kept a year), for the whole gateway and per provider
// and model. Rows wait in memory and are written in one transaction per flush; a row written in
// parts (a minute spanning two flushes, or a restart) is merged, never overwritten.
import type { HistoryPoint, HistoryRange, HistorySeries, MetricsScope } from '../../shared/metrics.ts';
import type { Clock, TimerHandle } from '../clock.ts';
import type { Db } from '../store/database.ts';
import type { Logger } from '../logger.ts';
import { spentUsd } from '../money.ts';
import type { GroupStats } from './group-stats.ts';
import { LogHistogram } from './log-histogram.ts';
import type { SecondBucket } from './metrics-recorder.ts';

export const SECOND = 1000;
export const MINUTE = 60_000;
export const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const METRICS_SCHEMA_VERSION = 1;

/** Create or upgrade the metrics tables. Idempotent; versioned in its own meta table. */
export function migrateMetrics(db: Db): void {
  db.exec('CREATE TABLE IF NOT EXISTS metrics_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)');
  const row = db.prepare("SELECT value FROM metrics_meta WHERE key = 'schema'").get() as { value: number } | undefined;
  const version = row?.value ?? 0;
  if (version > METRICS_SCHEMA_VERSION) throw new Error(`metrics schema ${version} is newer than this Sluice understands (${METRICS_SCHEMA_VERSION})`);
  if (version === METRICS_SCHEMA_VERSION) return;
  db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS metrics_rollup (
      resolution INTEGER NOT NULL,
      scope TEXT NOT NULL,
      ts INTEGER NOT NULL,
      requests INTEGER NOT NULL,
      errors INTEGER NOT NULL,
      hits INTEGER NOT NULL,
      misses INTEGER NOT NULL,
      coalesced INTEGER NOT NULL,
      batched INTEGER NOT NULL,
      prompt_tokens INTEGER NOT NULL,
      completion_tokens INTEGER NOT NULL,
      cost_usd REAL NOT NULL,
      saved_usd REAL NOT NULL,
      latency TEXT NOT NULL,
      PRIMARY KEY (resolution, scope, ts)
    ) WITHOUT ROWID`);
    db.prepare("INSERT INTO metrics_meta (key, value) VALUES ('schema', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(METRICS_SCHEMA_VERSION);
  })();
}

interface Row {
  resolution: number;
  scope: string;
  ts: number;
  requests: number;
  errors: number;
  hits: number;
  misses: number;
  coalesced: number;
  batched: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  savedUsd: number;
  latency: LogHistogram;
}

interface DbRow {
  ts: number; requests: number; errors: number; hits: number; misses: number; coalesced: number; batched: number;
  prompt_tokens: number; completion_tokens: number; cost_usd: number; saved_usd: number; latency: string;
}

/** Which stored resolution and which chart step answer each range. */
export const RANGE_PLAN: Record<HistoryRange, { spanMs: number; resolution: number; stepMs: number }> = {
  '5m': { spanMs: 5 * MINUTE, resolution: SECOND, stepMs: SECOND },
  '1h': { spanMs: HOUR, resolution: SECOND, stepMs: 10 * SECOND },
  '24h': { spanMs: DAY, resolution: MINUTE, stepMs: 5 * MINUTE },
  '7d': { spanMs: 7 * DAY, resolution: HOUR, stepMs: HOUR },
  '30d': { spanMs: 30 * DAY, resolution: HOUR, stepMs: 6 * HOUR },
};

export interface RollupStoreOptions {
  db: Db;
  clock: Clock;
  logger?: Logger;
  /** Pending rows are written this often once `start()`ed. Default 5000 ms. */
  flushIntervalMs?: number;
  /** How long each resolution is kept, ms. Defaults: 1 s → 1 h, 1 min → 30 d, 1 h → 365 d. */
  retention?: Partial<Record<'second' | 'minute' | 'hour', number>>;
}

export class RollupStore {
  readonly #db: Db;
  readonly #clock: Clock;
  readonly #logger: Logger | undefined;
  readonly #flushIntervalMs: number;
  readonly #keep: Array<[number, number]>;
  readonly #pending = new Map<string, Row>();
  readonly #select;
  readonly #upsert;
  readonly #prune;
  readonly #range;
  #timer: TimerHandle | null = null;
  #lastPrune = -Infinity;

  constructor(opts: RollupStoreOptions) {
    if (!opts?.db) throw new TypeError('RollupStore: options.db is required');
    if (!opts.clock) throw new TypeError('RollupStore: options.clock is required');
    const interval = opts.flushIntervalMs ?? 5000;
    if (!(interval > 0)) throw new RangeError(`RollupStore: options.flushIntervalMs must be positive, got ${interval}`);
    const r = opts.retention ?? {};
    for (const [k, v] of Object.entries(r)) if (!(typeof v === 'number' && v > 0)) throw new RangeError(`RollupStore: options.retention.${k} must be a positive number of ms, got ${v}`);
    this.#db = opts.db;
    this.#clock = opts.clock;
    this.#logger = opts.logger;
    this.#flushIntervalMs = interval;
    this.#keep = [[SECOND, r.second ?? HOUR], [MINUTE, r.minute ?? 30 * DAY], [HOUR, r.hour ?? 365 * DAY]];
    migrateMetrics(this.#db);
    this.#select = this.#db.prepare('SELECT * FROM metrics_rollup WHERE resolution = ? AND scope = ? AND ts = ?');
    this.#upsert = this.#db.prepare(`INSERT OR REPLACE INTO metrics_rollup
      (resolution, scope, ts, requests, errors, hits, misses, coalesced, batched, prompt_tokens, completion_tokens, cost_usd, saved_usd, latency)
      VALUES (@resolution, @scope, @ts, @requests, @errors, @hits, @misses, @coalesced, @batched, @promptTokens, @completionTokens, @costUsd, @savedUsd, @latency)`);
    this.#prune = this.#db.prepare('DELETE FROM metrics_rollup WHERE resolution = ? AND ts < ?');
    this.#range = this.#db.prepare('SELECT * FROM metrics_rollup WHERE resolution = ? AND scope = ? AND ts >= ? AND ts < ? ORDER BY ts');
  }

  get pendingRows(): number { return this.#pending.size; }

  /** Take one closed second (from `MetricsRecorder.onSecond`). Nothing is written until `flush()`. */
  add(second: SecondBucket): void {
    if (second.overall.requests === 0) return;
    this.#addGroup('all', second.ts, second.overall);
    for (const [name, g] of second.byProvider) if (g.requests > 0) this.#addGroup(`provider:${name}`, second.ts, g);
    for (const [name, g] of second.byModel) if (g.requests > 0) this.#addGroup(`model:${name}`, second.ts, g);
  }

  #addGroup(scope: string, ts: number, g: GroupStats): void {
    for (const resolution of [SECOND, MINUTE, HOUR]) {
      const start = ts - (ts % resolution);
      const key = `${resolution}|${scope}|${start}`;
      let row = this.#pending.get(key);
      if (!row) {
        row = emptyRow(resolution, scope, start);
        this.#pending.set(key, row);
      }
      row.requests += g.requests;
      row.errors += g.errors;
      row.hits += g.hits;
      row.misses += g.cache.miss;
      row.coalesced += g.cache.coalesced;
      row.batched += g.batched;
      row.promptTokens += g.promptTokens;
      row.completionTokens += g.completionTokens;
      row.costUsd += g.costUsd;
      row.savedUsd += g.savedUsd;
      row.latency.merge(g.latency);
    }
  }

  /** Write every pending row in one transaction, merging with what is already stored; prune old rows once a minute. */
  flush(): void {
    const now = this.#clock.now();
    const prune = now - this.#lastPrune >= MINUTE;
    if (this.#pending.size === 0 && !prune) return;
    const rows = [...this.#pending.values()];
    this.#pending.clear();
    try {
      this.#db.transaction(() => {
        for (const row of rows) {
          const existing = this.#select.get(row.resolution, row.scope, row.ts) as DbRow | undefined;
          if (existing) mergeDbRow(row, existing);
          this.#upsert.run({ ...row, latency: JSON.stringify(row.latency.toSparse()) });
        }
        if (prune) for (const [resolution, keep] of this.#keep) this.#prune.run(resolution, now - keep);
      })();
      if (prune) this.#lastPrune = now;
    } catch (err) {
      // Put the rows back (merging with anything added meanwhile) and try again next flush.
      for (const row of rows) {
        const key = `${row.resolution}|${row.scope}|${row.ts}`;
        const later = this.#pending.get(key);
        if (later) mergeRow(row, later);
        this.#pending.set(key, row);
      }
      this.#logger?.warn('metrics rollup: write failed, will retry', { error: String((err as Error).message) });
    }
  }

  start(): void {
    if (this.#timer) return;
    const loop = () => { this.flush(); this.#timer = this.#clock.setTimeout(loop, this.#flushIntervalMs); };
    this.#timer = this.#clock.setTimeout(loop, this.#flushIntervalMs);
  }

  close(): void {
    if (this.#timer) this.#clock.clearTimeout(this.#timer);
    this.#timer = null;
    this.flush();
  }

  /** A chart-ready series for the range ending now; steps without traffic are zero points. */
  history(range: HistoryRange, scope: MetricsScope = 'all'): HistorySeries {
    const plan = RANGE_PLAN[range];
    if (!plan) throw new RangeError(`RollupStore.history: unknown range '${range}'`);
    this.flush();
    const now = this.#clock.now();
    const to = now - (now % plan.stepMs) + plan.stepMs;
    const from = to - plan.spanMs;
    const steps = new Map<number, Row>();
    for (const r of this.#range.iterate(plan.resolution, scope, from, to) as Iterable<DbRow>) {
      const stepTs = r.ts - (r.ts % plan.stepMs);
      let acc = steps.get(stepTs);
      if (!acc) { acc = emptyRow(plan.stepMs, scope, stepTs); steps.set(stepTs, acc); }
      mergeDbRow(acc, r);
    }
    const points: HistoryPoint[] = [];
    for (let ts = from; ts < to; ts += plan.stepMs) points.push(toPoint(ts, steps.get(ts)));
    return { range, scope, stepMs: plan.stepMs, from, to, points };
  }
}

function emptyRow(resolution: number, scope: string, ts: number): Row {
  return { resolution, scope, ts, requests: 0, errors: 0, hits: 0, misses: 0, coalesced: 0, batched: 0, promptTokens: 0, completionTokens: 0, costUsd: 0, savedUsd: 0, latency: new LogHistogram() };
}

function mergeRow(into: Row, r: Row): void {
  into.requests += r.requests; into.errors += r.errors; into.hits += r.hits; into.misses += r.misses;
  into.coalesced += r.coalesced; into.batched += r.batched; into.promptTokens += r.promptTokens;
  into.completionTokens += r.completionTokens; into.costUsd += r.costUsd; into.savedUsd += r.savedUsd;
  into.latency.merge(r.latency);
}

function mergeDbRow(into: Row, r: DbRow): void {
  into.requests += r.requests; into.errors += r.errors; into.hits += r.hits; into.misses += r.misses;
  into.coalesced += r.coalesced; into.batched += r.batched; into.promptTokens += r.prompt_tokens;
  into.completionTokens += r.completion_tokens; into.costUsd += spentUsd(r.cost_usd); into.savedUsd += r.saved_usd;
  into.latency.addSparse(JSON.parse(r.latency));
}

function toPoint(ts: number, r: Row | undefined): HistoryPoint {
  if (!r) return { ts, requests: 0, errors: 0, errorRate: 0, p50Ms: 0, p95Ms: 0, p99Ms: 0, hitRate: null, promptTokens: 0, completionTokens: 0, costUsd: 0, savedUsd: 0 };
  const looked = r.hits + r.misses;
  return {
    ts,
    requests: r.requests,
    errors: r.errors,
    errorRate: r.requests ? r.errors / r.requests : 0,
    p50Ms: r.latency.quantile(0.5),
    p95Ms: r.latency.quantile(0.95),
    p99Ms: r.latency.quantile(0.99),
    hitRate: looked ? r.hits / looked : null,
    promptTokens: r.promptTokens,
    completionTokens: r.completionTokens,
    costUsd: r.costUsd,
    savedUsd: r.savedUsd,
  };
}
