// The request log: one row per finished request, bounded (oldest dropped), written in batches.
import type { RequestSummary } from '../../shared/events.ts';
import type { Clock } from '../clock.ts';
import type { Logger } from '../logger.ts';
import type { Db, Migration } from './database.ts';
import { WriteQueue } from './write-queue.ts';

export interface RequestLogDetail {
  /** Route trace, timings, cache key, redacted headers; bodies only when body logging is on. */
  trace: unknown[];
  timings: Record<string, number | null>;
  cacheKey: string | null;
  requestHeaders: Record<string, string>;
  requestBody?: string;
  responseBody?: string;
}

export interface RequestLogRow extends RequestSummary { detail: RequestLogDetail }

export interface RequestLogQuery {
  limit?: number;
  before?: number;
  model?: string;
  provider?: string;
  status?: 'ok' | 'error' | number;
  cache?: string;
  text?: string;
}

export const requestLogMigration: Migration = {
  version: 1,
  name: 'request log and settings',
  up(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS request_log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL,
        ts INTEGER NOT NULL,
        endpoint TEXT NOT NULL,
        path TEXT NOT NULL,
        method TEXT NOT NULL,
        model TEXT NOT NULL,
        requested_model TEXT NOT NULL,
        provider TEXT NOT NULL,
        status INTEGER NOT NULL,
        latency_ms REAL NOT NULL,
        first_byte_ms REAL,
        stream INTEGER NOT NULL,
        cache TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        prompt_tokens INTEGER NOT NULL,
        completion_tokens INTEGER NOT NULL,
        cost_usd REAL NOT NULL,
        error_code TEXT,
        client TEXT NOT NULL,
        detail TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS request_log_ts ON request_log (ts);
      CREATE INDEX IF NOT EXISTS request_log_id ON request_log (id);
      CREATE TABLE IF NOT EXISTS settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      );
    `);
  },
};

interface Row {
  id: string; ts: number; endpoint: string; path: string; method: string; model: string; requested_model: string;
  provider: string; status: number; latency_ms: number; first_byte_ms: number | null; stream: number; cache: string;
  attempts: number; prompt_tokens: number; completion_tokens: number; cost_usd: number; error_code: string | null;
  client: string; detail: string;
}

function fromRow(r: Row): RequestLogRow {
  return {
    id: r.id, ts: r.ts, endpoint: r.endpoint as RequestSummary['endpoint'], path: r.path, method: r.method, model: r.model,
    requestedModel: r.requested_model, provider: r.provider, status: r.status, latencyMs: r.latency_ms,
    firstByteMs: r.first_byte_ms, stream: r.stream === 1, cache: r.cache as RequestSummary['cache'], attempts: r.attempts,
    promptTokens: r.prompt_tokens, completionTokens: r.completion_tokens, costUsd: r.cost_usd, errorCode: r.error_code,
    client: r.client, detail: JSON.parse(r.detail) as RequestLogDetail,
  };
}

export interface RequestLogOptions {
  db: Db;
  clock: Clock;
  logger: Logger;
  maxRows: number;
  flushIntervalMs?: number;
  onWriteError?(err: unknown): void;
  onWriteRecovered?(): void;
}

export class RequestLog {
  #db: Db;
  #queue: WriteQueue<RequestLogRow>;
  #maxRows: number;
  #insert;
  #trim;
  #byId;

  constructor(opts: RequestLogOptions) {
    if (!(opts.maxRows >= 1)) throw new RangeError('RequestLog: maxRows must be at least 1');
    this.#db = opts.db;
    this.#maxRows = opts.maxRows;
    this.#insert = this.#db.prepare(`INSERT INTO request_log (id, ts, endpoint, path, method, model, requested_model, provider,
      status, latency_ms, first_byte_ms, stream, cache, attempts, prompt_tokens, completion_tokens, cost_usd, error_code, client, detail)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.#trim = this.#db.prepare('DELETE FROM request_log WHERE seq <= (SELECT MAX(seq) FROM request_log) - ?');
    this.#byId = this.#db.prepare('SELECT * FROM request_log WHERE id = ? ORDER BY seq DESC LIMIT 1');
    const write = this.#db.transaction((rows: RequestLogRow[]) => {
      for (const r of rows) {
        // positional binding: 1.7 µs a row less than named parameters from a spread object
        this.#insert.run(r.id, r.ts, r.endpoint, r.path, r.method, r.model, r.requestedModel, r.provider, r.status, r.latencyMs,
          r.firstByteMs ?? null, r.stream ? 1 : 0, r.cache, r.attempts, r.promptTokens, r.completionTokens, r.costUsd, r.errorCode ?? null, r.client,
          JSON.stringify(r.detail));
      }
      this.#trim.run(this.#maxRows);
    });
    this.#queue = new WriteQueue<RequestLogRow>({
      clock: opts.clock, logger: opts.logger, name: 'request log', intervalMs: opts.flushIntervalMs ?? 250, maxRows: 500,
      write: (rows) => write(rows), onError: opts.onWriteError, onRecover: opts.onWriteRecovered,
    });
  }

  append(row: RequestLogRow): void { this.#queue.push(row); }

  /** A new bound (Settings): applied at the next flush, which drops the oldest rows beyond it. */
  setMaxRows(maxRows: number): void {
    if (!(maxRows >= 1)) throw new RangeError('RequestLog: maxRows must be at least 1');
    this.#maxRows = maxRows;
  }

  flush(): void { this.#queue.flush(); }

  get(id: string): RequestLogRow | null {
    this.flush();
    const r = this.#byId.get(id) as Row | undefined;
    return r ? fromRow(r) : null;
  }

  list(q: RequestLogQuery = {}): RequestLogRow[] {
    this.flush();
    const where: string[] = [];
    const params: unknown[] = [];
    if (q.before !== undefined && Number.isFinite(q.before)) { where.push('ts < ?'); params.push(q.before); }
    if (q.model) { where.push('(model = ? OR requested_model = ?)'); params.push(q.model, q.model); }
    if (q.provider) { where.push('provider = ?'); params.push(q.provider); }
    if (q.status === 'ok') where.push('status < 400');
    else if (q.status === 'error') where.push('status >= 400');
    else if (typeof q.status === 'number') { where.push('status = ?'); params.push(q.status); }
    if (q.cache) { where.push('cache = ?'); params.push(q.cache); }
    if (q.text) {
      where.push("(path LIKE ? ESCAPE '\\' OR model LIKE ? ESCAPE '\\' OR id LIKE ? ESCAPE '\\' OR detail LIKE ? ESCAPE '\\')");
      const like = `%${q.text.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
      params.push(like, like, like, like);
    }
    const limit = Number.isFinite(q.limit) ? Math.min(Math.max(1, Math.floor(q.limit!)), 1000) : 100;
    const sql = `SELECT * FROM request_log ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY seq DESC LIMIT ${limit}`;
    return (this.#db.prepare(sql).all(...params) as Row[]).map(fromRow);
  }

  count(): number {
    this.flush();
    return (this.#db.prepare('SELECT COUNT(*) AS n FROM request_log').get() as { n: number }).n;
  }

  close(): void { this.#queue.close(); }
}
