// Settings and rules that a person edits: JSON values by key, with a history so a change can be rolled back.
import type { Db, Migration } from './database.ts';

/** sluice.db's first migration. (It also created the request log, which has lived in requests.db since migration 53.) */
export const settingsMigration: Migration = {
  version: 1,
  name: 'settings',
  up(db) {
    db.exec(`CREATE TABLE IF NOT EXISTS settings (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL,
      updated_at INTEGER NOT NULL
    );`);
  },
};

export const settingsHistoryMigration: Migration = {
  version: 2,
  name: 'settings history',
  up(db) {
    db.exec(`CREATE TABLE IF NOT EXISTS settings_history (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      key TEXT NOT NULL,
      value TEXT NOT NULL,
      saved_at INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS settings_history_key ON settings_history (key, seq);`);
  },
};

export interface SettingVersion { seq: number; savedAt: number; value: unknown }

export class SettingsRepository {
  #get; #put; #hist; #history; #version; #count;
  #db: Db;

  constructor(db: Db) {
    this.#db = db;
    this.#get = db.prepare('SELECT value FROM settings WHERE key = ?');
    this.#put = db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at');
    this.#hist = db.prepare('INSERT INTO settings_history (key, value, saved_at) VALUES (?, ?, ?)');
    this.#history = db.prepare('SELECT seq, value, saved_at FROM settings_history WHERE key = ? ORDER BY seq DESC LIMIT ?');
    this.#version = db.prepare('SELECT value FROM settings_history WHERE key = ? AND seq = ?');
    this.#count = db.prepare('SELECT COUNT(*) AS n FROM settings_history WHERE key = ?');
  }

  get<T>(key: string): T | undefined {
    const row = this.#get.get(key) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  /** Saves atomically, keeping the previous value in the history. */
  set(key: string, value: unknown, now: number): void {
    const json = JSON.stringify(value);
    this.#db.transaction(() => {
      this.#put.run(key, json, now);
      this.#hist.run(key, json, now);
    })();
  }

  /**
   * Rewrite every stored version of `key` (current value and history), e.g. to remove secrets an
   * older build kept here. Deleted bytes are zeroed (secure_delete) and the WAL is checkpointed.
   */
  scrubHistory(key: string, transform: (value: unknown) => unknown): void {
    this.#db.pragma('secure_delete = ON');
    this.#db.transaction(() => {
      const rows = this.#db.prepare('SELECT seq, value FROM settings_history WHERE key = ?').all(key) as Array<{ seq: number; value: string }>;
      const upd = this.#db.prepare('UPDATE settings_history SET value = ? WHERE seq = ?');
      for (const r of rows) upd.run(JSON.stringify(transform(JSON.parse(r.value))), r.seq);
      const cur = this.#get.get(key) as { value: string } | undefined;
      if (cur) this.#db.prepare('UPDATE settings SET value = ? WHERE key = ?').run(JSON.stringify(transform(JSON.parse(cur.value))), key);
    })();
    this.#db.pragma('wal_checkpoint(TRUNCATE)');
    this.#db.pragma('secure_delete = OFF');
  }

  history(key: string, limit = 50): SettingVersion[] {
    return (this.#history.all(key, limit) as Array<{ seq: number; value: string; saved_at: number }>).map((r) => ({
      seq: r.seq, savedAt: r.saved_at, value: JSON.parse(r.value),
    }));
  }

  /** How many versions of `key` were saved (the history only grows). */
  count(key: string): number {
    return (this.#count.get(key) as { n: number }).n;
  }

  version<T>(key: string, seq: number): T | undefined {
    const row = this.#version.get(key, seq) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as T) : undefined;
  }
}
