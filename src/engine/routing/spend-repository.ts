// Spend in SQLite: rows of tokens, cost and how many requests they stand for (the writer sums a
// minute's requests of one provider, model, alias and tags into one row), summed by filters for
// budgets and by day for the panel. Statements are prepared once; tags are stored as
// ',a,b,' so one indexed-by-time query can filter on any of them.
import type { Database } from 'better-sqlite3';
import { roundUsd, spentUsd } from '../money.ts';

export interface SpendEntry {
  ts: number;
  requestId?: string | null;
  provider: string;
  model: string;
  alias?: string | null;
  tags?: readonly string[];
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  /** How many requests this entry stands for (default 1). */
  requests?: number;
}

export interface SpendFilter {
  since: number;
  until?: number;
  provider?: string;
  model?: string;
  alias?: string;
  tag?: string;
}

export interface SpendTotal { usd: number; tokens: number; requests: number }

export interface DailySpend { day: string; provider: string; model: string; usd: number; tokens: number; requests: number }

/** Create the spend table and its index if they do not exist. Idempotent. */
export function migrateSpend(db: Database): void {
  db.exec(`CREATE TABLE IF NOT EXISTS spend (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ts INTEGER NOT NULL,
    request_id TEXT,
    provider TEXT NOT NULL,
    model TEXT NOT NULL,
    alias TEXT,
    tags TEXT NOT NULL DEFAULT '',
    prompt_tokens INTEGER NOT NULL DEFAULT 0,
    completion_tokens INTEGER NOT NULL DEFAULT 0,
    cost_usd REAL NOT NULL DEFAULT 0
  );
  CREATE INDEX IF NOT EXISTS spend_ts ON spend (ts);`);
}

/** A row may stand for many requests (migration 54). */
export function migrateSpendRequests(db: Database): void {
  db.exec('ALTER TABLE spend ADD COLUMN requests INTEGER NOT NULL DEFAULT 1');
}

const DAY_MS = 86_400_000;

export class SpendRepository {
  #db: Database;
  #insert; #total; #daily; #prune;

  constructor(db: Database) {
    if (!db || typeof db.prepare !== 'function') throw new TypeError('SpendRepository: a better-sqlite3 Database is required');
    this.#db = db;
    this.#insert = db.prepare(`INSERT INTO spend (ts, request_id, provider, model, alias, tags, prompt_tokens, completion_tokens, cost_usd, requests)
      VALUES (@ts, @requestId, @provider, @model, @alias, @tags, @promptTokens, @completionTokens, @costUsd, @requests)`);
    this.#total = db.prepare(`SELECT COALESCE(SUM(cost_usd), 0) AS usd, COALESCE(SUM(prompt_tokens + completion_tokens), 0) AS tokens, COALESCE(SUM(requests), 0) AS requests
      FROM spend WHERE ts >= @since AND ts < @until
      AND (@provider IS NULL OR provider = @provider)
      AND (@model IS NULL OR model = @model)
      AND (@alias IS NULL OR alias = @alias)
      AND (@tag IS NULL OR instr(tags, ',' || @tag || ',') > 0)`);
    this.#daily = db.prepare(`SELECT (ts / ${DAY_MS}) AS d, provider, model, SUM(cost_usd) AS usd, SUM(prompt_tokens + completion_tokens) AS tokens, SUM(requests) AS requests
      FROM spend WHERE ts >= ? AND ts < ? GROUP BY d, provider, model ORDER BY d, provider, model`);
    this.#prune = db.prepare('DELETE FROM spend WHERE ts < ?');
  }

  /**
   * Rows whose cost is not a finite amount (an older build stored +Infinity for a price past the ceiling)
   * keep their tokens and requests but count no USD: set to 0, so the day's spend and the budgets over it
   * read as numbers again. Returns how many were. Run before anyone sums spend.
   */
  zeroUnreadableCosts(): number {
    // 9e999 is SQLite's +Infinity; NaN is stored as NULL
    return this.#db.prepare('UPDATE spend SET cost_usd = 0 WHERE cost_usd IS NULL OR NOT (cost_usd >= 0 AND cost_usd < 9e999)').run().changes;
  }

  record(e: SpendEntry): void {
    this.#insert.run(row(e));
  }

  /** Many rows in one transaction (the write queue's batch). */
  recordMany(entries: readonly SpendEntry[]): void {
    this.#db.transaction((list: readonly SpendEntry[]) => { for (const e of list) this.#insert.run(row(e)); })(entries);
  }

  total(f: SpendFilter): SpendTotal {
    const r = this.#total.get({
      since: f.since, until: f.until ?? Number.MAX_SAFE_INTEGER,
      provider: f.provider ?? null, model: f.model ?? null, alias: f.alias ?? null, tag: f.tag ?? null,
    }) as SpendTotal;
    return { usd: roundUsd(r.usd), tokens: r.tokens, requests: r.requests };
  }

  /** Spend per UTC day, provider and model. */
  daily(since: number, until = Number.MAX_SAFE_INTEGER): DailySpend[] {
    return (this.#daily.all(since, until) as Array<{ d: number; provider: string; model: string; usd: number; tokens: number; requests: number }>)
      .map((r) => ({ day: new Date(r.d * DAY_MS).toISOString().slice(0, 10), provider: r.provider, model: r.model, usd: roundUsd(r.usd), tokens: r.tokens, requests: r.requests }));
  }

  /** Forget rows older than `before`; returns how many went. */
  prune(before: number): number {
    return this.#prune.run(before).changes;
  }
}

function row(e: SpendEntry) {
  return {
    ts: e.ts, requestId: e.requestId ?? null, provider: e.provider, model: e.model, alias: e.alias ?? null,
    tags: e.tags?.length ? `,${e.tags.join(',')},` : '',
    promptTokens: Math.max(0, Math.round(e.promptTokens || 0)),
    completionTokens: Math.max(0, Math.round(e.completionTokens || 0)),
    costUsd: spentUsd(e.costUsd),
    requests: Math.max(1, Math.round(e.requests ?? 1)),
  };
}
