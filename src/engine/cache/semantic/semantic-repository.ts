// Semantic entries' vectors and false-hit marks in SQLite, deleted together with the cache entries
// they belong to. Vectors are stored sparse (indices + values) when that is smaller, dense otherwise.
import type { Db } from '../../store/database.ts';
import type { SparseVector } from './embedder.ts';
import type { FalseHitMark, SemanticPersistence, StoredSemanticEntry } from './semantic-matcher.ts';

/** Creates the semantic tables if they do not exist. Safe to call on every start. */
export function migrateSemantic(db: Db): void {
  db.exec(`CREATE TABLE IF NOT EXISTS semantic_entries (
    entry_key TEXT PRIMARY KEY,
    context_key TEXT NOT NULL,
    embedder TEXT NOT NULL,
    text TEXT NOT NULL,
    dims INTEGER NOT NULL,
    indices BLOB,
    vals BLOB NOT NULL,
    threshold REAL,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX IF NOT EXISTS semantic_entries_embedder ON semantic_entries (embedder, context_key);
  CREATE TABLE IF NOT EXISTS semantic_false_hits (
    entry_key TEXT NOT NULL,
    query_hash TEXT NOT NULL,
    query_text TEXT NOT NULL,
    score REAL NOT NULL,
    marked_at INTEGER NOT NULL,
    PRIMARY KEY (entry_key, query_hash)
  );`);
}

interface EntryRow {
  entry_key: string; context_key: string; text: string; dims: number;
  indices: Buffer | null; vals: Buffer; threshold: number | null; created_at: number;
}
interface MarkRow { entry_key: string; query_hash: string; query_text: string; score: number; marked_at: number }

function bytes(a: Uint32Array | Float32Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

function decode(row: EntryRow): SparseVector {
  const vals = new Float32Array(row.vals.byteLength / 4);
  new Uint8Array(vals.buffer).set(row.vals);
  if (row.indices === null) {
    return { dims: row.dims, indices: Uint32Array.from({ length: vals.length }, (_, i) => i), values: vals };
  }
  const indices = new Uint32Array(row.indices.byteLength / 4);
  new Uint8Array(indices.buffer).set(row.indices);
  return { dims: row.dims, indices, values: vals };
}

export class SemanticRepository implements SemanticPersistence {
  #db: Db;
  #save; #load; #loadMarks; #delEntry; #delMarks; #saveMark; #setThreshold; #dropEmbedder; #dropOrphanMarks; #count;

  constructor(db: Db) {
    if (!db || typeof db.prepare !== 'function') throw new TypeError('SemanticRepository: db must be an open better-sqlite3 database.');
    this.#db = db;
    this.#save = db.prepare(`INSERT INTO semantic_entries (entry_key, context_key, embedder, text, dims, indices, vals, threshold, created_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT(entry_key) DO UPDATE SET context_key = excluded.context_key, embedder = excluded.embedder, text = excluded.text,
        dims = excluded.dims, indices = excluded.indices, vals = excluded.vals, threshold = excluded.threshold, created_at = excluded.created_at`);
    this.#load = db.prepare('SELECT entry_key, context_key, text, dims, indices, vals, threshold, created_at FROM semantic_entries WHERE embedder = ?');
    this.#loadMarks = db.prepare(`SELECT m.entry_key, m.query_hash, m.query_text, m.score, m.marked_at FROM semantic_false_hits m
      JOIN semantic_entries e ON e.entry_key = m.entry_key WHERE e.embedder = ?`);
    this.#delEntry = db.prepare('DELETE FROM semantic_entries WHERE entry_key = ?');
    this.#delMarks = db.prepare('DELETE FROM semantic_false_hits WHERE entry_key = ?');
    this.#saveMark = db.prepare(`INSERT INTO semantic_false_hits (entry_key, query_hash, query_text, score, marked_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT(entry_key, query_hash) DO UPDATE SET score = excluded.score, marked_at = excluded.marked_at`);
    this.#setThreshold = db.prepare('UPDATE semantic_entries SET threshold = ? WHERE entry_key = ?');
    this.#dropEmbedder = db.prepare('DELETE FROM semantic_entries WHERE embedder = ?');
    this.#count = db.prepare('SELECT COUNT(*) AS n FROM semantic_entries');
    this.#dropOrphanMarks = db.prepare('DELETE FROM semantic_false_hits WHERE entry_key NOT IN (SELECT entry_key FROM semantic_entries)');
  }

  save(embedderId: string, e: StoredSemanticEntry): void {
    const v = e.vector;
    const dense = v.indices.length === v.dims;
    this.#save.run(e.entryKey, e.contextKey, embedderId, e.text, v.dims, dense ? null : bytes(v.indices), bytes(v.values), e.threshold, e.createdAt);
  }

  /** Entries (with vectors) and false-hit marks written by this embedder. */
  load(embedderId: string): { entries: StoredSemanticEntry[]; marks: FalseHitMark[] } {
    const entries = (this.#load.all(embedderId) as EntryRow[]).map((r) => ({
      entryKey: r.entry_key, contextKey: r.context_key, text: r.text, vector: decode(r), threshold: r.threshold, createdAt: r.created_at,
    }));
    const marks = (this.#loadMarks.all(embedderId) as MarkRow[]).map((r) => ({
      entryKey: r.entry_key, queryHash: r.query_hash, queryText: r.query_text, score: r.score, markedAt: r.marked_at,
    }));
    return { entries, marks };
  }

  /** Deletes entries and their false-hit marks, in one transaction (call it when the cache entries go). */
  deleteByEntryKeys(entryKeys: readonly string[]): void {
    this.#db.transaction(() => {
      for (const key of entryKeys) { this.#delEntry.run(key); this.#delMarks.run(key); }
    })();
  }

  saveFalseHit(mark: FalseHitMark, newThreshold: number): void {
    this.#db.transaction(() => {
      this.#saveMark.run(mark.entryKey, mark.queryHash, mark.queryText, mark.score, mark.markedAt);
      this.#setThreshold.run(newThreshold, mark.entryKey);
    })();
  }

  /** Every entry and mark (the whole cache was cleared). */
  deleteAll(): void {
    this.#db.transaction(() => {
      this.#db.exec('DELETE FROM semantic_entries; DELETE FROM semantic_false_hits;');
    })();
  }

  count(): number {
    return (this.#count.get() as { n: number }).n;
  }

  /** Drops the vectors (and marks) of an embedder no rule uses any more; returns entries removed. */
  deleteByEmbedder(embedderId: string): number {
    return this.#db.transaction(() => {
      const n = this.#dropEmbedder.run(embedderId).changes;
      this.#dropOrphanMarks.run();
      return n;
    })();
  }
}
