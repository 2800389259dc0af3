// Alerts in SQLite: one row per alert, its figures as JSON. Alerts are rare, so writes are direct.
import type { Alert } from '../../shared/alerts.ts';
import type { Db } from '../store/database.ts';

const ALERTS_SCHEMA_VERSION = 1;

/** Create or upgrade the alerts table. Idempotent; versioned in its own meta table. */
export function migrateAlerts(db: Db): void {
  db.exec('CREATE TABLE IF NOT EXISTS alerts_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)');
  const row = db.prepare("SELECT value FROM alerts_meta WHERE key = 'schema'").get() as { value: number } | undefined;
  const version = row?.value ?? 0;
  if (version > ALERTS_SCHEMA_VERSION) throw new Error(`alerts schema ${version} is newer than this Sluice understands (${ALERTS_SCHEMA_VERSION})`);
  if (version === ALERTS_SCHEMA_VERSION) return;
  db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS alerts (
      id TEXT PRIMARY KEY,
      kind TEXT NOT NULL,
      key TEXT NOT NULL,
      severity TEXT NOT NULL,
      title TEXT NOT NULL,
      message TEXT NOT NULL,
      figures TEXT NOT NULL,
      opened_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      resolved_at INTEGER,
      acknowledged_at INTEGER,
      occurrences INTEGER NOT NULL
    )`);
    db.exec('CREATE INDEX IF NOT EXISTS alerts_opened ON alerts (opened_at DESC)');
    db.exec('CREATE INDEX IF NOT EXISTS alerts_open ON alerts (kind, key) WHERE resolved_at IS NULL');
    db.prepare("INSERT INTO alerts_meta (key, value) VALUES ('schema', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value").run(ALERTS_SCHEMA_VERSION);
  })();
}

interface AlertRow {
  id: string; kind: string; key: string; severity: string; title: string; message: string; figures: string;
  opened_at: number; updated_at: number; resolved_at: number | null; acknowledged_at: number | null; occurrences: number;
}

function fromRow(r: AlertRow): Alert {
  return {
    id: r.id, kind: r.kind, key: r.key, severity: r.severity as Alert['severity'], title: r.title, message: r.message,
    figures: JSON.parse(r.figures) as Alert['figures'], openedAt: r.opened_at, updatedAt: r.updated_at,
    resolvedAt: r.resolved_at, acknowledgedAt: r.acknowledged_at, occurrences: r.occurrences,
  };
}

export interface AlertListQuery {
  status?: 'open' | 'resolved' | 'all';
  limit?: number;
}

export class AlertStore {
  readonly #put;
  readonly #get;
  readonly #open;
  readonly #listAll;
  readonly #listOpen;
  readonly #listResolved;
  readonly #prune;

  constructor(db: Db) {
    if (!db) throw new TypeError('AlertStore: a database is required');
    migrateAlerts(db);
    this.#put = db.prepare(`INSERT INTO alerts (id, kind, key, severity, title, message, figures, opened_at, updated_at, resolved_at, acknowledged_at, occurrences)
      VALUES (@id, @kind, @key, @severity, @title, @message, @figures, @openedAt, @updatedAt, @resolvedAt, @acknowledgedAt, @occurrences)
      ON CONFLICT(id) DO UPDATE SET severity = excluded.severity, title = excluded.title, message = excluded.message, figures = excluded.figures,
        updated_at = excluded.updated_at, resolved_at = excluded.resolved_at, acknowledged_at = excluded.acknowledged_at, occurrences = excluded.occurrences`);
    this.#get = db.prepare('SELECT * FROM alerts WHERE id = ?');
    this.#open = db.prepare('SELECT * FROM alerts WHERE resolved_at IS NULL ORDER BY opened_at');
    this.#listAll = db.prepare('SELECT * FROM alerts ORDER BY opened_at DESC, id LIMIT ?');
    this.#listOpen = db.prepare('SELECT * FROM alerts WHERE resolved_at IS NULL ORDER BY opened_at DESC, id LIMIT ?');
    this.#listResolved = db.prepare('SELECT * FROM alerts WHERE resolved_at IS NOT NULL ORDER BY opened_at DESC, id LIMIT ?');
    this.#prune = db.prepare('DELETE FROM alerts WHERE resolved_at IS NOT NULL AND resolved_at < ?');
  }

  save(a: Alert): void {
    this.#put.run({ ...a, figures: JSON.stringify(a.figures) });
  }

  get(id: string): Alert | null {
    const r = this.#get.get(id) as AlertRow | undefined;
    return r ? fromRow(r) : null;
  }

  /** Every alert not yet resolved, oldest first. */
  openAlerts(): Alert[] {
    return (this.#open.all() as AlertRow[]).map(fromRow);
  }

  list(q: AlertListQuery = {}): Alert[] {
    const limit = Math.max(1, Math.min(10_000, Math.floor(q.limit ?? 200)));
    const stmt = q.status === 'open' ? this.#listOpen : q.status === 'resolved' ? this.#listResolved : this.#listAll;
    return (stmt.all(limit) as AlertRow[]).map(fromRow);
  }

  /** Delete resolved alerts older than `before` (ms). Returns how many went. */
  prune(before: number): number {
    return this.#prune.run(before).changes;
  }
}
