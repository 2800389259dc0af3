// The disk tier: one SQLite file owned by the cache (WAL, versioned schema, statements prepared
// once, private fields — after undici's SqliteCacheStore). Writes are queued and flushed in one
// transaction per tick of the injected clock; reads are prepared selects. Every body carries a
// sha256 checked on read: a row that fails it is dropped, never served. A database that cannot be
// read is moved aside and recreated (the cache is disposable), and the owner is told.
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Clock, TimerHandle } from '../clock.ts';
import type { Logger } from '../logger.ts';
import { silentLogger } from '../logger.ts';
import type { Endpoint } from '../../shared/targets.ts';
import {
  accountedBytes, addSavings, emptySavings, entryLimit, hitRate, pageBounds,
  type CacheEntry, type CacheEntrySummary, type CacheFilter, type CacheListPage, type CacheListQuery, type CacheLookup, type CacheStore, type CacheStoreStats,
} from './cache-entry.ts';

/** cache.db's own version, apart from sluice.db's migrations: 1 the first schema, 2 added usage_estimated. */
export const SCHEMA_VERSION = 2;

export interface CacheDbProblem {
  file: string;
  /** Where the unreadable file was moved (null for an in-memory database). */
  movedTo: string | null;
  reason: 'corrupt' | 'schema';
  error: string;
}

export interface SqliteStoreOptions {
  /** Database file (its folder is created), or ':memory:'. */
  location: string;
  /** Cap on accounted bytes; least recently used entries are evicted past it. */
  maxBytes: number;
  clock: Clock;
  /** How long past expiresAt an entry is kept for stale serving, ms (default 7 days). */
  staleMaxMs?: number;
  /** Queued writes are flushed this often (default 50 ms) … */
  flushIntervalMs?: number;
  /** … or as soon as this many are waiting (default 1000). */
  maxBatch?: number;
  /** Largest single entry accepted, bytes (default maxBytes / 4). */
  maxEntryBytes?: number;
  logger?: Logger;
  /** Called when the database was unreadable and has been moved aside and recreated. */
  onCorrupt?: (problem: CacheDbProblem) => void;
}

interface Row {
  key: string; endpoint: string; provider: string; model: string; namespace: string; tenant: string;
  created_at: number; expires_at: number; content_type: string; body?: Buffer; checksum?: Buffer; size: number; acct: number;
  hits: number; last_hit_at: number | null; request_text: string; prompt_tokens: number; completion_tokens: number;
  cost_usd: number; latency_ms: number; usage_estimated: number;
}

