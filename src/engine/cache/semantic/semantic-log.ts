// What the semantic cache records besides its vectors: recent semantic hits (asked vs cached question,
// score, whether a person marked it false) and, for the replay lab, one row per finished chat request
// (context key, the last user message truncated, answer hash, tokens, cost). Both tables are bounded;
// writes are queued and flushed in one transaction (flush() before reading, 256 queued, or 250 ms after the
// first: one commit per event-loop turn cost every chat request a transaction of its own under load).
// A request that repeats one whose record is still waiting to be written (same cache key, same answer)
// adds to that record's `repeats` instead of a row of its own: a dev loop or load test repeating one
// prompt cost a row per request (about 15 µs of CPU per cache hit in bench:cache). The lab replays the
// repeats right after their record, so a repeat moves at most one write window (250 ms) earlier.
import type { ReplayRecord, SemanticHitView } from '../../../shared/semantic.ts';
import type { Db } from '../../store/database.ts';

/** Creates the hit and request-record tables (migration 51). */
export function migrateSemanticLog(db: Db): void {
  db.exec(`CREATE TABLE IF NOT EXISTS semantic_hits (
    id TEXT PRIMARY KEY,
    ts INTEGER NOT NULL,
    request_id TEXT NOT NULL,
    entry_key TEXT NOT NULL,
    embedder TEXT NOT NULL,
    asked_text TEXT NOT NULL,
    cached_text TEXT NOT NULL,
    score REAL NOT NULL,
    threshold REAL NOT NULL,
    marked_false INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX IF NOT EXISTS semantic_hits_ts ON semantic_hits (ts);
  CREATE INDEX IF NOT EXISTS semantic_hits_entry ON semantic_hits (entry_key);
  CREATE TABLE IF NOT EXISTS semantic_requests (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    ts INTEGER NOT NULL,
    context_key TEXT NOT NULL,
    text TEXT NOT NULL,
    answer TEXT NOT NULL,
    tokens INTEGER NOT NULL,
    cost_usd REAL NOT NULL
  );`);
}

/** Lets one replay record stand for a request and its repeats (migration 52). */
export function migrateReplayRepeats(db: Db): void {
  db.exec('ALTER TABLE semantic_requests ADD COLUMN repeats INTEGER NOT NULL DEFAULT 1');
}

export interface RecordedRequest extends ReplayRecord { ts: number }

/** A record still waiting to be written; repeats of it are counted on it until the flush. */
interface PendingRecord extends RecordedRequest { repeats: number }

export interface SemanticLogOptions {
  db: Db;
  /** Hits kept (oldest dropped); default 1,000. */
  maxHits?: number;
  /** Request records (rows, each for one request or a run of its repeats) kept for the replay lab (oldest dropped); default 100,000. */
  maxRequests?: number;
  /** Schedules a flush soon (default: an unref'd 250 ms timer); tests may pass a no-op and call flush(). */
  schedule?: (fn: () => void) => void;
}

interface HitRow {
  id: string; ts: number; request_id: string; entry_key: string; embedder: string; asked_text: string; cached_text: string;
  score: number; threshold: number; marked_false: number;
}

function toView(r: HitRow): SemanticHitView {
  return {
    id: r.id, ts: r.ts, requestId: r.request_id, entryKey: r.entry_key, embedder: r.embedder, askedText: r.asked_text,
    cachedText: r.cached_text, score: r.score, threshold: r.threshold, markedFalse: r.marked_false === 1,
  };
}

export class SemanticLog {
  #db: Db;
  #maxHits: number;
  #maxRequests: number;
  #schedule: (fn: () => void) => void;
  #pending: Array<() => void> = [];
  /** Records queued and not yet written, by the key their repeats are recognised by. */
  #repeatable = new Map<string, PendingRecord>();
  #scheduled = false;
  #closed = false;
  #insHit; #listHits; #getHit; #hitsOf; #markHit; #pruneHits; #delHitsOf; #insReq; #pruneReqs; #recent; #countHits; #countReqs;

  constructor(opts: SemanticLogOptions) {
    if (!opts?.db || typeof opts.db.prepare !== 'function') throw new TypeError('SemanticLog: db must be an open better-sqlite3 database.');
    const maxHits = opts.maxHits ?? 1000;
    const maxRequests = opts.maxRequests ?? 100_000;
    if (!Number.isInteger(maxHits) || maxHits < 1) throw new RangeError(`SemanticLog: maxHits must be a positive integer, got ${maxHits}.`);
    if (!Number.isInteger(maxRequests) || maxRequests < 1) throw new RangeError(`SemanticLog: maxRequests must be a positive integer, got ${maxRequests}.`);
    const db = opts.db;
    this.#db = db;
    this.#maxHits = maxHits;
    this.#maxRequests = maxRequests;
    this.#schedule = opts.schedule ?? ((fn) => { setTimeout(fn, 250).unref(); });
    this.#insHit = db.prepare(`INSERT OR REPLACE INTO semantic_hits (id, ts, request_id, entry_key, embedder, asked_text, cached_text, score, threshold, marked_false)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0)`);
    this.#listHits = db.prepare('SELECT * FROM semantic_hits ORDER BY ts DESC, rowid DESC LIMIT ?');
    this.#getHit = db.prepare('SELECT * FROM semantic_hits WHERE id = ?');
    this.#hitsOf = db.prepare('SELECT id, asked_text FROM semantic_hits WHERE entry_key = ?');
    this.#markHit = db.prepare('UPDATE semantic_hits SET marked_false = 1 WHERE id = ?');
    this.#pruneHits = db.prepare('DELETE FROM semantic_hits WHERE rowid IN (SELECT rowid FROM semantic_hits ORDER BY ts DESC, rowid DESC LIMIT -1 OFFSET ?)');
    this.#delHitsOf = db.prepare('DELETE FROM semantic_hits WHERE entry_key = ?');
    this.#insReq = db.prepare('INSERT INTO semantic_requests (ts, context_key, text, answer, tokens, cost_usd, repeats) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.#pruneReqs = db.prepare('DELETE FROM semantic_requests WHERE seq <= (SELECT MAX(seq) FROM semantic_requests) - ?');
    this.#recent = db.prepare('SELECT ts, context_key, text, answer, tokens, cost_usd, repeats FROM semantic_requests ORDER BY seq DESC LIMIT ?');
    this.#countHits = db.prepare('SELECT COUNT(*) AS n FROM semantic_hits');
    this.#countReqs = db.prepare('SELECT COALESCE(SUM(repeats), 0) AS n FROM semantic_requests');
  }

