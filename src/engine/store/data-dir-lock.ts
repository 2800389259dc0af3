// One Sluice per data dir. Two on one would overwrite each other's settings (each writes its whole
// settings object on a change) and share cache.db and requests.db, without a word.
//
// The lock is SQLite's exclusive lock on `sluice.lock`, held from start to stop. The OS drops it when
// the process ends, however it ends (kill -9, a crash, a power cut), so nothing left behind can block the
// next start, and no pid has to be judged alive or dead (a pid the OS has since given to another process
// would look alive). SQLite also keeps two connections of one process apart, so two engines in one
// process are refused like two processes. `sluice.lock.json` says who holds the lock (pid, URL), for the
// message the second one prints; it is written only by the holder, and removed before the lock is let go.
//
// `sluice.lock` itself is never deleted: one process could still be opening the old file while another
// creates a new one, and each would then hold a lock of its own. Nothing else may open it either: closing
// any descriptor of a file drops every POSIX lock this process holds on it.
import Database from 'better-sqlite3';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataDirError } from '../errors.ts';
import { dataDirProblem } from './data-dir.ts';

export const LOCK_FILE = 'sluice.lock';
export const LOCK_HOLDER_FILE = 'sluice.lock.json';

/** Who holds a data dir, as `sluice.lock.json` records it. */
export interface LockHolder {
  pid: number;
  /** ms since the epoch. */
  startedAt: number;
  host: 'desktop' | 'headless';
  /** Where it listens; null until it does. */
  url: string | null;
}

export interface DataDirLockOptions {
  /** The data dir (it must exist: prepareDataDir). */
  dir: string;
  holder: Omit<LockHolder, 'url'>;
}

export class DataDirLock {
  readonly #db: Database.Database;
  readonly #holderFile: string;
  #holder: LockHolder;
  #released = false;

  private constructor(db: Database.Database, holderFile: string, holder: LockHolder) {
    this.#db = db;
    this.#holderFile = holderFile;
    this.#holder = holder;
  }

  /** Takes the data dir's lock, or throws a DataDirError naming the Sluice that holds it. */
  static acquire(opts: DataDirLockOptions): DataDirLock {
    if (!opts || typeof opts.dir !== 'string' || opts.dir === '') throw new TypeError('DataDirLock: dir must be a folder path');
    const holderFile = join(opts.dir, LOCK_HOLDER_FILE);
    let db: Database.Database;
    try {
      // timeout 0: a held lock is an answer, not something to wait for
      db = new Database(join(opts.dir, LOCK_FILE), { timeout: 0 });
    } catch (err) {
      throw dataDirProblem(opts.dir, err);
    }
    try {
      // no journal file beside it: nothing is ever written
      db.pragma('journal_mode = MEMORY');
      db.exec('BEGIN EXCLUSIVE');
    } catch (err) {
      db.close();
      const code = (err as { code?: string }).code;
      if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') throw inUse(opts.dir, readHolder(holderFile));
      throw new DataDirError('SLUICE_DATA_DIR_UNUSABLE', `data dir ${opts.dir} cannot be locked for this Sluice (${code ?? String(err)}); its file system may not support file locks. Choose a folder on a local disk: --data-dir <path> or SLUICE_DATA_DIR.`, err);
    }
    const lock = new DataDirLock(db, holderFile, { ...opts.holder, url: null });
    lock.#writeHolder();
    return lock;
  }

  /** The URL this Sluice listens at, for the message another one would print. */
  announce(url: string): void {
    if (this.#released) return;
    this.#holder = { ...this.#holder, url };
    this.#writeHolder();
  }

  /** Lets the data dir go (on stop). */
  release(): void {
    if (this.#released) return;
    this.#released = true;
    rmSync(this.#holderFile, { force: true });
    this.#db.close();
  }

  #writeHolder(): void {
    // whole or not at all: a reader never sees half a file
    const tmp = `${this.#holderFile}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(this.#holder)}\n`);
    renameSync(tmp, this.#holderFile);
  }
}

function readHolder(file: string): Partial<LockHolder> | null {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return parsed && typeof parsed === 'object' ? parsed as Partial<LockHolder> : null;
  } catch {
    return null; // still starting (not written yet), or unreadable: the message says less
  }
}

function inUse(dir: string, holder: Partial<LockHolder> | null): DataDirError {
  const who = [
    holder?.host === 'desktop' ? 'the desktop app' : null,
    typeof holder?.pid === 'number' ? `pid ${holder.pid}` : null,
    typeof holder?.url === 'string' ? `at ${holder.url}` : 'not listening yet',
    typeof holder?.startedAt === 'number' ? `started ${new Date(holder.startedAt).toISOString()}` : null,
  ].filter(Boolean).join(', ');
  return new DataDirError('SLUICE_DATA_DIR_IN_USE',
    `data dir ${dir} is in use by another Sluice (${holder ? who : 'it is still starting'}). Two on one data dir would overwrite each other's settings. `
    + 'Stop that one, or give this one a data dir of its own: --data-dir <path> or SLUICE_DATA_DIR.');
}