const SUMMARY_COLUMNS = `key, endpoint, provider, model, namespace, tenant, created_at, expires_at, content_type, size, acct,
  hits, last_hit_at, request_text, prompt_tokens, completion_tokens, cost_usd, latency_ms, usage_estimated`;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS cache_entries (
    key TEXT PRIMARY KEY NOT NULL,
    endpoint TEXT NOT NULL, provider TEXT NOT NULL, model TEXT NOT NULL, namespace TEXT NOT NULL, tenant TEXT NOT NULL,
    created_at INTEGER NOT NULL, expires_at INTEGER NOT NULL, content_type TEXT NOT NULL,
    body BLOB NOT NULL, checksum BLOB NOT NULL, size INTEGER NOT NULL, acct INTEGER NOT NULL,
    hits INTEGER NOT NULL DEFAULT 0, last_hit_at INTEGER, last_used_at INTEGER NOT NULL,
    request_text TEXT NOT NULL, prompt_tokens INTEGER NOT NULL, completion_tokens INTEGER NOT NULL,
    cost_usd REAL NOT NULL, latency_ms REAL NOT NULL, usage_estimated INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX IF NOT EXISTS cache_entries_lru ON cache_entries (last_used_at);
  CREATE INDEX IF NOT EXISTS cache_entries_expiry ON cache_entries (expires_at);
`;

/** What brings a database of an older version up to the next one (a new database gets SCHEMA at once). */
const UPGRADES: Record<number, string> = {
  // rows from version 1 keep 0 + 0 tokens when their answer carried no usage: see cache-usage.ts
  2: `ALTER TABLE cache_entries ADD COLUMN usage_estimated INTEGER NOT NULL DEFAULT 0`,
};

const DB_BROKEN = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB', 'SQLITE_CORRUPT_INDEX', 'SQLITE_CORRUPT_VTAB', 'SQLITE_CORRUPT_SEQUENCE']);
function isBroken(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && (DB_BROKEN.has(code) || code.startsWith('SQLITE_CORRUPT'));
}

function sha256(buf: Buffer): Buffer {
  return createHash('sha256').update(buf).digest();
}

class SchemaTooNewError extends Error {}

interface Statements {
  get: Database.Statement;
  acctOf: Database.Statement;
  upsert: Database.Statement;
  hit: Database.Statement;
  del: Database.Statement;
  lru: Database.Statement;
  dead: Database.Statement;
  totals: Database.Statement;
}

export class SqliteStore implements CacheStore {
  readonly tier = 'disk' as const;
  #opts: Required<Omit<SqliteStoreOptions, 'onCorrupt'>> & Pick<SqliteStoreOptions, 'onCorrupt'>;
  #db!: Database.Database;
  #st!: Statements;
  #dynamic = new Map<string, Database.Statement>();
  #pendingSets = new Map<string, CacheEntry>();
  #pendingHits = new Map<string, { n: number; at: number }>();
  #timer: TimerHandle | null = null;
  #failing = false;
  #closed = false;
  #count = 0;
  #bytes = 0;
  #hits = 0;
  #misses = 0;
  #evictions = 0;
  #expired = 0;
  #corrupt = 0;
  #recoveries = 0;
  #saved = emptySavings();
  /** The entry limit the store was given, if any (see entryLimit). */
  #givenEntryLimit: number | undefined;

  constructor(opts: SqliteStoreOptions) {
    if (!opts || typeof opts.location !== 'string' || opts.location === '') throw new TypeError('SqliteStore: location must be a file path or ":memory:"');
    if (!Number.isInteger(opts.maxBytes) || opts.maxBytes <= 0) throw new RangeError(`SqliteStore: maxBytes must be a positive integer, got ${opts.maxBytes}`);
    if (!opts.clock) throw new TypeError('SqliteStore: clock is required');
    const staleMaxMs = opts.staleMaxMs ?? 7 * 24 * 3600_000;
    const flushIntervalMs = opts.flushIntervalMs ?? 50;
    const maxBatch = opts.maxBatch ?? 1000;
    const maxEntryBytes = opts.maxEntryBytes ?? entryLimit(opts.maxBytes);
    if (!(staleMaxMs >= 0)) throw new RangeError(`SqliteStore: staleMaxMs must be >= 0, got ${staleMaxMs}`);
    if (!(flushIntervalMs > 0)) throw new RangeError(`SqliteStore: flushIntervalMs must be positive, got ${flushIntervalMs}`);
    if (!Number.isInteger(maxBatch) || maxBatch < 1) throw new RangeError(`SqliteStore: maxBatch must be a positive integer, got ${maxBatch}`);
    if (!(maxEntryBytes > 0) || maxEntryBytes > opts.maxBytes) throw new RangeError(`SqliteStore: maxEntryBytes must be in 1..maxBytes, got ${maxEntryBytes}`);
    this.#opts = { ...opts, staleMaxMs, flushIntervalMs, maxBatch, maxEntryBytes, logger: opts.logger ?? silentLogger };
    this.#givenEntryLimit = opts.maxEntryBytes;
    try {
      this.#open();
    } catch (err) {
      this.#recover(err, err instanceof SchemaTooNewError ? 'schema' : 'corrupt');
    }
  }

  /** How many times the database was found unreadable and recreated since this store opened. */
  get recoveries(): number { return this.#recoveries; }
  /** Writes accepted but not yet in the database. */
  get pendingWrites(): number { return this.#pendingSets.size + this.#pendingHits.size; }

  #open(): void {
    const file = this.#opts.location;
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    const db = new Database(file);
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('busy_timeout = 5000');
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version > SCHEMA_VERSION) throw new SchemaTooNewError(`cache schema version ${version} is newer than ${SCHEMA_VERSION}`);
      if (version < SCHEMA_VERSION) {
        db.transaction(() => {
          if (version === 0) db.exec(SCHEMA);
          else for (let v = version + 1; v <= SCHEMA_VERSION; v++) db.exec(UPGRADES[v]);
          db.pragma(`user_version = ${SCHEMA_VERSION}`);
        })();
      }
      this.#st = {
        get: db.prepare(`SELECT * FROM cache_entries WHERE key = ?`),
        acctOf: db.prepare(`SELECT acct FROM cache_entries WHERE key = ?`).pluck(),
        upsert: db.prepare(`INSERT OR REPLACE INTO cache_entries
          (key, endpoint, provider, model, namespace, tenant, created_at, expires_at, content_type, body, checksum, size, acct,
           hits, last_hit_at, last_used_at, request_text, prompt_tokens, completion_tokens, cost_usd, latency_ms, usage_estimated)
          VALUES (@key, @endpoint, @provider, @model, @namespace, @tenant, @created_at, @expires_at, @content_type, @body, @checksum, @size, @acct,
           @hits, @last_hit_at, @last_used_at, @request_text, @prompt_tokens, @completion_tokens, @cost_usd, @latency_ms, @usage_estimated)`),
        hit: db.prepare(`UPDATE cache_entries SET hits = hits + ?, last_hit_at = ?, last_used_at = ? WHERE key = ?`),
        del: db.prepare(`DELETE FROM cache_entries WHERE key = ? RETURNING acct`).pluck(),
        lru: db.prepare(`SELECT key FROM cache_entries ORDER BY last_used_at ASC LIMIT ?`).pluck(),
        dead: db.prepare(`SELECT key FROM cache_entries WHERE expires_at < ? LIMIT ?`).pluck(),
        totals: db.prepare(`SELECT COUNT(*) AS n, COALESCE(SUM(acct), 0) AS bytes FROM cache_entries`),
      };
      const t = this.#st.totals.get() as { n: number; bytes: number };
      this.#count = t.n;
      this.#bytes = t.bytes;
      this.#db = db;
      this.#dynamic.clear();
    } catch (err) {
      try { db.close(); } catch { /* already unusable */ }
      throw err;
    }
  }

  /** Move an unreadable database aside, start an empty one, and report it. */
  #recover(err: unknown, reason: 'corrupt' | 'schema'): void {
    const file = this.#opts.location;
    try { this.#db?.close(); } catch { /* unusable anyway */ }
    let movedTo: string | null = null;
    if (file !== ':memory:') {
      movedTo = `${file}.${reason}-${this.#opts.clock.now()}`;
      for (const suffix of ['', '-wal', '-shm']) {
        if (existsSync(file + suffix)) renameSync(file + suffix, movedTo + suffix);
      }
    }
    this.#recoveries++;
    this.#count = 0;
    this.#bytes = 0;
    const problem: CacheDbProblem = { file, movedTo, reason, error: String((err as Error)?.message ?? err) };
    this.#opts.logger.warn('cache database unreadable; moved aside and recreated', { ...problem });
    this.#open();
    this.#opts.onCorrupt?.(problem);
  }

  /** Run a database operation; an unreadable database is recreated and `fallback` returned. */
  #guard<T>(fn: () => T, fallback: () => T): T {
    try {
      return fn();
    } catch (err) {
      if (!isBroken(err)) throw err;
      this.#recover(err, 'corrupt');
      return fallback();
    }
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error('SqliteStore: the store is closed');
  }

  get(key: string, now: number): CacheLookup | undefined {
    this.#assertOpen();
    const pending = this.#pendingSets.get(key);
    const entry = pending ?? this.#guard(() => this.#readRow(this.#st.get, key), () => undefined);
    if (!entry) { this.#misses++; return undefined; }
    if (now > entry.expiresAt + this.#opts.staleMaxMs) {
      this.delete(key);
      this.#expired++;
      this.#misses++;
      return undefined;
    }
    const expired = now > entry.expiresAt;
    if (expired) {
      this.#misses++;
    } else {
      this.#hits++;
      entry.hits++;
      entry.lastHitAt = now;
      addSavings(this.#saved, entry.meta);
      if (pending) {
        pending.lastHitAt = now;
      } else {
        const h = this.#pendingHits.get(key);
        if (h) { h.n++; h.at = now; } else this.#pendingHits.set(key, { n: 1, at: now });
        this.#schedule();
      }
    }
    return { ...entry, meta: { ...entry.meta }, body: pending ? Buffer.from(entry.body) : entry.body, expired };
  }

  noteHit(key: string, now: number): void {
    if (this.#closed) return;
    const pending = this.#pendingSets.get(key);
    if (pending) { pending.hits++; pending.lastHitAt = now; return; }
    const h = this.#pendingHits.get(key);
    if (h) { h.n++; h.at = now; } else this.#pendingHits.set(key, { n: 1, at: now });
    this.#schedule();
  }

  peek(key: string): CacheEntry | undefined {
    this.#assertOpen();
    const pending = this.#pendingSets.get(key);
    if (pending) return { ...pending, meta: { ...pending.meta }, body: Buffer.from(pending.body) };
    return this.#guard(() => this.#readRow(this.#st.get, key), () => undefined);
  }

  #readRow(stmt: Database.Statement, key: string): CacheEntry | undefined {
    const row = stmt.get(key) as Row | undefined;
    if (!row) return undefined;
    if (!row.body || !row.checksum || row.body.length !== row.size || !sha256(row.body).equals(row.checksum)) {
      if (this.#st.del.get(key) !== undefined) this.#forget(row.acct);
      this.#corrupt++;
      this.#opts.logger.warn('cache entry failed its checksum; dropped', { key });
      return undefined;
    }
    return { ...summaryOf(row), body: row.body };
  }

  #forget(acct: number): void {
    this.#count--;
    this.#bytes -= acct;
  }

  set(entry: CacheEntry): void {
    this.#assertOpen();
    if (!Buffer.isBuffer(entry.body)) throw new TypeError('SqliteStore.set: body must be a Buffer');
    if (accountedBytes(entry) > this.#opts.maxEntryBytes) { this.delete(entry.key); return; }
    this.#pendingHits.delete(entry.key);
    this.#pendingSets.set(entry.key, { ...entry, meta: { ...entry.meta }, size: entry.body.byteLength });
    this.#schedule();
  }

  #schedule(): void {
    if (this.#pendingSets.size + this.#pendingHits.size >= this.#opts.maxBatch && !this.#failing) { this.flush(); return; }
    if (!this.#timer) this.#timer = this.#opts.clock.setTimeout(() => { this.#timer = null; this.flush(); }, this.#opts.flushIntervalMs);
  }

  /** A new byte cap, applied now: queued writes land, then the least recently used entries go until the tier fits. */
  resize(maxBytes: number): void {
    this.#assertOpen();
    if (!Number.isInteger(maxBytes) || maxBytes <= 0) throw new RangeError(`SqliteStore: maxBytes must be a positive integer, got ${maxBytes}`);
    this.#opts.maxEntryBytes = entryLimit(maxBytes, this.#givenEntryLimit);
    this.#opts.maxBytes = maxBytes;
    this.flush(); // queued writes land, and a flush that wrote any has enforced the new cap already
    if (this.#bytes <= maxBytes) return;
    const now = this.#opts.clock.now();
    try {
      this.#guard(() => { this.#db.transaction(() => this.#write(new Map(), new Map(), now))(); return true; }, () => false);
    } catch (err) {
      // every flush enforces the cap too: the next write brings the tier within it
      this.#opts.logger.warn('cache: could not shrink the disk tier now; the next write will', { error: String((err as Error)?.message ?? err) });
    }
  }

  /** Write every queued set and hit in one transaction, then enforce the byte cap and the stale limit. */
  flush(): void {
    if (this.#closed) return;
    if (this.#timer) { this.#opts.clock.clearTimeout(this.#timer); this.#timer = null; }
    if (this.#pendingSets.size === 0 && this.#pendingHits.size === 0) return;
    const sets = this.#pendingSets;
    const hits = this.#pendingHits;
    this.#pendingSets = new Map();
    this.#pendingHits = new Map();
    const now = this.#opts.clock.now();
    try {
      const written = this.#guard(() => { this.#db.transaction(() => this.#write(sets, hits, now))(); return true; }, () => false);
      // After a recovery the new database is empty: write this batch again into it on the next tick.
      if (!written) throw new Error('cache database was recreated');
      this.#failing = false;
    } catch (err) {
      // Keep what was queued (newer writes win) and retry on the next tick.
      for (const [k, v] of sets) if (!this.#pendingSets.has(k)) this.#pendingSets.set(k, v);
      for (const [k, v] of hits) if (!this.#pendingHits.has(k)) this.#pendingHits.set(k, v);
      if (!this.#failing) this.#opts.logger.warn('cache write failed, will retry', { error: String((err as Error).message) });
      this.#failing = true;
      if (!this.#timer) this.#timer = this.#opts.clock.setTimeout(() => { this.#timer = null; this.flush(); }, this.#opts.flushIntervalMs);
    }
  }

  #write(sets: Map<string, CacheEntry>, hits: Map<string, { n: number; at: number }>, now: number): void {
    // Counters change only once the transaction commits: compute into locals first.
    let count = this.#count;
    let bytes = this.#bytes;
    let evictions = 0;
    let expired = 0;
    for (const e of sets.values()) {
      const old = this.#st.acctOf.get(e.key) as number | undefined;
      const acct = accountedBytes(e);
      this.#st.upsert.run({
        key: e.key, endpoint: e.endpoint, provider: e.provider, model: e.model, namespace: e.namespace, tenant: e.tenant,
        created_at: e.createdAt, expires_at: e.expiresAt, content_type: e.contentType, body: e.body, checksum: sha256(e.body),
        size: e.body.byteLength, acct, hits: e.hits, last_hit_at: e.lastHitAt, last_used_at: Math.max(e.lastHitAt ?? 0, e.createdAt),
        request_text: e.meta.requestText, prompt_tokens: e.meta.promptTokens, completion_tokens: e.meta.completionTokens,
        cost_usd: e.meta.costUsd, latency_ms: e.meta.latencyMs, usage_estimated: e.meta.usageEstimated ? 1 : 0,
      });
      if (old === undefined) count++; else bytes -= old;
      bytes += acct;
    }
    for (const [key, h] of hits) this.#st.hit.run(h.n, h.at, h.at, key);
    const deadKeys = this.#st.dead.all(now - this.#opts.staleMaxMs, 256) as string[];
    for (const key of deadKeys) {
      const acct = this.#st.del.get(key) as number | undefined;
      if (acct !== undefined) { count--; bytes -= acct; expired++; }
    }
    while (bytes > this.#opts.maxBytes && count > 0) {
      const victims = this.#st.lru.all(256) as string[];
      if (victims.length === 0) break;
      for (const key of victims) {
        if (bytes <= this.#opts.maxBytes) break;
        const acct = this.#st.del.get(key) as number | undefined;
        if (acct !== undefined) { count--; bytes -= acct; evictions++; }
      }
    }
    this.#count = count;
    this.#bytes = bytes;
    this.#evictions += evictions;
    this.#expired += expired;
  }

  delete(key: string): boolean {
    this.#assertOpen();
    const hadPending = this.#pendingSets.delete(key);
    this.#pendingHits.delete(key);
    const acct = this.#guard(() => this.#st.del.get(key) as number | undefined, () => undefined);
    if (acct !== undefined) this.#forget(acct);
    return hadPending || acct !== undefined;
  }

  #where(f: CacheFilter & { text?: string }): { sql: string; params: unknown[] } {
    const parts: string[] = [];
    const params: unknown[] = [];
    if (f.model !== undefined) { parts.push('model = ?'); params.push(f.model); }
    if (f.namespace !== undefined) { parts.push('namespace = ?'); params.push(f.namespace); }
    if (f.endpoint !== undefined) { parts.push('endpoint = ?'); params.push(f.endpoint); }
    if (f.createdBefore !== undefined) { parts.push('created_at < ?'); params.push(f.createdBefore); }
    if (f.createdAfter !== undefined) { parts.push('created_at >= ?'); params.push(f.createdAfter); }
    if (f.text) { parts.push(`request_text LIKE ? ESCAPE '\\'`); params.push('%' + f.text.replace(/[\\%_]/g, (c) => '\\' + c) + '%'); }
    return { sql: parts.length ? ' WHERE ' + parts.join(' AND ') : '', params };
  }

  /** Statements built from a filter's shape are prepared once per shape. */
  #prepared(sql: string): Database.Statement {
    let st = this.#dynamic.get(sql);
    if (!st) { st = this.#db.prepare(sql); this.#dynamic.set(sql, st); }
    return st;
  }

  clear(filter: CacheFilter = {}): number {
    this.#assertOpen();
    this.flush();
    const { sql, params } = this.#where(filter);
    return this.#guard(() => {
      const removed = this.#prepared(`DELETE FROM cache_entries${sql} RETURNING acct`).pluck().all(...params) as number[];
      for (const acct of removed) this.#forget(acct);
      return removed.length;
    }, () => 0);
  }

  list(query: CacheListQuery = {}): CacheListPage {
    this.#assertOpen();
    const { offset, limit } = pageBounds(query);
    this.flush();
    const { sql, params } = this.#where(query);
    return this.#guard(() => {
      const total = this.#prepared(`SELECT COUNT(*) FROM cache_entries${sql}`).pluck().get(...params) as number;
      const rows = this.#prepared(`SELECT ${SUMMARY_COLUMNS} FROM cache_entries${sql} ORDER BY created_at DESC, key ASC LIMIT ? OFFSET ?`)
        .all(...params, limit, offset) as Row[];
      return { total, items: rows.map(summaryOf) };
    }, () => ({ total: 0, items: [] }));
  }

  stats(): CacheStoreStats {
    let entries = this.#count;
    let bytes = this.#bytes;
    for (const e of this.#pendingSets.values()) {
      if (!this.#st.acctOf.get(e.key)) entries++;
      bytes += accountedBytes(e);
    }
    return {
      tier: 'disk', entries, bytes, maxBytes: this.#opts.maxBytes,
      hits: this.#hits, misses: this.#misses, hitRate: hitRate(this.#hits, this.#misses),
      evictions: this.#evictions, expired: this.#expired, corrupt: this.#corrupt, saved: { ...this.#saved },
    };
  }

  close(): void {
    if (this.#closed) return;
    this.flush();
    if (this.#timer) { this.#opts.clock.clearTimeout(this.#timer); this.#timer = null; }
    this.#closed = true;
    try { this.#db.pragma('wal_checkpoint(TRUNCATE)'); } catch { /* best effort */ }
    this.#db.close();
  }
}

function summaryOf(row: Row): CacheEntrySummary {
  return {
    key: row.key, endpoint: row.endpoint as Endpoint, provider: row.provider, model: row.model, namespace: row.namespace,
    tenant: row.tenant, createdAt: row.created_at, expiresAt: row.expires_at, contentType: row.content_type, size: row.size,
    hits: row.hits, lastHitAt: row.last_hit_at,
    meta: {
      requestText: row.request_text, promptTokens: row.prompt_tokens, completionTokens: row.completion_tokens, usageEstimated: row.usage_estimated === 1,
      costUsd: row.cost_usd, latencyMs: row.latency_ms,
    },
  };
}
