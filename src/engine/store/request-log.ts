// The request log: one row per finished request, bounded (oldest dropped), in its own file
// (requests.db). Rows are queued on the event loop and written in batches by a worker thread
// (log-writer-thread.ts); reads run here on their own connection, after the writer has caught up.
import { renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { RequestLogValues, RequestValueField } from '../../shared/admin/core-routes.ts';
import type { RequestSummary } from '../../shared/events.ts';
import { statusRanges, type StatusFilter } from '../../shared/status-filter.ts';
import type { Clock } from '../clock.ts';
import type { Logger } from '../logger.ts';
import { BadRequestError } from '../errors.ts';
import { migrate, openDataDir, type Db, type Migration } from './database.ts';
import { LogWriterThread } from './log-writer-thread.ts';
import { WriteQueue } from './write-queue.ts';

export interface RequestLogDetail {
  /** Route trace, timings, cache key, redacted headers; bodies only when body logging is on. */
  trace: unknown[];
  timings: Record<string, number | null>;
  cacheKey: string | null;
  /** The upstream's id for the answer or error the client was sent, when it gave one. */
  upstreamRequestId?: string;
  requestHeaders: Record<string, string>;
  requestBody?: string;
  responseBody?: string;
}

export interface RequestLogRow extends RequestSummary { detail: RequestLogDetail }

export interface RequestLogQuery {
  limit?: number;
  /** Rows received before this ms time. */
  before?: number;
  /** Rows listed after this request (the last row of the page before): pages through every row exactly once. */
  beforeId?: string;
  endpoint?: string;
  model?: string;
  provider?: string;
  status?: StatusFilter;
  cache?: string;
  text?: string;
}

/** The request log's schema, in its own file (requests.db), written by a worker thread. */
export const requestLogSchema: Migration = {
  version: 1,
  name: 'request log',
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
    `);
  },
};

/** The fields a log can be filtered by, each value's last row kept current by a trigger (see requestLogValuesSchema). */
const VALUE_FIELDS = {
  model: 'model', requestedModel: 'requested_model', provider: 'provider', endpoint: 'endpoint', status: 'status', cache: 'cache',
} as const satisfies Record<RequestValueField, string>;

/**
 * The distinct values of the filtered fields, each with the last row (seq) that holds it, for the
 * panel's filter menus. With 100k rows, a SELECT DISTINCT of the six fields took 130–380 ms and this
 * table 0.09 ms (bench/request-log-values.ts); the trigger that keeps it adds 1–3 µs to each row the
 * writer thread inserts (13.5–15 µs before), off the event loop, and the writer's statements stay as
 * they are. Rows the bound drops leave their values behind: reads skip them (last_seq below the oldest
 * row) and the next start deletes them.
 */
export const requestLogValuesSchema: Migration = {
  version: 2,
  name: 'request log values',
  up(db) {
    const fields = Object.values(VALUE_FIELDS);
    db.exec(`
      CREATE TABLE request_log_values (
        field TEXT NOT NULL,
        value NOT NULL, -- no type: a status stays a number, a model named '429' stays text
        last_seq INTEGER NOT NULL,
        PRIMARY KEY (field, value)
      ) WITHOUT ROWID;
      CREATE TRIGGER request_log_values_seen AFTER INSERT ON request_log BEGIN
        INSERT INTO request_log_values (field, value, last_seq)
          VALUES ${fields.map((f) => `('${f}', NEW.${f}, NEW.seq)`).join(', ')}
          ON CONFLICT (field, value) DO UPDATE SET last_seq = MAX(last_seq, excluded.last_seq);
      END;
      ${fields.map((f) => `INSERT INTO request_log_values (field, value, last_seq) SELECT '${f}', ${f}, MAX(seq) FROM request_log GROUP BY ${f};`).join('\n')}
    `);
  },
};

export const REQUEST_LOG_MIGRATIONS: readonly Migration[] = [requestLogSchema, requestLogValuesSchema];

export const REQUEST_LOG_FILE = 'requests.db';

/**
 * Opens requests.db in the data dir with its schema. The log is a record, not state: a file that
 * cannot be read is moved aside (requests.db.unreadable-<time>) and a new one started.
 */
export function openRequestLogDb(dataDir: string, logger: Logger, now = Date.now()): Db {
  const file = join(dataDir, REQUEST_LOG_FILE);
  const open = () => {
    const db = openDataDir(dataDir, REQUEST_LOG_FILE);
    try {
      migrate(db, REQUEST_LOG_MIGRATIONS);
      // values whose rows the bound dropped since: reads skip them, and here they go
      db.prepare('DELETE FROM request_log_values WHERE last_seq < IFNULL((SELECT MIN(seq) FROM request_log), last_seq + 1)').run();
      return db;
    } catch (err) {
      db.close();
      throw err;
    }
  };
  try {
    return open();
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    if (!/^SQLITE_(CORRUPT|NOTADB)/.test(code)) throw err;
    const aside = `${file}.unreadable-${now}`;
    renameSync(file, aside);
    for (const suffix of ['-wal', '-shm']) rmSync(file + suffix, { force: true });
    logger.warn('request log unreadable; moved aside and started anew', { file: aside, error: String((err as Error).message) });
    return open();
  }
}

/**
 * Up to migration 53 the request log lived in sluice.db. Copies those rows into requests.db, once
 * (not when requests.db already holds rows); migration 53 then drops the old table.
 */
export function adoptLegacyRequestLog(logDb: Db, sluiceDb: Db): number {
  const legacy = sluiceDb.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'request_log'").get();
  if (!legacy || (logDb.prepare('SELECT COUNT(*) AS n FROM request_log').get() as { n: number }).n > 0) return 0;
  logDb.prepare('ATTACH DATABASE ? AS legacy').run(sluiceDb.name);
  try {
    return logDb.prepare('INSERT INTO main.request_log SELECT * FROM legacy.request_log ORDER BY seq').run().changes;
  } finally {
    logDb.exec('DETACH DATABASE legacy');
  }
}

/** sluice.db: the request log's old table goes, its rows adopted by requests.db (adoptLegacyRequestLog). */
export const requestLogMovedMigration: Migration = {
  version: 53,
  name: 'request log moved to requests.db',
  up(db) { db.exec('DROP TABLE IF EXISTS request_log'); },
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
  /** requests.db (openRequestLogDb): reads use this connection, the writer thread opens its own. */
  db: Db;
  clock: Clock;
  logger: Logger;
  maxRows: number;
  flushIntervalMs?: number;
  onWriteError?(err: unknown): void;
  onWriteRecovered?(): void;
}

const INSERT_SQL = `INSERT INTO request_log (id, ts, endpoint, path, method, model, requested_model, provider,
  status, latency_ms, first_byte_ms, stream, cache, attempts, prompt_tokens, completion_tokens, cost_usd, error_code, client, detail)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
const TRIM_SQL = 'DELETE FROM request_log WHERE seq <= (SELECT MAX(seq) FROM request_log) - ?';

/** A row as the insert's positional parameters: plain values, cheap to hand to the writer thread. */
function toParams(r: RequestLogRow): unknown[] {
  return [r.id, r.ts, r.endpoint, r.path, r.method, r.model, r.requestedModel, r.provider, r.status, r.latencyMs,
    r.firstByteMs ?? null, r.stream ? 1 : 0, r.cache, r.attempts, r.promptTokens, r.completionTokens, r.costUsd, r.errorCode ?? null, r.client,
    JSON.stringify(r.detail)];
}

export class RequestLog {
  #db: Db;
  #queue: WriteQueue<RequestLogRow>;
  #writer: LogWriterThread;
  #maxRows: number;
  #byId;
  #posOf;
  #values;

  constructor(opts: RequestLogOptions) {
    if (!(opts.maxRows >= 1)) throw new RangeError('RequestLog: maxRows must be at least 1');
    this.#db = opts.db;
    this.#maxRows = opts.maxRows;
    this.#byId = this.#db.prepare('SELECT * FROM request_log WHERE id = ? ORDER BY seq DESC LIMIT 1');
    this.#posOf = this.#db.prepare('SELECT ts, seq FROM request_log WHERE id = ? ORDER BY seq DESC LIMIT 1');
    // the values of rows still in the log, newest first within each field; '' (no model named) is no value
    this.#values = this.#db.prepare(`SELECT field, value FROM (
        SELECT field, value, ROW_NUMBER() OVER (PARTITION BY field ORDER BY last_seq DESC) AS n FROM request_log_values
        WHERE last_seq >= (SELECT MIN(seq) FROM request_log) AND value <> ''
      ) WHERE n <= ?`);
    this.#writer = new LogWriterThread({
      name: 'request log', file: this.#db.name, insertSql: INSERT_SQL, trimSql: TRIM_SQL, logger: opts.logger,
      onError: (err) => opts.onWriteError?.(err), onRecover: () => opts.onWriteRecovered?.(),
    });
    this.#queue = new WriteQueue<RequestLogRow>({
      clock: opts.clock, logger: opts.logger, name: 'request log', intervalMs: opts.flushIntervalMs ?? 250, maxRows: 500,
      write: (rows) => this.#writer.write(rows.map(toParams), this.#maxRows),
    });
  }

  append(row: RequestLogRow): void { this.#queue.push(row); }

  /** A new bound (Settings): applied at the next flush, which drops the oldest rows beyond it. */
  setMaxRows(maxRows: number): void {
    if (!(maxRows >= 1)) throw new RangeError('RequestLog: maxRows must be at least 1');
    this.#maxRows = maxRows;
  }

  /** Hands queued rows to the writer and waits until they are written. */
  flush(): void {
    this.#queue.flush();
    this.#writer.settle();
  }

  get(id: string): RequestLogRow | null {
    this.flush();
    const r = this.#byId.get(id) as Row | undefined;
    return r ? fromRow(r) : null;
  }

  /**
   * Newest first by the time each request was received (ties by the order they were logged). A page
   * goes on from `beforeId`, the last row of the page before: a time alone (`before`) would skip or
   * repeat requests received in the same millisecond.
   */
  list(q: RequestLogQuery = {}): RequestLogRow[] {
    this.flush();
    const where: string[] = [];
    const params: unknown[] = [];
    if (q.before !== undefined && Number.isFinite(q.before)) { where.push('ts < ?'); params.push(q.before); }
    if (q.beforeId !== undefined) {
      const at = this.#posOf.get(q.beforeId) as { ts: number; seq: number } | undefined;
      // a cursor that names no row (mistyped, or dropped since by the log's bound) would end the paging silently
      // a filter that cannot be read is a 400, as every other filter of the log's is
      if (!at) throw new BadRequestError(`beforeId: no logged request '${q.beforeId}' to page on from; it may have been dropped by the log's bound (log.maxRows). Start again from the newest page.`, 'beforeId', 'SLUICE_UNKNOWN_CURSOR');
      where.push('(ts < ? OR (ts = ? AND seq < ?))');
      params.push(at.ts, at.ts, at.seq);
    }
    if (q.endpoint) { where.push('endpoint = ?'); params.push(q.endpoint); }
    if (q.model) { where.push('(model = ? OR requested_model = ?)'); params.push(q.model, q.model); }
    if (q.provider) { where.push('provider = ?'); params.push(q.provider); }
    if (q.status !== undefined) {
      const ranges = statusRanges(q.status);
      where.push(`(${ranges.map(() => 'status BETWEEN ? AND ?').join(' OR ')})`);
      for (const range of ranges) params.push(...range);
    }
    if (q.cache) { where.push('cache = ?'); params.push(q.cache); }
    if (q.text) {
      // the fields the panel's live list matches too (request-filter.ts), so a search means one thing on both;
      // not the detail, whose request headers ('keep-alive', a user agent) would match nearly every row
      const fields = ['id', 'path', 'model', 'requested_model', 'provider', 'error_code', 'client', 'CAST(status AS TEXT)'];
      where.push(`(${fields.map((f) => `${f} LIKE ? ESCAPE '\\'`).join(' OR ')})`);
      const like = `%${q.text.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
      for (let i = 0; i < fields.length; i++) params.push(like);
    }
    const limit = Number.isFinite(q.limit) ? Math.min(Math.max(1, Math.floor(q.limit!)), 1000) : 100;
    const sql = `SELECT * FROM request_log ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY ts DESC, seq DESC LIMIT ${limit}`;
    return (this.#db.prepare(sql).all(...params) as Row[]).map(fromRow);
  }

  /**
   * The values each filtered field has in the log, sorted; at most `limit` of a field, the ones its
   * newest rows hold, with the field named in `truncated` when it has more. Empty values are left out.
   */
  values(limit = 200): RequestLogValues {
    this.flush();
    const rows = Map.groupBy(this.#values.all(limit + 1) as Array<{ field: string; value: string | number }>, (r) => r.field);
    const truncated: RequestValueField[] = [];
    const of = (field: RequestValueField): Array<string | number> => {
      const list = (rows.get(VALUE_FIELDS[field]) ?? []).map((r) => r.value);
      if (list.length > limit) { truncated.push(field); list.length = limit; }
      return list;
    };
    const text = <T extends string>(field: RequestValueField) => (of(field) as T[]).sort();
    return {
      model: text('model'), requestedModel: text('requestedModel'), provider: text('provider'), endpoint: text('endpoint'),
      status: (of('status') as number[]).sort((a, b) => a - b), cache: text('cache'), truncated,
    };
  }

  count(): number {
    this.flush();
    return (this.#db.prepare('SELECT COUNT(*) AS n FROM request_log').get() as { n: number }).n;
  }

  /** Writes what is queued and ends the writer thread (before the connection closes). */
  close(): void {
    this.#queue.close();
    this.#writer.close();
  }
}