  recordHit(hit: Omit<SemanticHitView, 'markedFalse'>): void {
    this.#queue(() => this.#insHit.run(hit.id, hit.ts, hit.requestId, hit.entryKey, hit.embedder, hit.askedText, hit.cachedText, hit.score, hit.threshold));
  }

  /**
   * Records one finished request. With `repeatKey` (the request's exact cache key), a later request
   * with the same key and answer counts on this record until it is written (see repeatRequest).
   */
  recordRequest(r: RecordedRequest, repeatKey?: string): void {
    if (this.#closed) return;
    const row: PendingRecord = { ...r, repeats: 1 };
    if (repeatKey !== undefined) this.#repeatable.set(repeatKey, row);
    this.#queue(() => this.#insReq.run(row.ts, row.contextKey, row.text, row.answer, Math.round(row.tokens), row.costUsd, row.repeats));
  }

  /**
   * Counts a repeat of a record still waiting to be written: same key, same answer. False when there
   * is none (already written, or answered differently), and the caller records the request itself.
   */
  repeatRequest(repeatKey: string, answer: string): boolean {
    const row = this.#repeatable.get(repeatKey);
    if (!row || row.answer !== answer) return false;
    row.repeats++;
    return true;
  }

  /** Hits of entries that are gone are dropped with them. */
  forgetEntries(entryKeys: readonly string[] | 'all'): void {
    if (entryKeys === 'all') this.#queue(() => this.#db.exec('DELETE FROM semantic_hits'));
    else this.#queue(() => { for (const k of entryKeys) this.#delHitsOf.run(k); });
  }

  hits(limit: number): SemanticHitView[] {
    this.flush();
    return (this.#listHits.all(limit) as HitRow[]).map(toView);
  }

  hit(id: string): SemanticHitView | undefined {
    this.flush();
    const row = this.#getHit.get(id) as HitRow | undefined;
    return row ? toView(row) : undefined;
  }

  /**
   * Marks a hit false, and every other hit of the same pair: the same entry, asked by a question
   * `samePair` accepts (the matcher's normalised form). A marked pair never matches again, so an older
   * hit of it still offering "Mark as false hit" would ask for something already done. Returns the ids marked.
   */
  markFalse(id: string, samePair: (askedText: string) => boolean = () => false): string[] {
    this.flush();
    const hit = this.#getHit.get(id) as HitRow | undefined;
    if (!hit) return [];
    const rows = this.#hitsOf.all(hit.entry_key) as Array<{ id: string; asked_text: string }>;
    const ids = [id, ...rows.filter((r) => r.id !== id && samePair(r.asked_text)).map((r) => r.id)];
    this.#db.transaction(() => { for (const x of ids) this.#markHit.run(x); })();
    return ids;
  }

  /** The most recent `limit` recorded requests, oldest first; the oldest record's repeats are cut to fit. */
  recentRequests(limit: number): RecordedRequest[] {
    this.flush();
    const rows = this.#recent.all(limit) as Array<{ ts: number; context_key: string; text: string; answer: string; tokens: number; cost_usd: number; repeats: number }>;
    const out: RecordedRequest[] = [];
    let left = limit;
    for (const r of rows) {
      if (left <= 0) break;
      const repeats = Math.min(r.repeats, left);
      left -= repeats;
      out.push({ ts: r.ts, contextKey: r.context_key, text: r.text, answer: r.answer, tokens: r.tokens, costUsd: r.cost_usd, repeats });
    }
    return out.reverse();
  }

  counts(): { hits: number; requests: number } {
    this.flush();
    return { hits: (this.#countHits.get() as { n: number }).n, requests: (this.#countReqs.get() as { n: number }).n };
  }

  /** Runs the queued writes in one transaction, then trims both tables to their bounds. */
  flush(): void {
    if (this.#pending.length === 0 || this.#closed) return;
    const ops = this.#pending.splice(0);
    this.#repeatable.clear();
    this.#db.transaction(() => {
      for (const op of ops) op();
      this.#pruneHits.run(this.#maxHits);
      this.#pruneReqs.run(this.#maxRequests);
    })();
  }

  /** Flushes and refuses further writes (the database is about to close). */
  close(): void {
    this.flush();
    this.#closed = true;
  }

  /** Queues any write (e.g. a vector's row) so it lands in the same batched transaction, in order. */
  defer(op: () => void): void { this.#queue(op); }

  #queue(op: () => void): void {
    if (this.#closed) return;
    this.#pending.push(op);
    if (this.#pending.length >= 256) { this.flush(); return; }
    if (this.#scheduled) return;
    this.#scheduled = true;
    this.#schedule(() => {
      this.#scheduled = false;
      try { this.flush(); } catch { /* a failed batch is dropped; the next one tries again */ }
    });
  }
}
